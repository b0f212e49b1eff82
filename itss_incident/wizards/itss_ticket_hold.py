from odoo import fields, models

from ..tools import toast


class ItssTicketHold(models.TransientModel):
    """Put a ticket on hold (挂起): why, until when, a note."""

    _name = "itss.ticket.hold"
    _description = "Put an ITSS ticket on hold"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    wait_code_id = fields.Many2one("itss.wait.code", required=True)
    pending_until = fields.Datetime(
        string="Until",
        help="The assignee gets a to-do at that time; the ticket does not "
        "resume by itself.",
    )
    note = fields.Text(help="Posted as an internal note.")

    def action_hold(self):
        self.ensure_one()
        self.ticket_id._itss_hold(self.wait_code_id, self.pending_until, self.note)
        return toast(
            self.env._("Ticket %(ticket)s is on hold.", ticket=self.ticket_id.number)
        )

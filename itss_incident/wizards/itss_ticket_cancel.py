from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import toast


class ItssTicketCancel(models.TransientModel):
    """Cancel a ticket, saying why."""

    _name = "itss.ticket.cancel"
    _description = "Cancel an ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_cancel(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the ticket is cancelled."))
        self.ticket_id._itss_cancel(self.reason)
        return toast(
            self.env._("Ticket %(ticket)s is cancelled.", ticket=self.ticket_id.number)
        )

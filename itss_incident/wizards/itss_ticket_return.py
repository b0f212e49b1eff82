from odoo import fields, models

from ..tools import toast


class ItssTicketReturn(models.TransientModel):
    """Hand a ticket back to the service desk (打回), or decline its dispatch, saying
    why: the owner sees the reason."""

    _name = "itss.ticket.return"
    _description = "Return an ITSS ticket to the service desk"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("return", "Return to the service desk"), ("decline", "Decline the dispatch")],
        required=True,
        default="return",
    )
    reason = fields.Text(
        required=True,
        help="What the service desk must complete or know; the ticket's owner gets "
        "it as a to-do.",
    )

    def action_return(self):
        self.ensure_one()
        ticket = self.ticket_id
        number = ticket.number
        ticket._itss_return(self.reason, self.mode)
        message = (
            self.env._(
                "Ticket %(ticket)s is declined: back at the service desk.",
                ticket=number,
            )
            if self.mode == "decline"
            else self.env._(
                "Ticket %(ticket)s is returned to the service desk.", ticket=number
            )
        )
        result = toast(message)
        if not ticket.has_access("read"):
            # the ticket left the user's teams: the queues, not a form they may not
            # read
            result["params"]["next"] = self.env["ir.actions.actions"]._for_xml_id(
                "itss_incident.itss_queues_action"
            )
        return result

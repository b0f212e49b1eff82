from odoo import fields, models


class ItssTicketReopen(models.TransientModel):
    """An incident manager takes back a mistaken resolution: the ticket goes back in
    progress, with the reason in its chatter."""

    _name = "itss.ticket.reopen"
    _description = "Take back an ITSS resolution"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Why the resolution is taken back.")

    def action_reopen(self):
        self.ensure_one()
        self.ticket_id.action_itss_reopen_resolution(self.reason)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Ticket %(ticket)s is in progress again.",
                    ticket=self.ticket_id.number,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

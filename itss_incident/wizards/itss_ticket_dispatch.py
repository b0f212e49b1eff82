from odoo import api, fields, models

from ..tools import toast


class ItssTicketDispatch(models.TransientModel):
    """Dispatch a ticket to a team and an engineer (派单)."""

    _name = "itss.ticket.dispatch"
    _description = "Dispatch an ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        required=True,
        domain="[('itss_tier', '!=', False)]",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    team_user_ids = fields.Many2many(related="team_id.user_ids")
    user_id = fields.Many2one(
        "res.users",
        string="Engineer",
        domain="[('id', 'in', team_user_ids)]",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("ticket_id")
    def _compute_team_id(self):
        for wizard in self:
            ticket = wizard.ticket_id
            category_team = (
                ticket.category_id._itss_get_team() if ticket.category_id else False
            )
            wizard.team_id = category_team or ticket.team_id

    @api.depends("team_id")
    def _compute_user_id(self):
        for wizard in self:
            user = wizard.ticket_id.user_id
            wizard.user_id = user if user in wizard.team_id.user_ids else False

    def action_dispatch(self):
        self.ensure_one()
        self.ticket_id._itss_dispatch(self.team_id, self.user_id)
        return toast(
            self.env._(
                "Ticket %(ticket)s is dispatched to %(to)s.",
                ticket=self.ticket_id.number,
                to=self.user_id.name or self.team_id.name,
            )
        )

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.groups import DESK_GROUP, MANAGER_GROUP
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES


class HelpdeskTicket(models.Model):
    """Ownership (负责人, DESIGN.md "Ownership"): the service desk agent responsible for
    the ticket from logging to close, whoever works on it."""

    _inherit = "helpdesk.ticket"

    itss_owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index="btree_not_null",
        copy=False,
        domain=[("share", "=", False)],
        help="The service desk agent responsible for the ticket until it is closed: "
        "keeps the customer informed, confirms the resolution, closes it and makes the "
        "follow-up visit. Set at logging; stays when the ticket is dispatched or "
        "escalated.",
    )
    itss_owner_on_duty = fields.Boolean(
        string="Owner on Duty",
        compute="_compute_itss_owner_on_duty",
        help="A duty shift of the owner covers this moment.",
    )

    def _compute_itss_owner_on_duty(self):
        now = fields.Datetime.now()
        on_duty = {}
        for ticket in self:
            company = ticket.company_id
            if company not in on_duty:
                on_duty[company] = self.env["itss.duty.shift"]._itss_on_duty(
                    company, now
                )
            ticket.itss_owner_on_duty = ticket.itss_owner_id in on_duty[company]

    @api.model
    def _itss_logging_vals(self, vals, team, company):
        """The owner at logging: the logging user if a service desk agent, else the
        agent on duty, else the leader of the ticket's service desk team."""
        vals = super()._itss_logging_vals(vals, team, company)
        if team.itss_tier and not vals.get("itss_owner_id"):
            owner = self._itss_default_owner(team, company)
            if owner:
                vals["itss_owner_id"] = owner.id
        return vals

    @api.model
    def _itss_default_owner(self, team, company):
        user = self.env.user
        # OdooBot (data files, scheduled actions) is nobody's owner
        if not user.share and not user._is_superuser() and user.has_group(DESK_GROUP):
            return user
        desk_team = team if team.itss_tier == "1" else company.itss_default_team_id
        on_duty = self.env["itss.duty.shift"]._itss_on_duty(
            company, fields.Datetime.now(), desk_team
        )
        return on_duty[:1] or desk_team.user_id

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # a team helpdesk_mgmt gave by its own defaults (the assigned user's team)
        for ticket in tickets.filtered(
            lambda t: t.team_id.itss_tier and not t.itss_owner_id
        ):
            owner = self._itss_default_owner(ticket.team_id, ticket.company_id)
            if owner:
                # sudo: the owner at logging is the rule's, not a change of owner
                ticket.sudo().itss_owner_id = owner
        return tickets

    def _itss_desk_team(self):
        """The service desk team the owner answers to: the ticket's team if it is tier
        1, else the company's default ITSS team."""
        self.ensure_one()
        if self.team_id.itss_tier == "1":
            return self.team_id
        return self.company_id.itss_default_team_id or self.team_id

    def _itss_owner_manages(self, user):
        """Whether ``user`` may change the owner or close for the service desk: the
        owner, the service desk team's leader or an incident manager."""
        self.ensure_one()
        return (
            user == self.itss_owner_id
            or user == self._itss_desk_team().user_id
            or user.has_group(MANAGER_GROUP)
        )

    def write(self, vals):
        if "itss_owner_id" in vals and not self.env.su:
            user = self.env.user
            for ticket in self:
                if ticket.itss_owner_id.id != vals["itss_owner_id"] and not (
                    ticket._itss_owner_manages(user)
                ):
                    raise UserError(
                        self.env._(
                            "Only the owner (%(owner)s), the service desk leader or an "
                            "incident manager changes the owner of ticket %(ticket)s. "
                            "A service desk agent on duty takes over the tickets of an "
                            "owner off duty with Take Over.",
                            owner=ticket.itss_owner_id.name or "-",
                            ticket=ticket.display_name,
                        )
                    )
        return super().write(vals)

    def _itss_check_transition(self, stage, vals):
        """A service desk close (origin ``desk``) is the owner's or an incident
        manager's (the desk team's leader too, who assigns the owners)."""
        res = super()._itss_check_transition(stage, vals)
        if (
            stage.itss_state == "closed"
            and vals.get("itss_close_origin", "desk") == "desk"
            and not self.env.su
        ):
            user = self.env.user
            for ticket in self.filtered(
                lambda t: t.itss_owner_id and t.itss_state != "closed"
            ):
                if not ticket._itss_owner_manages(user):
                    raise UserError(
                        self.env._(
                            "Ticket %(ticket)s is owned by %(owner)s, who closes it "
                            "with the customer (or an incident manager does). If "
                            "%(owner)s is off duty and you are on duty, take the "
                            "ticket over first (Take Over).",
                            ticket=ticket.display_name,
                            owner=ticket.itss_owner_id.name,
                        )
                    )
        return res

    def action_itss_take_over(self):
        """A service desk agent on duty becomes the owner of tickets whose owner is off
        duty (tracked)."""
        user = self.env.user
        now = fields.Datetime.now()
        for ticket in self:
            if (
                ticket.itss_state in ITSS_TERMINAL_STATES
                or not ticket.team_id.itss_tier
            ):
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not an open ITSS ticket.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.itss_owner_id == user:
                continue
            on_duty = self.env["itss.duty.shift"]._itss_on_duty(ticket.company_id, now)
            if not ticket._itss_owner_manages(user):
                if not user.has_group(DESK_GROUP) or user not in on_duty:
                    raise UserError(
                        self.env._(
                            "Only a service desk agent on duty takes over a ticket; no "
                            "duty shift of yours covers this moment."
                        )
                    )
                if ticket.itss_owner_id in on_duty:
                    raise UserError(
                        self.env._(
                            "%(owner)s is on duty and owns ticket %(ticket)s: ask "
                            "them, the service desk leader or an incident manager to "
                            "hand it over.",
                            owner=ticket.itss_owner_id.name,
                            ticket=ticket.display_name,
                        )
                    )
            # sudo: the check above is the rule (an off-duty owner's ticket); the
            # tracking records who took it over (sudo keeps the user)
            ticket.sudo().write({"itss_owner_id": user.id})
        return self._itss_toast(self.env._("You own ticket %(ticket)s now."))

from odoo import api, fields, models


class ItssEmergencyPlan(models.Model):
    """An emergency plan (应急预案) of one system: when it applies, who acts, the
    steps, who is told, the aftermath and the safeguards."""

    _name = "itss.emergency.plan"
    _description = "ITSS Emergency Plan"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    system = fields.Char(required=True, help="The system or service the plan covers.")
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        string="Ticket Categories",
        help="The categories of the tickets of this system: a major incident declared "
        "for such a ticket is proposed this plan (a sub-category also matches its "
        "parent's plans).",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    activation_conditions = fields.Html(help="When the plan is activated.")
    team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Emergency Team", check_company=True
    )
    contact_ids = fields.Many2many("res.partner", string="Contacts")
    step_ids = fields.One2many(
        "itss.emergency.plan.step", "plan_id", string="Steps", copy=True
    )
    notification = fields.Html(string="Information and Notification")
    aftermath = fields.Html(help="Clean-up and review after the emergency.")
    safeguards = fields.Html(
        help="People, training, drills and sites that keep the plan ready."
    )

    @api.model
    def _itss_find_for_ticket(self, ticket):
        """The emergency plan of the ticket's system: a plan of its category, else of
        the nearest parent category, else the only plan of its team; or nothing."""
        if not ticket:
            return self.browse()
        plans = self.search([("company_id", "=", ticket.company_id.id)])
        category = ticket.category_id
        while category:
            matching = plans.filtered(lambda p, c=category: c in p.category_ids)
            if matching:
                return matching[:1]
            category = category.parent_id
        by_team = plans.filtered(
            lambda p: ticket.team_id and p.team_id == ticket.team_id
        )
        return by_team if len(by_team) == 1 else self.browse()

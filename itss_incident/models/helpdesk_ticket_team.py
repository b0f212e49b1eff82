from odoo import fields, models

ITSS_TIER_SELECTION = [
    ("1", "Tier 1 - Service desk / first line"),
    ("2", "Tier 2 - Second line engineers"),
    ("3", "Tier 3 - Vendor"),
]


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    itss_tier = fields.Selection(
        ITSS_TIER_SELECTION,
        string="Support Tier",
        index=True,
        help="Set a tier to make this an ITSS team: its tickets follow the ITSS "
        "lifecycle, priority matrix and rules. Teams without a tier work as plain "
        "helpdesk teams.",
    )
    itss_escalation_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Escalation Team",
        domain="[('itss_tier', '!=', False), ('id', '!=', id)]",
        help="The next tier's team that takes a ticket escalated by this team.",
    )
    itss_incident_manager_id = fields.Many2one(
        "res.users",
        string="Incident Manager",
        domain="[('share', '=', False)]",
        help="Coordinates the incidents of this team and is notified of escalations.",
    )
    itss_project_manager_id = fields.Many2one(
        "res.users",
        string="Project Manager",
        domain="[('share', '=', False)]",
        help="Notified by the escalation matrix (role: project manager).",
    )
    itss_director_id = fields.Many2one(
        "res.users",
        string="Department Director",
        domain="[('share', '=', False)]",
        help="Notified by the escalation matrix (role: director).",
    )
    itss_leader_id = fields.Many2one(
        "res.users",
        string="Company Leadership",
        domain="[('share', '=', False)]",
        help="Notified by the escalation matrix (role: leader).",
    )
    itss_business_contact_id = fields.Many2one(
        "res.partner",
        string="Business Contact",
        help="The customer's business contact notified by the escalation matrix "
        "(role: business).",
    )

    def _get_applicable_stages(self):
        """ITSS teams use the ITSS stages, other teams the others."""
        stages = super()._get_applicable_stages()
        itss = bool(self[:1].itss_tier)
        return stages.filtered(lambda stage: bool(stage.itss_state) == itss)

    def write(self, vals):
        changed = self.browse()
        if "itss_tier" in vals:
            changed = self.filtered(
                lambda t: bool(t.itss_tier) != bool(vals["itss_tier"])
            )
        res = super().write(vals)
        if changed:
            changed._itss_move_open_tickets()
        return res

    def _itss_move_open_tickets(self):
        """A team that becomes (or stops being) an ITSS team takes its open tickets
        along: they move to the first stage the team now uses."""
        for team in self:
            stage = team._get_applicable_stages()[:1]
            tickets = self.env["helpdesk.ticket"].search(
                [("team_id", "=", team.id), ("stage_id.closed", "=", False)]
            )
            tickets = tickets.filtered(lambda t, s=stage: t.stage_id != s)
            if stage and tickets:
                tickets.write({"stage_id": stage.id})

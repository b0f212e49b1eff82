from odoo import fields, models


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
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    activation_conditions = fields.Html(help="When the plan is activated.")
    team_id = fields.Many2one("helpdesk.ticket.team", string="Emergency Team", check_company=True)
    contact_ids = fields.Many2many("res.partner", string="Contacts")
    step_ids = fields.One2many("itss.emergency.plan.step", "plan_id", string="Steps", copy=True)
    notification = fields.Html(string="Information and Notification")
    aftermath = fields.Html(help="Clean-up and review after the emergency.")
    safeguards = fields.Html(help="People, training, drills and sites that keep the plan ready.")


class ItssEmergencyPlanStep(models.Model):
    _name = "itss.emergency.plan.step"
    _description = "ITSS Emergency Plan Step"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("itss.emergency.plan", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    description = fields.Text()

from odoo import fields, models


class ItssEmergencyPlanStep(models.Model):
    _name = "itss.emergency.plan.step"
    _description = "ITSS Emergency Plan Step"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("itss.emergency.plan", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    description = fields.Text()

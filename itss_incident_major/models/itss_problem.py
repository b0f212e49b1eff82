from odoo import fields, models


class ItssProblem(models.Model):
    _inherit = "itss.problem"

    major_incident_id = fields.Many2one("itss.major.incident", index="btree_not_null")

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itss_major_priority = fields.Selection(
        related="company_id.itss_major_priority", readonly=False
    )

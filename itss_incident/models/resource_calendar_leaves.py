from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    itss_china_holiday = fields.Boolean(
        string="China's Statutory Holiday",
        readonly=True,
        help="Added from the holiday library (China's statutory holidays).",
    )

from odoo import fields, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    itss_china_workday = fields.Boolean(
        string="Make-up Working Day",
        readonly=True,
        help="Added from the holiday library: a weekend day worked in lieu of a "
        "statutory holiday (调休上班日).",
    )
    itss_date = fields.Date(
        string="Working Date",
        readonly=True,
        index="btree_not_null",
        help="These working hours count on this date only (a make-up working day), "
        "not every week.",
    )

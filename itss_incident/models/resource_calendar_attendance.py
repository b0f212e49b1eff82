from odoo import api, fields, models


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

    # working hours changed: the calendars' cached working time is stale
    # (resource.calendar._itss_work_spans)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    itss_china_holiday = fields.Boolean(
        string="China's Statutory Holiday",
        readonly=True,
        help="Added from the holiday library (China's statutory holidays).",
    )

    # time off of a whole calendar (no resource) changed: the calendars' cached working
    # time is stale (resource.calendar._itss_work_spans); a person's time off is not in
    # it

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        if leaves._itss_calendar_wide():
            self.env.registry.clear_cache()
        return leaves

    def write(self, vals):
        calendar_wide = self._itss_calendar_wide()
        res = super().write(vals)
        if calendar_wide or self._itss_calendar_wide():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        calendar_wide = self._itss_calendar_wide()
        res = super().unlink()
        if calendar_wide:
            self.env.registry.clear_cache()
        return res

    def _itss_calendar_wide(self):
        """Whether one of these is time off of a whole calendar (no resource)."""
        return any(not leave.resource_id for leave in self)

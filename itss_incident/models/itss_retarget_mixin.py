from odoo import api, models


class ItssRetargetMixin(models.AbstractModel):
    """Configuration whose rows decide the targets of open tickets by company and
    priority (SLA policies, escalation rules): saving one marks the open tickets it
    concerns, and the scheduled action re-targets them in batches
    (``helpdesk.ticket._cron_itss_retarget``), never in the saving transaction."""

    _name = "itss.retarget.mixin"
    _description = "ITSS Configuration That Re-targets Open Tickets"

    # the fields whose change moves deadlines or due points
    _itss_retarget_fields = {"active", "company_id", "priority"}

    def _itss_mark_open_tickets(self):
        Ticket = self.env["helpdesk.ticket"]
        for company in self.company_id:
            rows = self.filtered(lambda r, c=company: r.company_id == c)
            Ticket._itss_mark_retarget(company, rows.mapped("priority"))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._itss_mark_open_tickets()
        return records

    def write(self, vals):
        relevant = self._itss_retarget_fields & set(vals)
        if relevant:
            # the tickets of the old company and priority, and of the new ones
            self._itss_mark_open_tickets()
        res = super().write(vals)
        if relevant:
            self._itss_mark_open_tickets()
        return res

    def unlink(self):
        self._itss_mark_open_tickets()
        return super().unlink()

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class ItssServiceReport(models.TransientModel):
    """The service report (服务报告) of a period for a customer (or all), as PDF or
    XLSX: the user picks the period and sees the key figures; the figures come from
    ``itss.service.report.data``."""

    _name = "itss.service.report"
    _description = "ITSS Service Report"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('is_company', '=', True)]",
        help="Only this customer's tickets; empty: every customer.",
    )
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("custom", "Custom")],
        required=True,
        default="month",
    )
    date_from = fields.Date(
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_to = fields.Date(
        string="Date To (included)",
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
    )
    kpi_html = fields.Html(
        string="Key Figures", compute="_compute_kpi_html", sanitize=False
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        required=True,
        default=lambda self: self.env.lang or "en_US",
    )

    @api.depends("period")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.period == "quarter":
                start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
                start -= relativedelta(months=3)
                wizard.date_from, wizard.date_to = (
                    start,
                    start + relativedelta(months=3, days=-1),
                )
            elif wizard.period == "month" or not wizard.date_from:
                start = today.replace(day=1) - relativedelta(months=1)
                wizard.date_from, wizard.date_to = (
                    start,
                    start + relativedelta(months=1, days=-1),
                )

    @api.depends("company_id", "partner_id", "period", "date_from", "date_to")
    def _compute_kpi_html(self):
        Data = self.env["itss.service.report.data"]
        for wizard in self:
            if (
                not (wizard.date_from and wizard.date_to)
                or wizard.date_from > wizard.date_to
            ):
                wizard.kpi_html = False
                continue
            values = Data._itss_values(**wizard._itss_report_params(), charts=False)
            wizard.kpi_html = self.env["ir.qweb"]._render(
                "itss_incident.itss_service_report_kpis", values
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("itss_incident.action_report_itss_service").report_action(
            self
        )

    def action_xlsx(self):
        self.ensure_one()
        Data = self.env["itss.service.report.data"]
        params = self._itss_report_params()
        if self.env.registry._db_readonly is None:
            content = Data._itss_xlsx(Data._itss_values(**params))
        else:
            # Odoo has a read replica (db_replica_host): the figures are read there,
            # on a read-only cursor (committed data); the attachment on the primary
            with self.env.registry.cursor(readonly=True) as ro_cr:
                ro_data = Data.with_env(self.env(cr=ro_cr))
                content = ro_data._itss_xlsx(ro_data._itss_values(**params))
        attachment = self.env["ir.attachment"].create(
            {
                "name": Data._itss_file_name(self.date_from, self.date_to) + ".xlsx",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
        }

    def _itss_report_params(self):
        """The report this wizard describes, as parameters of ``_itss_values``."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "period": self.period,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "lang": self.lang,
        }

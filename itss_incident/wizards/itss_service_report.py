from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import linear_forecast, service_report_xlsx, svg_bars

# How many earlier periods the trend and the forecast use.
HISTORY = 6


class ItssServiceReport(models.TransientModel):
    """The service report (服务报告) of a period for a customer (or all), as PDF or
    XLSX: figures, breakdowns, charts, comparison and a forecast."""

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
                wizard.date_from, wizard.date_to = start, start + relativedelta(months=3, days=-1)
            elif wizard.period == "month" or not wizard.date_from:
                start = today.replace(day=1) - relativedelta(months=1)
                wizard.date_from, wizard.date_to = start, start + relativedelta(months=1, days=-1)

    @api.depends("company_id", "partner_id", "period", "date_from", "date_to")
    def _compute_kpi_html(self):
        for wizard in self:
            if not (wizard.date_from and wizard.date_to) or wizard.date_from > wizard.date_to:
                wizard.kpi_html = False
                continue
            data = wizard._itss_data(charts=False)
            wizard.kpi_html = self.env["ir.qweb"]._render(
                "itss_incident.itss_service_report_kpis", data
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("itss_incident.action_report_itss_service").report_action(self)

    def action_xlsx(self):
        self.ensure_one()
        content = self._itss_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._itss_file_name() + ".xlsx",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true"}

    def _itss_file_name(self):
        return self.env._(
            "Service report %(start)s - %(end)s", start=self.date_from, end=self.date_to
        )

    def _itss_domain(self):
        domain = [("company_id", "=", self.company_id.id)]
        if self.partner_id:
            domain.append(("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id))
        return domain

    def _itss_periods(self):
        """[(start, end)] of the HISTORY earlier periods and this one (end excluded)."""
        start = self.date_from
        end = self.date_to + timedelta(days=1)
        if self.period == "month":
            step = relativedelta(months=1)
        elif self.period == "quarter":
            step = relativedelta(months=3)
        else:
            step = relativedelta(days=(end - start).days)
        return [(start - step * n, end - step * n) for n in range(HISTORY, -1, -1)]

    @staticmethod
    def _itss_dt(day):
        return datetime.combine(day, time.min)

    def _itss_data(self, charts=True):
        """Everything the PDF and the XLSX show, computed from the tickets."""
        self.ensure_one()
        report = self.env["itss.incident.report"].with_context(lang=self.lang)
        domain = self._itss_domain()
        periods = self._itss_periods()
        history = [
            dict(
                report._itss_period_kpis(self._itss_dt(start), self._itss_dt(end), domain),
                label=self._itss_period_label(start, end),
            )
            for start, end in periods
        ]
        current = history[-1]
        previous = history[-2]
        date_from, date_to = self._itss_dt(periods[-1][0]), self._itss_dt(periods[-1][1])
        logged_domain = domain + [("date", ">=", date_from), ("date", "<", date_to)]
        resolved_domain = domain + [
            ("resolved_date", ">=", date_from),
            ("resolved_date", "<", date_to),
        ]
        breakdowns = {
            name: self._itss_breakdown(report, field, logged_domain, resolved_domain)
            for name, field in (
                ("team", "team_id"),
                ("category", "category_id"),
                ("priority", "itss_priority"),
            )
        }
        weekly = report._read_group(logged_domain, ["date:week"], ["__count"]) if charts else []
        volumes = [h["logged"] for h in history[:-1]]
        forecast = linear_forecast(volumes)
        company = self.company_id
        return {
            "wizard": self,
            "company": company,
            "customer": self.partner_id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "current": current,
            "previous": previous,
            "history": history,
            "breakdowns": breakdowns,
            "forecast": forecast,
            "forecast_method": self.env._(
                "Linear trend (least squares) of the tickets logged in the %(n)s "
                "previous periods.",
                n=len(volumes),
            ),
            "labels": self._itss_labels(),
            "targets": {
                "fcr": company.itss_kpi_fcr_target,
                "ontime": company.itss_kpi_ontime_target,
            },
            "charts": charts,
            "chart_weekly": charts and svg_bars(
                [(format_date(self.env, week, lang_code=self.lang), count) for week, count in weekly],
                self.env._("Tickets logged per week"),
            ),
            "chart_priority": charts and svg_bars(
                [(row["label"], row["logged"]) for row in breakdowns["priority"]],
                self.env._("Priority mix"),
            ),
            "chart_sla": charts and svg_bars(
                [(h["label"], round(h["ontime_rate"] or 0.0, 1)) for h in history],
                self.env._("On-time resolution (%)"),
                target=company.itss_kpi_ontime_target,
            ),
        }

    def _itss_period_label(self, start, end):
        last = end - timedelta(days=1)
        if self.period == "month":
            return format_date(self.env, start, date_format="MMM yyyy", lang_code=self.lang)
        return "%s - %s" % (
            format_date(self.env, start, lang_code=self.lang),
            format_date(self.env, last, lang_code=self.lang),
        )

    def _itss_breakdown(self, report, field, logged_domain, resolved_domain):
        logged = dict(report._read_group(logged_domain, [field], ["__count"]))
        resolved = {
            key: (count, fcr, ontime)
            for key, count, fcr, ontime in report._read_group(
                resolved_domain,
                [field],
                ["__count", "first_contact_resolved:sum", "resolve_in_sla:sum"],
            )
        }
        rows = []
        selection = dict(report._fields[field]._description_selection(self.env)) if (
            report._fields[field].type == "selection"
        ) else {}
        for key in sorted(set(logged) | set(resolved), key=lambda k: str(k)):
            count, fcr, ontime = resolved.get(key, (0, 0, 0))
            if isinstance(key, models.BaseModel):
                label = key.display_name or self.env._("None")
            else:
                label = selection.get(key, key or self.env._("None"))
            rows.append(
                {
                    "label": label,
                    "logged": logged.get(key, 0),
                    "resolved": count,
                    "fcr_rate": 100.0 * fcr / count if count else None,
                    "ontime_rate": 100.0 * ontime / count if count else None,
                }
            )
        return rows

    def _itss_xlsx(self):
        data = self._itss_data()
        _ = self.env._
        texts = {
            "title": self._itss_file_name(),
            "customer": data["customer"].display_name or _("All customers"),
            "summary": _("Summary"),
            "figure": _("Figure"),
            "forecast": _("Forecast of tickets next period"),
            "sections": [
                ("team", _("By team")),
                ("category", _("By category")),
                ("priority", _("By priority")),
            ],
            "columns": (
                _("Number Logged"),
                _("Resolved"),
                _("First-contact resolution (%)"),
                _("On-time resolution (%)"),
            ),
        }
        return service_report_xlsx(data, self._itss_labels(), texts)

    def _itss_labels(self):
        """(key, label) of the figures, in report order."""
        _ = self.env._
        return [
            ("logged", _("Tickets logged")),
            ("responded", _("Responded")),
            ("response_rate", _("Responded within SLA (%)")),
            ("response_avg", _("Mean time to respond (working min)")),
            ("response_median", _("Median time to respond (working min)")),
            ("response_wall_avg", _("Mean time to respond (min)")),
            ("response_wall_median", _("Median time to respond (min)")),
            ("resolved", _("Tickets resolved")),
            ("closed", _("Of which closed")),
            ("fcr_rate", _("First-contact resolution (%)")),
            ("ontime_rate", _("On-time resolution (%)")),
            ("resolve_avg", _("Mean time to resolve (working min)")),
            ("resolve_median", _("Median time to resolve (working min)")),
            ("resolve_wall_avg", _("Mean time to resolve (hours)")),
            ("resolve_wall_median", _("Median time to resolve (hours)")),
            ("paused_minutes", _("Paused time (working min)")),
            ("reopened", _("Reopened as new tickets")),
            ("satisfaction", _("Average satisfaction (1-5)")),
            ("escalations", _("Functional escalations")),
        ]

    def _itss_attachment_pdf(self):
        """The PDF of this report (bytes)."""
        report = self.env.ref("itss_incident.action_report_itss_service")
        pdf, _type = self.env["ir.actions.report"].with_context(lang=self.lang)._render_qweb_pdf(
            report, self.ids
        )
        return pdf

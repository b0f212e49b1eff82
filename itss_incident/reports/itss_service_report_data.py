from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from ..tools import linear_forecast, service_report_xlsx, svg_bars

# How many earlier periods the trend and the forecast use.
HISTORY = 6


class ItssServiceReportData(models.AbstractModel):
    """The figures of the service report (服务报告) of a period: key figures against
    the previous period, breakdowns, trend, forecast and charts, computed from
    ``itss.incident.report`` with the caller's rights. The PDF (QWeb report), the XLSX,
    the wizard's preview and the monthly sending all take their figures from here;
    parameters are plain values (ids, dates), so no record is needed."""

    _name = "itss.service.report.data"
    _description = "ITSS Service Report Figures"

    @api.model
    def _itss_values(
        self,
        date_from,
        date_to,
        company_id=None,
        partner_id=None,
        period="custom",
        domain=(),
        lang=None,
        charts=True,
    ):
        """Everything the PDF and the XLSX show.

        ``date_from`` .. ``date_to`` (both included; dates or ISO strings) is the
        period; ``period`` (``month``, ``quarter`` or ``custom``) sets the length of the
        earlier periods of the trend and how periods are named. ``company_id``
        (default: the current company), ``partner_id`` (a customer; empty: every
        customer) and ``domain`` (more filters on ``itss.incident.report``, e.g. a team)
        select the tickets. Dates and record names are in ``lang`` (default: the
        context's); the labels are in the context's language. Without ``charts``, no
        chart is drawn (the wizard's preview).
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        lang = lang or self.env.lang or "en_US"
        company = (
            self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company
        )
        customer = self.env["res.partner"].browse(partner_id or [])
        report = self.env["itss.incident.report"].with_context(lang=lang)
        domain = self._itss_domain(company, customer) + list(domain or [])
        # the customer's contract in force at the end of the period sets the targets
        targets = (
            self.env["itss.service.contract"]
            ._itss_find(customer, company, self._itss_dt(date_to))
            ._itss_targets(company)
        )
        periods = self._itss_periods(date_from, date_to, period)
        history = [
            dict(
                report._itss_period_kpis(
                    self._itss_dt(start), self._itss_dt(end), domain
                ),
                label=self._itss_period_label(start, end, period, lang),
            )
            for start, end in periods
        ]
        current = history[-1]
        previous = history[-2]
        start, end = self._itss_dt(periods[-1][0]), self._itss_dt(periods[-1][1])
        logged_domain = domain + [("date", ">=", start), ("date", "<", end)]
        resolved_domain = domain + [
            ("resolved_date", ">=", start),
            ("resolved_date", "<", end),
        ]
        breakdowns = {
            name: self._itss_breakdown(report, field, logged_domain, resolved_domain)
            for name, field in (
                ("team", "team_id"),
                ("category", "category_id"),
                ("priority", "itss_priority"),
            )
        }
        weekly = (
            report._read_group(logged_domain, ["date:week"], ["__count"])
            if charts
            else []
        )
        volumes = [h["logged"] for h in history[:-1]]
        return {
            "company": company,
            "customer": customer,
            "date_from": date_from,
            "date_to": date_to,
            "current": current,
            "previous": previous,
            "history": history,
            "breakdowns": breakdowns,
            "forecast": linear_forecast(volumes),
            "forecast_method": self.env._(
                "Linear trend (least squares) of the tickets logged in the %(n)s "
                "previous periods.",
                n=len(volumes),
            ),
            "labels": self._itss_labels(),
            "targets": targets,
            "charts": charts,
            "chart_weekly": charts
            and svg_bars(
                [
                    (format_date(self.env, week, lang_code=lang), count)
                    for week, count in weekly
                ],
                self.env._("Tickets logged per week"),
            ),
            "chart_priority": charts
            and svg_bars(
                [(row["label"], row["logged"]) for row in breakdowns["priority"]],
                self.env._("Priority mix"),
            ),
            "chart_sla": charts
            and svg_bars(
                [(h["label"], round(h["ontime_rate"] or 0.0, 1)) for h in history],
                self.env._("On-time resolution (%)"),
                target=targets["ontime"],
            ),
        }

    @api.model
    def _itss_xlsx(self, values):
        """The XLSX workbook (bytes) of ``values`` (as ``_itss_values`` returns
        them)."""
        _ = self.env._
        texts = {
            "title": self._itss_file_name(values["date_from"], values["date_to"]),
            "customer": values["customer"].display_name or _("All customers"),
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
        return service_report_xlsx(values, values["labels"], texts)

    @api.model
    def _itss_pdf(self, params):
        """The PDF (bytes) of the report that ``params`` (keyword arguments of
        ``_itss_values``, as plain values) describe, in its language."""
        report = self.env.ref("itss_incident.action_report_itss_service")
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(lang=params.get("lang"))
            ._render_qweb_pdf(report, [], data={"itss_params": dict(params)})
        )
        return pdf

    @api.model
    def _itss_file_name(self, date_from, date_to):
        return self.env._(
            "Service report %(start)s - %(end)s", start=date_from, end=date_to
        )

    @api.model
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

    @api.model
    def _itss_domain(self, company, customer):
        domain = [("company_id", "=", company.id)]
        if customer:
            domain.append(
                ("commercial_partner_id", "=", customer.commercial_partner_id.id)
            )
        return domain

    @api.model
    def _itss_periods(self, date_from, date_to, period):
        """[(start, end)] of the HISTORY earlier periods and this one (end excluded)."""
        start = date_from
        end = date_to + timedelta(days=1)
        if period == "month":
            step = relativedelta(months=1)
        elif period == "quarter":
            step = relativedelta(months=3)
        else:
            step = relativedelta(days=(end - start).days)
        return [(start - step * n, end - step * n) for n in range(HISTORY, -1, -1)]

    @staticmethod
    def _itss_dt(day):
        return datetime.combine(day, time.min)

    @api.model
    def _itss_period_label(self, start, end, period, lang):
        last = end - timedelta(days=1)
        if period == "month":
            return format_date(self.env, start, date_format="MMM yyyy", lang_code=lang)
        first_day = format_date(self.env, start, lang_code=lang)
        last_day = format_date(self.env, last, lang_code=lang)
        return f"{first_day} - {last_day}"

    @api.model
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
        selection = (
            dict(report._fields[field]._description_selection(self.env))
            if (report._fields[field].type == "selection")
            else {}
        )
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

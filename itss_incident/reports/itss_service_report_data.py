from datetime import datetime, time, timedelta

import babel
import babel.dates
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from ..tools import linear_forecast, service_report_xlsx, svg_bars

# How many earlier periods the trend and the forecast use.
HISTORY = 6
# (breakdown key, field of itss.incident.report), in report order
BREAKDOWNS = (
    ("team", "team_id"),
    ("tier", "tier"),
    ("engineer", "user_id"),
    ("category", "category_id"),
    ("ci", "ci_id"),
    ("vendor", "vendor_id"),
    ("priority", "itss_priority"),
    ("channel", "channel_id"),
)


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
        # the trend shows counts and rates: medians of this period and the previous
        # one only
        history = [
            dict(
                report._itss_period_kpis(
                    self._itss_dt(start),
                    self._itss_dt(end),
                    domain,
                    medians=n >= len(periods) - 2,
                ),
                label=self._itss_period_label(start, end, period, lang),
            )
            for n, (start, end) in enumerate(periods)
        ]
        current = history[-1]
        previous = history[-2]
        start, end = self._itss_dt(periods[-1][0]), self._itss_dt(periods[-1][1])
        logged_domain = domain + [("date", ">=", start), ("date", "<", end)]
        figures = report._itss_kpis_by_fields(
            logged_domain, [field for _name, field in BREAKDOWNS]
        )
        breakdowns = {
            name: self._itss_breakdown(report, field, figures[field])
            for name, field in BREAKDOWNS
        }
        self._itss_add_availability(breakdowns["ci"], start, end)
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
            "followup": self._itss_followup(company, customer, start, end),
            "forecast": linear_forecast(volumes),
            "forecast_method": self.env._(
                "Linear trend (least squares) of the tickets logged in the %(n)s "
                "previous periods.",
                n=len(volumes),
            ),
            "labels": self._itss_labels(),
            "definitions": self._itss_definitions(),
            "breakdown_titles": self._itss_breakdown_titles(),
            "breakdown_columns": self._itss_breakdown_columns(),
            "target_keys": {"fcr_rate": "fcr", "ontime_rate": "ontime"},
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
            "sections": self._itss_breakdown_titles(),
            "columns": self._itss_breakdown_columns(),
            "availability": _("Availability (%)"),
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
        """(key, label) of the figures, in report order (keys of ``itss_kpis``)."""
        _ = self.env._
        return [
            ("logged", _("Tickets logged")),
            ("responded", _("Responded")),
            ("response_rate", _("Responded within SLA (%)")),
            ("mean_acknowledge_minutes", _("Mean time to acknowledge (min)")),
            ("mean_response_minutes", _("Mean time to respond (working min)")),
            ("median_response_minutes", _("Median time to respond (working min)")),
            ("mean_response_minutes_wall", _("Mean time to respond (min)")),
            ("median_response_minutes_wall", _("Median time to respond (min)")),
            ("resolved", _("Tickets resolved")),
            ("closed", _("Tickets closed")),
            ("resolution_rate", _("Resolution rate (%)")),
            ("fcr_rate", _("First-contact resolution (%)")),
            ("fcr_rate_resolved", _("First-contact resolution, of resolved (%)")),
            ("ontime_rate", _("On-time resolution (%)")),
            ("ontime_rate_resolved", _("On-time resolution, of resolved (%)")),
            ("mean_resolve_hours", _("Mean time to resolve (hours)")),
            ("median_resolve_hours", _("Median time to resolve (hours)")),
            ("mean_resolve_minutes", _("Mean time to resolve (working min)")),
            ("median_resolve_minutes", _("Median time to resolve (working min)")),
            ("paused_minutes", _("Paused time (working min)")),
            ("reopened", _("Reopened as new tickets")),
            ("reopen_rate", _("Reopen rate (%)")),
            ("satisfaction", _("Average satisfaction (1-5)")),
            ("escalations", _("Functional escalations")),
        ]

    @api.model
    def _itss_definitions(self):
        """{figure key: its definition}, stated in the report under the figures."""
        _ = self.env._
        return {
            "response_rate": _(
                "Tickets logged in the period and responded to within the response "
                "target / tickets logged in the period."
            ),
            "mean_acknowledge_minutes": _(
                "Wall-clock minutes from logging to the first response (acceptance "
                "by an engineer, a public reply or the resolution, whichever comes "
                "first), averaged over the tickets responded to."
            ),
            "mean_response_minutes": _(
                "Working minutes of the SLA calendar from logging to the first "
                "response, averaged over the tickets responded to."
            ),
            "resolution_rate": _(
                "Tickets logged in the period and closed / tickets logged in the "
                "period (事件解决率)."
            ),
            "fcr_rate": _(
                "Tickets resolved while they have only ever been with tier-1 teams "
                "(no functional escalation: by the button, by a change of team or "
                "by routing at logging) / tickets logged in the period "
                "(事件一次解决率)."
            ),
            "ontime_rate": _(
                "Tickets resolved within the resolution target (decided at "
                "resolution from the business recovery time) / tickets logged in "
                "the period (事件按时解决率)."
            ),
            "mean_resolve_hours": _(
                "Wall-clock hours from logging to the business recovery time (to "
                "the resolution where none is recorded), never negative, over the "
                "tickets resolved."
            ),
            "mean_resolve_minutes": _(
                "Working minutes of the SLA calendar from logging to the resolution, "
                "pauses deducted, over the tickets resolved."
            ),
            "reopen_rate": _(
                "Tickets logged in the period that continue a closed ticket (a "
                "reply to it, the customer's rejection of its resolution, its alert "
                "firing again) / tickets logged in the period."
            ),
            "satisfaction": _(
                "Mean of the satisfaction (1-5) the customers gave, over the tickets "
                "rated."
            ),
        }

    @api.model
    def _itss_breakdown_titles(self):
        """[(breakdown key, title)] in report order."""
        _ = self.env._
        titles = {
            "team": _("By team"),
            "tier": _("By support tier"),
            "engineer": _("By engineer"),
            "category": _("By category"),
            "ci": _("By configuration item"),
            "vendor": _("By vendor"),
            "priority": _("By priority"),
            "channel": _("By channel"),
        }
        return [(name, titles[name]) for name, _field in BREAKDOWNS]

    @api.model
    def _itss_breakdown_columns(self):
        """[(figure key, heading)] of a breakdown's columns after its label."""
        _ = self.env._
        return [
            ("logged", _("Number Logged")),
            ("resolved", _("Resolved")),
            ("response_rate", _("Response in SLA (%)")),
            ("fcr_rate", _("First-contact resolution (%)")),
            ("ontime_rate", _("On-time resolution (%)")),
            ("resolution_rate", _("Resolution rate (%)")),
            ("mean_resolve_hours", _("Mean time to resolve (hours)")),
        ]

    @api.model
    def _itss_followup(self, company, customer, start, end):
        """The follow-up visits (回访) made in the period: the register's figures."""
        domain = [
            ("company_id", "=", company.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
        if customer:
            domain.append(("partner_id", "=", customer.commercial_partner_id.id))
        return self.env["itss.followup.visit"]._itss_report_figures(domain)

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
            # the locale's own year-month form: "Nov 2026", "2026年11月"
            locale = babel.Locale.parse(lang or self.env.lang or "en_US")
            return babel.dates.format_skeleton("yMMM", start, locale=locale)
        first_day = format_date(self.env, start, lang_code=lang)
        last_day = format_date(self.env, last, lang_code=lang)
        return f"{first_day} - {last_day}"

    @api.model
    def _itss_breakdown(self, report, field, figures):
        """Rows (``label``, ``key``, and the figures of ``itss_kpis``) of the tickets
        logged in the period, by ``field``, from ``figures`` ({value: figures})."""
        comodel = report._fields[field].comodel_name
        selection = (
            dict(report._fields[field]._description_selection(self.env))
            if report._fields[field].type == "selection"
            else {}
        )
        records = (
            self.env[comodel].browse([key for key in figures if key]).exists()
            if comodel
            else None
        )
        names = {record.id: record.display_name for record in records or []}
        if field == "team_id" and records:
            tiers = dict(records._fields["itss_tier"]._description_selection(self.env))
            names = {
                team.id: f"{team.display_name} ({tiers.get(team.itss_tier, '-')})"
                for team in records
            }
        rows = []
        for key, values in figures.items():
            if not key:
                label = self.env._("None")
            elif comodel:
                label = names.get(key) or str(key)
            else:
                label = selection.get(key, key)
            rows.append(dict(values, key=key, label=label))
        rows.sort(key=lambda row: (row["key"] is None, str(row["label"])))
        return rows

    @api.model
    def _itss_add_availability(self, rows, start, end):
        """The availability (%) of each configuration item's row over the period."""
        ids = [row["key"] for row in rows if row["key"]]
        availability = (
            self.env["itss.configuration.item"]
            .browse(ids)
            .exists()
            .itss_availability(start, end)
            if ids
            else {}
        )
        for row in rows:
            row["availability"] = availability.get(row["key"], {}).get("availability")

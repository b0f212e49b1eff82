import io
from datetime import date, datetime, time, timedelta

import xlsxwriter
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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
        forecast = self._itss_forecast(volumes)
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
            "chart_weekly": charts and self._itss_svg_bars(
                [(format_date(self.env, week, lang_code=self.lang), count) for week, count in weekly],
                self.env._("Tickets logged per week"),
            ),
            "chart_priority": charts and self._itss_svg_bars(
                [(row["label"], row["logged"]) for row in breakdowns["priority"]],
                self.env._("Priority mix"),
            ),
            "chart_sla": charts and self._itss_svg_bars(
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

    @staticmethod
    def _itss_forecast(volumes):
        """Least-squares line through (0, v0) .. (n-1, vn-1), read at n."""
        n = len(volumes)
        if not n:
            return 0
        if n == 1:
            return volumes[0]
        mean_x = (n - 1) / 2.0
        mean_y = sum(volumes) / float(n)
        sxx = sum((x - mean_x) ** 2 for x in range(n))
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(volumes))
        slope = sxy / sxx
        return max(round(mean_y + slope * (n - mean_x)), 0)

    @staticmethod
    def _itss_svg_bars(items, title, target=None):
        """A bar chart as inline SVG (drawn on the server, no JavaScript)."""
        width, height, left, bottom = 520, 180, 36, 40
        top = 24
        values = [value for _label, value in items] or [0]
        peak = max(max(values), target or 0, 1)
        slot = (width - left - 10) / max(len(items), 1)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
            f'<text x="{left}" y="14" font-size="12" font-weight="bold">{Markup.escape(title)}</text>',
            f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
            f'y2="{height - bottom}" stroke="#888"/>',
        ]
        usable = height - bottom - top
        for index, (label, value) in enumerate(items):
            bar = usable * value / peak
            x = left + index * slot + slot * 0.15
            y = height - bottom - bar
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
                f'fill="#4c78a8"/>'
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value}</text>'
            )
            # a label too long for one line ("05/05/2026 - 06/04/2026") goes on two;
            # cut before escaping, so that no entity is cut in half
            lines = str(label).split(" - ", 1) if len(str(label)) > 14 else [str(label)]
            for row, line in enumerate(lines):
                parts.append(
                    f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14 + 12 * row}" '
                    f'text-anchor="middle">{Markup.escape(line[:14])}</text>'
                )
        if target is not None:
            y = height - bottom - usable * target / peak
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
                f'stroke="#d62728" stroke-dasharray="4 3"/>'
            )
        parts.append("</svg>")
        return Markup("".join(parts))

    def _itss_xlsx(self):
        data = self._itss_data()
        labels = self._itss_labels()
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet(self.env._("Summary"))
        sheet.write(0, 0, self._itss_file_name(), bold)
        sheet.write(1, 0, data["customer"].display_name or self.env._("All customers"))
        row = 3
        sheet.write(row, 0, self.env._("Figure"), bold)
        sheet.write(row, 1, data["current"]["label"], bold)
        sheet.write(row, 2, data["previous"]["label"], bold)
        for key, label in labels:
            row += 1
            sheet.write(row, 0, label)
            for col, period in ((1, data["current"]), (2, data["previous"])):
                value = period[key]
                sheet.write(row, col, round(value, 2) if isinstance(value, float) else value)
        row += 2
        sheet.write(row, 0, self.env._("Forecast of tickets next period"), bold)
        sheet.write(row, 1, data["forecast"])
        sheet.write(row + 1, 0, data["forecast_method"])
        for name, title in (
            ("team", self.env._("By team")),
            ("category", self.env._("By category")),
            ("priority", self.env._("By priority")),
        ):
            ws = book.add_worksheet(title[:31])
            for col, head in enumerate(
                (title, self.env._("Number Logged"), self.env._("Resolved"),
                 self.env._("First-contact resolution (%)"), self.env._("On-time resolution (%)"))
            ):
                ws.write(0, col, head, bold)
            for r, line in enumerate(data["breakdowns"][name], start=1):
                ws.write(r, 0, str(line["label"]))
                ws.write(r, 1, line["logged"])
                ws.write(r, 2, line["resolved"])
                ws.write(r, 3, round(line["fcr_rate"], 2) if line["fcr_rate"] is not None else "")
                ws.write(r, 4, round(line["ontime_rate"], 2) if line["ontime_rate"] is not None else "")
        book.close()
        return buffer.getvalue()

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

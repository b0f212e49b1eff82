from odoo import api, models
from odoo.tools import SQL

# The aggregates of the report rows every figure comes from (one query; one for all the
# breakdowns, with GROUPING SETS): counts of the tickets logged in the period and the
# sums and medians of their measured durations.
AGGREGATES = """
    COUNT(*) AS logged,
    COALESCE(SUM(responded), 0) AS responded,
    COALESCE(SUM(resolved), 0) AS resolved,
    COALESCE(SUM(closed), 0) AS closed,
    COALESCE(SUM(first_contact_resolved), 0) AS first_contact_resolved,
    COALESCE(SUM(response_in_sla), 0) AS response_in_sla,
    COALESCE(SUM(resolve_in_sla), 0) AS resolve_in_sla,
    COALESCE(SUM(reopened), 0) AS reopened,
    COALESCE(SUM(escalation_count), 0) AS escalations,
    COALESCE(SUM(paused_minutes), 0) AS paused_minutes,
    COUNT(response_minutes) AS response_count,
    SUM(response_minutes) AS response_sum,
    SUM(response_minutes_wall) AS response_wall_sum,
    COUNT(resolve_minutes) AS resolve_count,
    SUM(resolve_minutes) AS resolve_sum,
    SUM(resolve_hours_wall) AS resolve_wall_sum,
    COUNT(satisfaction) AS satisfaction_count,
    SUM(satisfaction) AS satisfaction_sum
"""
# the medians: a sort each, for the period's figures (a breakdown's rows and the
# earlier periods of a trend leave them out: None)
MEDIANS = """,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY response_minutes) AS response_median,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY response_minutes_wall)
        AS response_wall_median,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY resolve_minutes) AS resolve_median,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY resolve_hours_wall)
        AS resolve_wall_median
"""

# figure: (numerator, denominator) of the aggregates; rates in percent
RATES = {
    "fcr_rate": ("first_contact_resolved", "logged"),
    "fcr_rate_resolved": ("first_contact_resolved", "resolved"),
    "ontime_rate": ("resolve_in_sla", "logged"),
    "ontime_rate_resolved": ("resolve_in_sla", "resolved"),
    "resolution_rate": ("closed", "logged"),
    "response_rate": ("response_in_sla", "logged"),
    "reopen_rate": ("reopened", "logged"),
}
# figure: (sum, count, median) of the aggregates
MEANS = {
    "mean_response_minutes": ("response_sum", "response_count", None),
    "median_response_minutes": (None, "response_count", "response_median"),
    "mean_response_minutes_wall": ("response_wall_sum", "response_count", None),
    "median_response_minutes_wall": (
        None,
        "response_count",
        "response_wall_median",
    ),
    # logging to the first response (acceptance, a public reply or the
    # resolution), wall-clock: the time the customer waits to be acknowledged
    "mean_acknowledge_minutes": ("response_wall_sum", "response_count", None),
    "mean_resolve_hours": ("resolve_wall_sum", "resolve_count", None),
    "median_resolve_hours": (None, "resolve_count", "resolve_wall_median"),
    "mean_resolve_minutes": ("resolve_sum", "resolve_count", None),
    "median_resolve_minutes": (None, "resolve_count", "resolve_median"),
    "satisfaction": ("satisfaction_sum", "satisfaction_count", None),
}
# the plain counts a figure dict carries
COUNTS = (
    "logged",
    "responded",
    "resolved",
    "closed",
    "first_contact_resolved",
    "response_in_sla",
    "resolve_in_sla",
    "reopened",
    "escalations",
    "paused_minutes",
)


def kpi_figures(row):
    """The figures of one row of AGGREGATES: the counts, the rates (percent, None
    where the denominator is 0), the means and medians (None without a measured
    ticket, never negative) and ``counts``: {figure: {"numerator", "denominator"}}
    (for a mean: the sum and the number of tickets measured)."""
    figures = {key: row[key] for key in COUNTS}
    figures["paused_minutes"] = float(row["paused_minutes"] or 0.0)
    counts = {}
    for key, (num, den) in RATES.items():
        figures[key] = 100.0 * row[num] / row[den] if row[den] else None
        counts[key] = {"numerator": row[num], "denominator": row[den]}
    for key, (total, count, median) in MEANS.items():
        n = row[count]
        if median:
            value = row.get(median)
        else:
            value = row[total] / n if n else None
        figures[key] = max(float(value), 0.0) if value is not None else None
        counts[key] = {
            "numerator": round(float(row[total] or 0.0), 2) if total else None,
            "denominator": n,
        }
    figures["counts"] = counts
    return figures


class ItssIncidentReport(models.Model):
    """The KPI figures (DESIGN.md, "KPI figures"): the one source of the numbers the
    pivot, the PDF, the XLSX and the wizard's preview show."""

    _inherit = "itss.incident.report"

    @api.model
    def itss_kpis(self, domain):
        """The figures of the report rows matching ``domain`` (e.g. company, contract,
        customer, team, ``date`` = logged in the period), over the tickets logged:

        ``logged``, ``responded``, ``resolved``, ``closed``, ``first_contact_resolved``,
        ``response_in_sla``, ``resolve_in_sla``, ``reopened``, ``escalations``,
        ``paused_minutes`` (counts); ``fcr_rate`` (first-contact resolved / logged,
        事件一次解决率), ``ontime_rate`` (resolved within the resolution target /
        logged, 事件按时解决率), ``resolution_rate`` (closed / logged, 事件解决率),
        ``response_rate`` (responded within the response target / logged),
        ``reopen_rate`` (logged tickets continuing a closed one / logged),
        ``fcr_rate_resolved`` and ``ontime_rate_resolved`` (the same of the resolved)
        in percent, None where the denominator is 0; ``mean_response_minutes`` and
        ``median_response_minutes`` (working), ``mean_response_minutes_wall``,
        ``median_response_minutes_wall``, ``mean_acknowledge_minutes`` (wall-clock,
        logging to the first response), ``mean_resolve_hours`` and
        ``median_resolve_hours`` (wall-clock, logging to the business recovery time,
        else the resolution), ``mean_resolve_minutes`` and ``median_resolve_minutes``
        (working), ``satisfaction`` (mean, 1-5); durations are never negative.
        ``counts``: {figure: {"numerator", "denominator"}}. Read-only, one query,
        with the caller's rights (record rules of the tickets apply)."""
        self.check_access("read")
        return kpi_figures(self._itss_kpi_rows(domain)[0])

    @api.model
    def _itss_kpis_by(self, domain, field):
        """{value of ``field`` (an id, a selection key or None): figures} of the rows
        matching ``domain``, on the same definitions as ``itss_kpis`` (one query;
        no medians: None)."""
        self.check_access("read")
        column = SQL.identifier(self._table, field)
        return {
            row["key"]: kpi_figures(row) for row in self._itss_kpi_rows(domain, column)
        }

    @api.model
    def _itss_kpis_by_fields(self, domain, fields):
        """{field: {value: figures}} for each of ``fields``, as ``_itss_kpis_by`` gives
        them, in one query (GROUPING SETS: the rows are read once)."""
        self.check_access("read")
        result = {field: {} for field in fields}
        if not fields:
            return result
        columns = [SQL.identifier(self._table, field) for field in fields]
        for row in self._itss_kpi_rows(
            domain,
            select=SQL(
                "%s, %s",
                SQL(", ").join(
                    SQL("%s AS %s", column, SQL.identifier(f"key_{field}"))
                    for field, column in zip(fields, columns, strict=True)
                ),
                SQL(", ").join(
                    SQL("GROUPING(%s) AS %s", column, SQL.identifier(f"set_{field}"))
                    for field, column in zip(fields, columns, strict=True)
                ),
            ),
            group=SQL(
                "GROUPING SETS (%s)",
                SQL(", ").join(SQL("(%s)", column) for column in columns),
            ),
        ):
            field = next(field for field in fields if not row[f"set_{field}"])
            result[field][row[f"key_{field}"]] = kpi_figures(row)
        return result

    @api.model
    def _itss_kpi_rows(self, domain, group=None, select=None, medians=True):
        # the rows are a view of the tickets: what is pending in the cache counts
        self.env["helpdesk.ticket"].flush_model()
        self.env["itss.configuration.item"].flush_model(["vendor_id"])
        query = self._search(domain)
        if group is None:
            return self.env.execute_query_dict(
                SQL(
                    "SELECT %s FROM %s WHERE %s",
                    SQL(AGGREGATES + (MEDIANS if medians else "")),
                    query.from_clause,
                    query.where_clause or SQL("TRUE"),
                )
            )
        return self.env.execute_query_dict(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s GROUP BY %s",
                select or SQL("%s AS key", group),
                SQL(AGGREGATES),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
                group,
            )
        )

    @api.model
    def _itss_period_kpis(self, date_from, date_to, domain=(), medians=True):
        """The figures of the tickets logged in [date_from, date_to); without
        ``medians``, the medians are None (a sort each saved)."""
        self.check_access("read")
        rows = self._itss_kpi_rows(
            list(domain) + [("date", ">=", date_from), ("date", "<", date_to)],
            medians=medians,
        )
        return kpi_figures(rows[0])

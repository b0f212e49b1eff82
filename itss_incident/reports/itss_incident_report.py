from odoo import api, fields, models
from odoo.tools import SQL

from ..models.helpdesk_ticket import TICKET_TYPE_SELECTION
from ..models.helpdesk_ticket_stage import ITSS_STATE_SELECTION
from ..models.helpdesk_ticket_team import ITSS_TIER_SELECTION
from ..models.itss_priority_matrix import PRIORITY_SELECTION


class ItssIncidentReport(models.Model):
    """One row per ITSS ticket: the stored facts of its lifecycle, for pivot, graph
    and the service report. Figures are computed from the tickets, never kept."""

    _name = "itss.incident.report"
    _description = "ITSS Incident Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    date = fields.Datetime(string="Logged On", readonly=True)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    tier = fields.Selection(ITSS_TIER_SELECTION, string="Support Tier", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    itss_ticket_type = fields.Selection(
        TICKET_TYPE_SELECTION,
        string="Ticket Type",
        readonly=True,
    )
    itss_priority = fields.Selection(
        PRIORITY_SELECTION, string="Priority", readonly=True
    )
    itss_state = fields.Selection(
        ITSS_STATE_SELECTION,
        string="State",
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer Company", readonly=True
    )
    nbr = fields.Integer(string="Tickets", readonly=True)
    responded = fields.Integer(readonly=True)
    resolved = fields.Integer(readonly=True)
    closed = fields.Integer(readonly=True)
    first_contact_resolved = fields.Integer(
        string="First-contact Resolved",
        readonly=True,
        help="Resolved without a functional escalation.",
    )
    response_in_sla = fields.Integer(string="Responded in SLA", readonly=True)
    resolve_in_sla = fields.Integer(string="Resolved in SLA", readonly=True)
    reopened = fields.Integer(
        string="Reopened as New",
        readonly=True,
        help="Tickets that continue a closed one.",
    )
    response_minutes = fields.Float(
        string="Response Time (working min)", readonly=True, aggregator="avg"
    )
    response_minutes_wall = fields.Float(
        string="Response Time (min)",
        readonly=True,
        aggregator="avg",
        help="Wall-clock minutes from logging to the first response.",
    )
    resolve_minutes = fields.Float(
        string="Resolution Time (working min)", readonly=True, aggregator="avg"
    )
    resolve_hours_wall = fields.Float(
        string="Resolution Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Wall-clock hours from logging to resolution.",
    )
    paused_minutes = fields.Float(string="Paused Time (working min)", readonly=True)
    satisfaction = fields.Float(readonly=True, aggregator="avg")
    escalation_count = fields.Integer(string="Escalations", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.itss_logged_date AS date,
                   t.itss_resolved_date AS resolved_date,
                   t.company_id,
                   t.team_id,
                   t.itss_tier AS tier,
                   t.category_id,
                   t.itss_ticket_type,
                   t.itss_priority,
                   t.itss_state,
                   t.user_id,
                   t.partner_id,
                   t.commercial_partner_id,
                   1 AS nbr,
                   (t.itss_first_response_date IS NOT NULL)::int AS responded,
                   (t.itss_resolved_date IS NOT NULL)::int AS resolved,
                   (t.itss_state = 'closed')::int AS closed,
                   (t.itss_resolved_date IS NOT NULL
                    AND COALESCE(t.itss_escalation_count, 0) = 0)::int
                       AS first_contact_resolved,
                   (t.itss_first_response_date IS NOT NULL
                    AND NOT COALESCE(t.itss_response_breached, FALSE))::int
                       AS response_in_sla,
                   (t.itss_resolved_date IS NOT NULL
                    AND NOT COALESCE(t.itss_resolve_breached, FALSE))::int
                       AS resolve_in_sla,
                   (t.itss_reopened_from_id IS NOT NULL)::int AS reopened,
                   CASE WHEN t.itss_first_response_date IS NOT NULL
                        THEN t.itss_response_minutes END AS response_minutes,
                   CASE WHEN t.itss_first_response_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM t.itss_first_response_date
                                                - t.itss_logged_date)
                             / 60.0 END AS response_minutes_wall,
                   CASE WHEN t.itss_resolved_date IS NOT NULL
                        THEN t.itss_resolve_minutes END AS resolve_minutes,
                   CASE WHEN t.itss_resolved_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM t.itss_resolved_date
                                                - t.itss_logged_date)
                             / 3600.0 END AS resolve_hours_wall,
                   COALESCE(t.itss_paused_minutes, 0) AS paused_minutes,
                   NULLIF(t.itss_satisfaction, '')::int AS satisfaction,
                   COALESCE(t.itss_escalation_count, 0) AS escalation_count
              FROM helpdesk_ticket t
             WHERE t.itss_tier IS NOT NULL AND t.active
            """
        )

    @api.model
    def _itss_kpis(self, domain):
        """The service KPIs of the tickets matching ``domain`` (one query)."""
        query = self._search(domain)
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT COUNT(*) AS logged,
                       COALESCE(SUM(responded), 0) AS responded,
                       COALESCE(SUM(resolved), 0) AS resolved,
                       COALESCE(SUM(closed), 0) AS closed,
                       COALESCE(SUM(first_contact_resolved), 0)
                           AS first_contact_resolved,
                       COALESCE(SUM(response_in_sla), 0) AS response_in_sla,
                       COALESCE(SUM(resolve_in_sla), 0) AS resolve_in_sla,
                       COALESCE(SUM(reopened), 0) AS reopened,
                       AVG(response_minutes) AS response_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY response_minutes)
                           AS response_median,
                       AVG(response_minutes_wall) AS response_wall_avg,
                       PERCENTILE_CONT(0.5)
                           WITHIN GROUP (ORDER BY response_minutes_wall)
                           AS response_wall_median,
                       AVG(resolve_minutes) AS resolve_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY resolve_minutes)
                           AS resolve_median,
                       AVG(resolve_hours_wall) AS resolve_wall_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY resolve_hours_wall)
                           AS resolve_wall_median,
                       COALESCE(SUM(paused_minutes), 0) AS paused_minutes,
                       AVG(satisfaction) AS satisfaction,
                       COALESCE(SUM(escalation_count), 0) AS escalations
                  FROM %s
                 WHERE %s
                """,
                query.from_clause,
                query.where_clause or SQL("TRUE"),
            )
        )
        kpi = rows[0]
        resolved = kpi["resolved"]
        kpi["fcr_rate"] = (
            100.0 * kpi["first_contact_resolved"] / resolved if resolved else None
        )
        kpi["ontime_rate"] = (
            100.0 * kpi["resolve_in_sla"] / resolved if resolved else None
        )
        kpi["response_rate"] = (
            100.0 * kpi["response_in_sla"] / kpi["responded"]
            if kpi["responded"]
            else None
        )
        return kpi

    @api.model
    def _itss_period_kpis(self, date_from, date_to, domain=()):
        """KPIs of a period: what was logged in it, and what was resolved in it."""
        domain = list(domain)
        logged = self._itss_kpis(
            domain + [("date", ">=", date_from), ("date", "<", date_to)]
        )
        resolved = self._itss_kpis(
            domain
            + [("resolved_date", ">=", date_from), ("resolved_date", "<", date_to)]
        )
        return {
            "logged": logged["logged"],
            "responded": logged["responded"],
            "response_in_sla": logged["response_in_sla"],
            "response_rate": logged["response_rate"],
            "response_avg": logged["response_avg"],
            "response_median": logged["response_median"],
            "response_wall_avg": logged["response_wall_avg"],
            "response_wall_median": logged["response_wall_median"],
            "reopened": logged["reopened"],
            "escalations": logged["escalations"],
            "resolved": resolved["resolved"],
            "closed": resolved["closed"],
            "first_contact_resolved": resolved["first_contact_resolved"],
            "fcr_rate": resolved["fcr_rate"],
            "resolve_in_sla": resolved["resolve_in_sla"],
            "ontime_rate": resolved["ontime_rate"],
            "resolve_avg": resolved["resolve_avg"],
            "resolve_median": resolved["resolve_median"],
            "resolve_wall_avg": resolved["resolve_wall_avg"],
            "resolve_wall_median": resolved["resolve_wall_median"],
            "paused_minutes": resolved["paused_minutes"],
            "satisfaction": resolved["satisfaction"],
        }

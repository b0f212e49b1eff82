from odoo import fields, models
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
    ci_id = fields.Many2one(
        "itss.configuration.item", string="Configuration Item", readonly=True
    )
    vendor_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The vendor at fault, else the configuration item's vendor.",
    )
    channel_id = fields.Many2one(
        "helpdesk.ticket.channel", string="Ticket Channel", readonly=True
    )
    contract_id = fields.Many2one(
        "itss.service.contract", string="Service Contract", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer Company", readonly=True
    )
    nbr = fields.Integer(string="Tickets", readonly=True)
    responded = fields.Integer(readonly=True)
    resolved = fields.Integer(
        readonly=True,
        help="Resolved, unless the customer rejected the resolution (the ticket "
        "continuing it counts).",
    )
    closed = fields.Integer(
        readonly=True,
        help="Closed, but not as unsuccessful (a resolution the customer rejected).",
    )
    first_contact_resolved = fields.Integer(
        string="First-contact Resolved",
        readonly=True,
        help="Resolved while the ticket has only ever been with tier-1 teams.",
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
        help="Wall-clock minutes from logging to the first response (acceptance, a "
        "public reply or the resolution), never negative.",
    )
    resolve_minutes = fields.Float(
        string="Resolution Time (working min)", readonly=True, aggregator="avg"
    )
    resolve_hours_wall = fields.Float(
        string="Resolution Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Wall-clock hours from logging to the business recovery time (to the "
        "resolution where none is recorded), never negative.",
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
                   t.itss_ci_id AS ci_id,
                   COALESCE(t.itss_fault_vendor_id, ci.vendor_id) AS vendor_id,
                   t.channel_id,
                   t.itss_contract_id AS contract_id,
                   t.partner_id,
                   t.commercial_partner_id,
                   1 AS nbr,
                   (t.itss_first_response_date IS NOT NULL)::int AS responded,
                   -- a resolution the customer rejected is none: its continuation
                   -- (a new ticket) carries the incident on
                   (t.itss_resolved_date IS NOT NULL
                    AND t.itss_close_origin IS DISTINCT FROM 'rejected')::int
                       AS resolved,
                   (t.itss_state = 'closed'
                    AND t.itss_close_origin IS DISTINCT FROM 'rejected')::int
                       AS closed,
                   -- first contact (DESIGN.md, "Resolution record"): only ever with
                   -- tier-1 teams; every move above tier 1 counts an escalation
                   (t.itss_resolved_date IS NOT NULL
                    AND t.itss_close_origin IS DISTINCT FROM 'rejected'
                    AND t.itss_tier = '1'
                    AND COALESCE(t.itss_escalation_count, 0) = 0)::int
                       AS first_contact_resolved,
                   (t.itss_first_response_date IS NOT NULL
                    AND NOT COALESCE(t.itss_response_breached, FALSE))::int
                       AS response_in_sla,
                   -- the resolution target is decided at resolution, from the
                   -- business recovery time where the ticket has one
                   (t.itss_resolved_date IS NOT NULL
                    AND t.itss_close_origin IS DISTINCT FROM 'rejected'
                    AND NOT COALESCE(t.itss_resolve_breached, FALSE))::int
                       AS resolve_in_sla,
                   (t.itss_reopened_from_id IS NOT NULL)::int AS reopened,
                   CASE WHEN t.itss_first_response_date IS NOT NULL
                        THEN GREATEST(COALESCE(t.itss_response_minutes, 0), 0)
                        END AS response_minutes,
                   -- wall-clock from logging (never before it: a guard)
                   CASE WHEN t.itss_first_response_date IS NOT NULL
                        THEN GREATEST(EXTRACT(EPOCH FROM t.itss_first_response_date
                                                  - t.itss_logged_date), 0)
                             / 60.0 END AS response_minutes_wall,
                   CASE WHEN t.itss_resolved_date IS NOT NULL
                         AND t.itss_close_origin IS DISTINCT FROM 'rejected'
                        THEN GREATEST(COALESCE(t.itss_resolve_minutes, 0), 0)
                        END AS resolve_minutes,
                   -- logging to the business recovery (what the target is decided
                   -- on), the resolution where none is recorded
                   CASE WHEN t.itss_resolved_date IS NOT NULL
                         AND t.itss_close_origin IS DISTINCT FROM 'rejected'
                        THEN GREATEST(EXTRACT(EPOCH FROM
                                 COALESCE(t.itss_recovery_date, t.itss_resolved_date)
                                 - t.itss_logged_date), 0)
                             / 3600.0 END AS resolve_hours_wall,
                   GREATEST(COALESCE(t.itss_paused_minutes, 0), 0) AS paused_minutes,
                   NULLIF(t.itss_satisfaction, '')::int AS satisfaction,
                   COALESCE(t.itss_escalation_count, 0) AS escalation_count
              FROM helpdesk_ticket t
              LEFT JOIN itss_configuration_item ci ON ci.id = t.itss_ci_id
             WHERE t.itss_tier IS NOT NULL AND t.active
            """
        )

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html2plaintext, is_html_empty

from ..tools import run_locked_batch, toast
from .mail_thread import ITSS_AUTO_SUBMITTED
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES, ITSS_TRANSITIONS
from .itss_priority_matrix import (
    IMPACT_SELECTION,
    PRIORITY_SELECTION,
    URGENCY_SELECTION,
)

# helpdesk_mgmt's priority follows the ITSS priority: P1 -> Very High ... P4 -> Low.
HELPDESK_PRIORITY = {"1": "3", "2": "2", "3": "1", "4": "0"}
SATISFACTION_SELECTION = [
    ("1", "Very dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very satisfied"),
]
TICKET_TYPE_SELECTION = [
    ("incident", "Incident"),
    ("service_request", "Service Request"),
    ("security", "Security Incident"),
]
FOLLOWUP_RESULT_SELECTION = [
    ("satisfied", "Satisfied"),
    ("not_satisfied", "Not satisfied"),
    ("unreachable", "Unreachable"),
]
CLOSE_ORIGIN_SELECTION = [
    ("desk", "Service desk"),
    ("customer", "Customer confirmation"),
    ("auto", "Automatic close"),
    ("alert", "Monitoring recovery"),
    ("duplicate", "Closed with its master"),
    ("rejected", "Rejected by the customer"),
]
OPEN_STATES = ("new", "assigned", "in_progress", "pending")

# Facts the system derives (DESIGN.md, "One authority for the rules"): written by the
# model only. Internal steps pass _ITSS_FACTS as the context's ``itss_facts``: a Python
# object that no JSON-RPC caller can send (OCA queue_job's EDIT_SENTINEL).
_ITSS_FACTS = object()
ITSS_FACT_FIELDS = {
    "itss_state",
    "itss_resolved_date",
    "itss_close_origin",
    "itss_sla_policy_id",
    "itss_response_deadline",
    "itss_resolve_deadline",
    "itss_response_warn_date",
    "itss_response_warn2_date",
    "itss_resolve_warn_date",
    "itss_resolve_warn2_date",
    "itss_first_response_date",
    "itss_response_breached",
    "itss_resolve_breached",
    "itss_sla_at_risk",
    "itss_response_minutes",
    "itss_resolve_minutes",
    "itss_paused_minutes",
    "itss_escalation_count",
    "itss_reassign_count",
    "itss_progress_count",
    "itss_progress_notified",
    "itss_dispatch_date",
    "itss_escalation_checked_date",
    "itss_escalation_retry_date",
    "itss_next_action_date",
    "itss_auto_close_date",
    "itss_reminder_date",
    "itss_followup_date",
    "itss_reconfirm_date",
    "itss_reconfirm_user_id",
    "itss_can_handle_alone",
}


class _ItssCorrection:
    """The private pass of an incident manager's correction (resolved -> in progress),
    with its reason; built only by the model, never by an RPC caller."""

    def __init__(self, reason):
        self.reason = reason


# Fields of helpdesk_mgmt that a closed ticket keeps as they are (besides every itss_*
# field but those of _itss_get_post_close_fields()).
FROZEN_CORE_FIELDS = {
    "name",
    "description",
    "stage_id",
    "team_id",
    "user_id",
    "partner_id",
    "partner_name",
    "partner_email",
    "category_id",
    "channel_id",
    "priority",
    "company_id",
    "duplicate_id",
    "number",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # helpdesk_mgmt's priority follows the ITSS priority on ITSS tickets; no default, so
    # that the compute decides it on creation.
    priority = fields.Selection(
        default=None, compute="_compute_priority", store=True, readonly=False
    )
    # ITSS tickets move between the ITSS stages only, other tickets between the others.
    stage_id = fields.Many2one(
        domain="[('itss_state', '!=' if itss_tier else '=', False), "
        "'|', ('team_ids', '=', team_id), ('team_ids', '=', False)]"
    )
    # what an auditor follows (DESIGN.md, second edition): tracked in the chatter
    category_id = fields.Many2one(tracking=True)
    itss_tier = fields.Selection(
        related="team_id.itss_tier",
        store=True,
        string="Support Tier",
    )
    itss_state = fields.Selection(
        related="stage_id.itss_state",
        store=True,
        index=True,
        string="ITSS State",
    )
    itss_ticket_type = fields.Selection(
        TICKET_TYPE_SELECTION,
        string="Ticket Type",
        required=True,
        default="incident",
        tracking=True,
    )
    itss_impact = fields.Selection(
        IMPACT_SELECTION,
        string="Impact",
        required=True,
        default="4",
        tracking=True,
        help="How widely the business is affected, judged by the service desk or the "
        "engineer: extensive, significant, moderate or minor.",
    )
    itss_urgency = fields.Selection(
        URGENCY_SELECTION,
        string="Urgency",
        compute="_compute_itss_urgency",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
        help="How urgent the customer's need is. Medium by default, high for VIP "
        "customers.",
    )
    itss_priority = fields.Selection(
        PRIORITY_SELECTION,
        string="ITSS Priority",
        compute="_compute_itss_priority",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Looked up in the company's priority matrix from impact and urgency; "
        "may be changed by hand until impact or urgency change again.",
    )
    itss_wait_code_id = fields.Many2one(
        "itss.wait.code",
        string="Wait Code",
        tracking=True,
        copy=False,
        help="Why the ticket is pending; required to enter the Pending state.",
    )
    itss_solution = fields.Html(
        string="Solution",
        copy=False,
        help="How the incident was resolved; required to resolve the ticket.",
    )
    itss_closure_code_id = fields.Many2one(
        "itss.closure.code",
        string="Closure Code",
        tracking=True,
        copy=False,
    )
    itss_recovery_date = fields.Datetime(
        string="Business Recovery Time",
        tracking=True,
        copy=False,
        help="When the business service was back; required to resolve an incident.",
    )
    itss_completion_date = fields.Datetime(
        string="Actual Completion Time",
        tracking=True,
        copy=False,
        help="When the resolver finished the work (实际完成时间); now by default, never "
        "in the future nor before the ticket was logged.",
    )
    itss_pending_until = fields.Datetime(
        string="Pending Until",
        tracking=True,
        copy=False,
        help="Until when the ticket waits; the assignee gets a to-do at that time. The "
        "ticket does not resume by itself.",
    )
    itss_resolved_date = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, index=True
    )
    itss_resolver_role = fields.Selection(
        [
            ("service_desk", "Service desk"),
            ("first_line", "First line engineer"),
            ("second_line", "Second line engineer"),
            ("vendor", "Vendor"),
        ],
        string="Resolved By",
        compute="_compute_itss_resolver_role",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )
    itss_fault_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor at Fault",
        copy=False,
        tracking=True,
        help="The vendor whose product or service caused the incident, if any.",
    )
    itss_satisfaction = fields.Selection(
        SATISFACTION_SELECTION,
        string="Satisfaction",
        tracking=True,
        copy=False,
        help="The customer's satisfaction with the resolution; required when the "
        "service desk closes the ticket.",
    )
    itss_satisfaction_comment = fields.Text(string="Satisfaction Comment", copy=False)
    itss_close_origin = fields.Selection(
        CLOSE_ORIGIN_SELECTION,
        string="Closed By",
        readonly=True,
        copy=False,
    )
    itss_auto_generated = fields.Boolean(
        string="Raised by Monitoring",
        copy=False,
        help="Raised automatically by a monitoring alert: it closes without the "
        "customer's confirmation.",
    )
    itss_reporter_org = fields.Char(
        string="Reporter Organisation",
        compute="_compute_itss_reporter",
        store=True,
        precompute=True,
        readonly=False,
    )
    itss_reporter_phone = fields.Char(
        string="Reporter Phone",
        compute="_compute_itss_reporter",
        store=True,
        precompute=True,
        readonly=False,
    )
    itss_reporter_mobile = fields.Char(
        string="Reporter Mobile",
        compute="_compute_itss_reporter",
        store=True,
        precompute=True,
        readonly=False,
    )
    itss_reopened_from_id = fields.Many2one(
        "helpdesk.ticket",
        string="Follows Ticket",
        index="btree_not_null",
        copy=False,
        help="The closed ticket this one continues (rejected resolution, reply to a "
        "closed ticket, alert firing again).",
    )
    itss_reopened_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "itss_reopened_from_id",
        string="Follow-up Tickets",
    )
    itss_followup_result = fields.Selection(
        FOLLOWUP_RESULT_SELECTION,
        string="Follow-up Result",
        tracking=True,
        copy=False,
        help="What the customer said at the follow-up visit (回访) after closing.",
    )
    itss_followup_note = fields.Text(string="Follow-up Note", copy=False)
    itss_followup_date = fields.Datetime(string="Followed Up On", copy=False, readonly=True)
    itss_reconfirm_date = fields.Datetime(
        string="Urgency Re-confirmed On", copy=False, readonly=True, tracking=True
    )
    itss_reconfirm_user_id = fields.Many2one(
        "res.users", string="Re-confirmed By", copy=False, readonly=True
    )
    itss_can_handle_alone = fields.Boolean(
        string="Can Handle Alone",
        copy=False,
        readonly=True,
        tracking=True,
        help="At the urgent re-confirmation, the first line engineer said they can "
        "resolve the ticket without help.",
    )
    itss_alert_source_id = fields.Many2one(
        "itss.alert.source", string="Alert Source", index="btree_not_null", copy=False,
        readonly=True,
    )
    itss_alert_fingerprint = fields.Char(string="Alert Fingerprint", copy=False, readonly=True)
    itss_alert_count = fields.Integer(string="Alert Occurrences", copy=False, readonly=True)
    itss_alert_first_seen = fields.Datetime(string="Alert First Seen", copy=False, readonly=True)
    itss_alert_last_seen = fields.Datetime(string="Alert Last Seen", copy=False, readonly=True)
    itss_alert_ci = fields.Char(string="Configuration Item", copy=False, readonly=True)
    itss_alert_url = fields.Char(string="Alert Link", copy=False, readonly=True)
    itss_alert_touched = fields.Boolean(
        string="Worked by a Person",
        copy=False,
        readonly=True,
        help="A person accepted, answered or re-prioritised this alert ticket: when the "
        "alert clears, it is resolved but waits for the normal close.",
    )
    itss_problem_id = fields.Many2one(
        "itss.problem",
        string="Problem",
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The problem record that investigates the cause of this incident.",
    )

    itss_logged_date = fields.Datetime(
        string="Logged On",
        default=fields.Datetime.now,
        required=True,
        copy=False,
        index=True,
        tracking=True,
        help="When the incident was logged: the SLA clocks start here.",
    )
    # SLA: the policy and deadlines follow priority, team, category and the paused
    # working time; recomputed from the ticket's creation.
    itss_sla_policy_id = fields.Many2one(
        "itss.sla.policy",
        string="SLA Policy",
        compute="_compute_itss_sla",
        store=True,
        tracking=True,
    )
    itss_response_deadline = fields.Datetime(
        string="Response Deadline", compute="_compute_itss_sla", store=True, tracking=True
    )
    itss_resolve_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_itss_sla",
        store=True,
        tracking=True,
        index=True,
    )
    itss_response_warn_date = fields.Datetime(
        string="Response Warning", compute="_compute_itss_sla", store=True
    )
    itss_response_warn2_date = fields.Datetime(
        string="Response Second Warning", compute="_compute_itss_sla", store=True
    )
    itss_resolve_warn_date = fields.Datetime(
        string="Resolution Warning", compute="_compute_itss_sla", store=True
    )
    itss_resolve_warn2_date = fields.Datetime(
        string="Resolution Second Warning", compute="_compute_itss_sla", store=True
    )
    itss_first_response_date = fields.Datetime(
        string="First Response", copy=False, readonly=True, tracking=True
    )
    itss_response_breached = fields.Boolean(
        string="Response Breached", copy=False, readonly=True, index=True
    )
    itss_resolve_breached = fields.Boolean(
        string="Resolution Breached", copy=False, readonly=True, index=True
    )
    itss_sla_at_risk = fields.Boolean(
        string="SLA at Risk",
        copy=False,
        readonly=True,
        index=True,
        help="A warning threshold of an open SLA target has passed.",
    )
    itss_response_minutes = fields.Float(
        string="Response Time (working min)", copy=False, readonly=True, digits=(16, 1)
    )
    itss_resolve_minutes = fields.Float(
        string="Resolution Time (working min)",
        copy=False,
        readonly=True,
        digits=(16, 1),
        help="Working minutes from logging to resolution, pauses excluded.",
    )
    itss_paused_minutes = fields.Float(
        string="Paused Time (working min)", copy=False, readonly=True, digits=(16, 1)
    )
    itss_sla_pause_ids = fields.One2many(
        "itss.sla.pause", "ticket_id", string="Pauses", readonly=True
    )
    itss_escalation_log_ids = fields.One2many(
        "itss.escalation.log", "ticket_id", string="Notifications", readonly=True
    )
    itss_sla_status = fields.Selection(
        [("on_track", "On track"), ("at_risk", "At risk"), ("breached", "Breached")],
        string="SLA Status",
        compute="_compute_itss_sla_status",
        help="On track, at risk (a warning threshold passed) or breached (a deadline "
        "passed), for open tickets; breached stays on closed ones.",
    )
    itss_sla_remaining = fields.Char(
        string="Time Left",
        compute="_compute_itss_sla_remaining",
        help="Wall-clock time left until the resolution deadline.",
    )
    itss_sla_timeline = fields.Html(
        string="SLA Timeline", compute="_compute_itss_sla_timeline", sanitize=False
    )
    # Escalation bookkeeping: stored facts the scheduled action works from.
    itss_escalation_count = fields.Integer(
        string="Functional Escalations", copy=False, readonly=True
    )
    itss_reassign_count = fields.Integer(string="Reassignments", copy=False, readonly=True)
    itss_progress_count = fields.Integer(string="Progress Events", copy=False, readonly=True)
    itss_progress_notified = fields.Integer(
        string="Progress Events Notified", copy=False, readonly=True
    )
    itss_dispatch_date = fields.Datetime(
        string="Dispatched to Team", copy=False, readonly=True
    )
    itss_escalation_checked_date = fields.Datetime(
        string="Escalations Checked Up To", copy=False, readonly=True
    )
    itss_escalation_retry_date = fields.Datetime(
        string="Escalation Retry After", copy=False, readonly=True
    )
    itss_next_action_date = fields.Datetime(
        string="Next Escalation Check",
        compute="_compute_itss_next_action_date",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the escalation scheduled action next has something to do.",
    )
    itss_auto_close_date = fields.Datetime(
        string="Auto-close On", copy=False, readonly=True, index="btree_not_null"
    )
    itss_reminder_date = fields.Datetime(
        string="Next Desk Reminder", copy=False, readonly=True, index="btree_not_null"
    )

    def init(self):
        super().init()
        # at most one open ticket per alert source and fingerprint
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS helpdesk_ticket_itss_alert_open_uniq
                ON helpdesk_ticket (itss_alert_source_id, itss_alert_fingerprint)
             WHERE itss_alert_source_id IS NOT NULL
               AND (itss_state IS NULL OR itss_state NOT IN ('closed', 'cancelled'))
            """
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # the portal ticket list's open / resolved / closed filter (controllers/portal.py)
        states = self.env.context.get("itss_portal_states")
        if states:
            domain = [("itss_state", "in", list(states))] + list(domain)
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The ITSS kanban shows the ITSS stages; the others hide unused ITSS stages."""
        if self.env.context.get("itss_stage_group"):
            return stages.search([("itss_state", "!=", False)])
        result = super()._read_group_stage_ids(stages, domain)
        return result.filtered(lambda s: not s.itss_state or s in stages)

    @api.depends("itss_priority", "team_id")
    def _compute_priority(self):
        for ticket in self:
            if ticket.team_id.itss_tier and ticket.itss_priority:
                ticket.priority = HELPDESK_PRIORITY[ticket.itss_priority]
            else:
                ticket.priority = ticket.priority or "1"

    @api.depends("partner_id")
    def _compute_itss_urgency(self):
        for ticket in self:
            vip = ticket.partner_id.commercial_partner_id.itss_vip
            ticket.itss_urgency = "2" if vip else "3"

    @api.depends("itss_impact", "itss_urgency", "company_id")
    def _compute_itss_priority(self):
        companies = self.company_id or self.env.company
        matrix = self.env["itss.priority.matrix"]._itss_get_priorities(companies)
        for ticket in self:
            company = ticket.company_id or self.env.company
            priority = matrix.get((company.id, ticket.itss_impact, ticket.itss_urgency))
            valid = (
                ticket.itss_impact in dict(IMPACT_SELECTION)
                and ticket.itss_urgency in dict(URGENCY_SELECTION)
            )  # else the ORM refuses the value itself
            if not priority and valid and ticket.team_id.itss_tier:
                raise UserError(
                    self.env._(
                        "The priority matrix of %(company)s has no cell for impact "
                        "%(impact)s and urgency %(urgency)s. Ask an incident manager "
                        "to complete it (ITSS > Configuration > Priority Matrix).",
                        company=company.name,
                        impact=ticket.itss_impact,
                        urgency=ticket.itss_urgency,
                    )
                )
            ticket.itss_priority = priority

    @api.depends("itss_state", "team_id")
    def _compute_itss_resolver_role(self):
        roles = {"1": "first_line", "2": "second_line", "3": "vendor"}
        for ticket in self:
            if ticket.itss_state in ("resolved", "closed") and ticket.team_id.itss_tier:
                ticket.itss_resolver_role = ticket.itss_resolver_role or roles.get(
                    ticket.team_id.itss_tier
                )
            else:
                ticket.itss_resolver_role = ticket.itss_resolver_role

    @api.depends("partner_id")
    def _compute_itss_reporter(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.itss_reporter_org = (
                partner.commercial_partner_id != partner
                and partner.commercial_partner_id.name
                or partner.company_name
                or False
            )
            ticket.itss_reporter_phone = partner.phone
            ticket.itss_reporter_mobile = partner.mobile

    @api.constrains("stage_id", "team_id")
    def _check_itss_stage(self):
        for ticket in self:
            # the stage's state, not the stored related one: that is recomputed only
            # after this check when the stage itself was computed at creation
            itss_state = ticket.stage_id.itss_state
            if not ticket.stage_id or ticket.stage_id.closed and not itss_state:
                continue
            if bool(itss_state) != bool(ticket.team_id.itss_tier):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: tickets of ITSS teams (teams with a support "
                        "tier) use the ITSS stages, and only they do. Stage "
                        "%(stage)s does not fit team %(team)s.",
                        ticket=ticket.display_name,
                        stage=ticket.stage_id.name,
                        team=ticket.team_id.display_name or "-",
                    )
                )

    @api.constrains(
        "stage_id",
        "itss_wait_code_id",
        "itss_solution",
        "itss_closure_code_id",
        "itss_recovery_date",
        "itss_ticket_type",
        "itss_satisfaction",
        "itss_close_origin",
    )
    def _check_itss_state_requirements(self):
        self._itss_check_requirements()

    @api.constrains("itss_completion_date", "itss_logged_date")
    def _check_itss_completion_date(self):
        """The actual completion time (DESIGN.md, "Resolution record") is never in the
        future nor before the logging."""
        now = fields.Datetime.now()
        for ticket in self.filtered("itss_completion_date"):
            completion = ticket.itss_completion_date
            if completion > now or (
                ticket.itss_logged_date and completion < ticket.itss_logged_date
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the actual completion time %(completion)s must "
                        "lie between the logging (%(logged)s) and now.",
                        ticket=ticket.display_name,
                        completion=ticket._itss_format_datetime(completion),
                        logged=ticket._itss_format_datetime(ticket.itss_logged_date),
                    )
                )

    @api.constrains("itss_recovery_date", "itss_logged_date", "itss_resolved_date")
    def _check_itss_recovery_date(self):
        """The business recovery time (DESIGN.md, "Resolution record") lies between the
        logging and the resolution, and never in the future."""
        now = fields.Datetime.now()
        for ticket in self.filtered("itss_recovery_date"):
            recovery = ticket.itss_recovery_date
            error = None
            if recovery > now:
                error = self.env._("it lies in the future")
            elif ticket.itss_logged_date and recovery < ticket.itss_logged_date:
                error = self.env._(
                    "it is before the ticket was logged (%(logged)s)",
                    logged=ticket._itss_format_datetime(ticket.itss_logged_date),
                )
            elif ticket.itss_resolved_date and recovery > ticket.itss_resolved_date:
                error = self.env._(
                    "it is after the resolution (%(resolved)s)",
                    resolved=ticket._itss_format_datetime(ticket.itss_resolved_date),
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the business recovery time %(recovery)s is "
                        "not possible: %(error)s. Enter when the business service was "
                        "back, between the logging and the resolution.",
                        ticket=ticket.display_name,
                        recovery=ticket._itss_format_datetime(recovery),
                        error=error,
                    )
                )

    def _itss_format_datetime(self, moment):
        """A UTC datetime as the user reads it (their time zone)."""
        return fields.Datetime.context_timestamp(self, moment).strftime("%Y-%m-%d %H:%M")

    @api.model_create_multi
    def create(self, vals_list):
        self._itss_check_facts(set().union(*vals_list) if vals_list else set())
        categories = self.env["helpdesk.ticket.category"].browse(
            [vals["category_id"] for vals in vals_list if vals.get("category_id")]
        )
        customer_channels = self._itss_customer_channels()
        for vals in vals_list:
            if vals.get("category_id") and not vals.get("team_id"):
                team = categories.browse(vals["category_id"])._itss_get_team()
                if team:
                    vals["team_id"] = team.id
            if not vals.get("team_id") and vals.get("channel_id") in customer_channels.ids:
                # the portal's Web channel, the mail gateway's Email channel
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                if company.itss_default_team_id:
                    vals["team_id"] = company.itss_default_team_id.id
            stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
            team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id"))
            if team.itss_tier and stage and not stage.itss_state:
                # e.g. helpdesk_mgmt's portal form sets its own first stage before the
                # category's ITSS team is known: an ITSS ticket starts logged
                stage = team._get_applicable_stages()[:1]
                vals["stage_id"] = stage.id
            if stage.itss_state:
                vals.update(self._itss_prepare_stage_vals(stage, vals))
            if vals.get("team_id") and "itss_dispatch_date" not in vals:
                vals["itss_dispatch_date"] = fields.Datetime.now()
        tickets = super().create(vals_list)
        # a team that helpdesk_mgmt gave by its own defaults (the auto-assigned user's
        # team): dispatched now too
        undated = tickets.filtered(lambda t: t.team_id.itss_tier and not t.itss_dispatch_date)
        if undated:
            undated._itss_write_facts({"itss_dispatch_date": fields.Datetime.now()})
        return tickets

    @api.model
    def _itss_customer_channels(self):
        """The channels customers use themselves: their tickets without a team go to
        the company's default ITSS team."""
        return (
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False)
            or self.env["helpdesk.ticket.channel"]
        ) | (
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False)
            or self.env["helpdesk.ticket.channel"]
        )

    @api.model
    def message_new(self, msg, custom_values=None):
        """Tickets from the mail gateway come through the Email channel."""
        custom_values = dict(custom_values or {})
        if not custom_values.get("channel_id"):
            channel = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False
            )
            if channel:
                custom_values["channel_id"] = channel.id
        return super().message_new(msg, custom_values=custom_values)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_itss_records(self):
        """A closed or cancelled ITSS ticket is kept, with its notifications and
        pauses: the record an auditor reads (the superuser stays exempt)."""
        if self.env.su:
            return
        kept = self.filtered(lambda t: t.team_id.itss_tier and t.itss_state in ITSS_TERMINAL_STATES)
        if kept:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is %(state)s: closed and cancelled tickets are kept "
                    "with their history, they cannot be deleted.",
                    ticket=kept[0].display_name,
                    state=self._itss_state_labels()[kept[0].itss_state].lower(),
                )
            )

    def _itss_check_archive(self, vals):
        """Nor are they archived: they would leave every report and KPI."""
        if self.env.su or "active" not in vals or vals["active"]:
            return
        kept = self.filtered(lambda t: t.team_id.itss_tier and t.itss_state in ITSS_TERMINAL_STATES)
        if kept:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is %(state)s: closed and cancelled tickets stay in "
                    "the records and the reports, they cannot be archived.",
                    ticket=kept[0].display_name,
                    state=self._itss_state_labels()[kept[0].itss_state].lower(),
                )
            )

    def _itss_check_facts(self, names):
        """Facts the system derives are written by the model only (ITSS_FACT_FIELDS):
        internal steps pass the private _ITSS_FACTS object in the context. The
        superuser (data files, no RPC call) stays exempt."""
        if self.env.su or self.env.context.get("itss_facts") is _ITSS_FACTS:
            return
        forbidden = ITSS_FACT_FIELDS & set(names)
        if forbidden:
            labels = ", ".join(
                sorted(self._fields[name].get_description(self.env)["string"] for name in forbidden)
            )
            raise AccessError(
                self.env._(
                    "These ticket fields are set by the system as the ticket moves through "
                    "its lifecycle and cannot be written directly: %(fields)s. Use the "
                    "ticket's buttons instead.",
                    fields=labels,
                )
            )

    def write(self, vals):
        self._itss_check_facts(vals)
        self._itss_check_archive(vals)
        try:
            self._itss_check_frozen(vals)
            if vals.get("stage_id"):
                stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
                moving = self.filtered(lambda t: t.stage_id != stage)
                moving._itss_check_transition(stage, vals)
                if stage.itss_state:
                    vals = dict(vals, **self._itss_prepare_stage_vals(stage, vals))
                    moving._itss_check_requirements(vals)
        except UserError:
            # who may not write the ticket at all learns that, not the ITSS rules
            self.check_access("write")
            raise
        if (
            not self.env.su
            and {"stage_id", "user_id", "itss_priority", "itss_impact", "itss_urgency"} & set(vals)
        ):
            alert_tickets = self.filtered(lambda t: t.itss_alert_source_id and not t.itss_alert_touched)
            if alert_tickets:
                alert_tickets._itss_write_facts({"itss_alert_touched": True})
        before = {}
        if {"stage_id", "team_id", "user_id"} & set(vals):
            before = {t.id: (t.itss_state, t.user_id, t.team_id) for t in self}
        solution_changed = self.browse()
        if "itss_solution" in vals:
            solution_changed = self.filtered(
                lambda t: t.team_id.itss_tier and (t.itss_solution or "") != (vals["itss_solution"] or "")
            )
        res = super().write(vals)
        for ticket in solution_changed:
            # an HTML field has no tracking of its own: the chatter keeps each version
            ticket._message_log(
                body=Markup("<p>%s</p>%s") % (
                    self.env._("Solution changed:"), ticket.itss_solution or Markup(""),
                ),
            )
        if before:
            self._itss_after_assignment_or_stage(before)
        if {"stage_id", "itss_pending_until", "user_id"} & set(vals):
            self.filtered("itss_tier")._itss_activity_update()
        return res

    def _itss_write_facts(self, vals):
        """Write bookkeeping facts (SLA, counters, dates) without the ITSS checks of
        ``write``: they follow from a change that passed them."""
        return super().write(vals)

    def _itss_after_assignment_or_stage(self, before):
        """SLA clocks, counters and follow-ups of a change of stage, team or user."""
        now = fields.Datetime.now()
        escalation = self.env.context.get("itss_functional_escalation") is _ITSS_FACTS
        for ticket in self.filtered("team_id.itss_tier"):
            old_state, old_user, old_team = before[ticket.id]
            state = ticket.itss_state
            facts = {}
            if ticket.team_id != old_team:
                facts["itss_dispatch_date"] = now
            reassigned = old_user and (
                ticket.user_id != old_user or ticket.team_id != old_team
            )
            if reassigned or escalation:
                facts["itss_reassign_count"] = ticket.itss_reassign_count + 1
            if escalation:
                facts["itss_escalation_count"] = ticket.itss_escalation_count + 1
            if old_state and state != old_state:
                facts.update(ticket._itss_stage_facts(old_state, now))
            if facts:
                ticket._itss_write_facts(facts)
            if reassigned or escalation:
                if ticket.itss_reassign_count == 3:
                    ticket._itss_auto_escalate(1, self.env._("reassigned three times"))
            if old_state and state != old_state and state == "closed":
                if ticket.itss_close_origin not in ("duplicate", "alert", "rejected"):
                    ticket._itss_schedule_followup()
                ticket._itss_close_duplicates()

    def _itss_stage_facts(self, old_state, now):
        """SLA facts of moving from ``old_state`` to the ticket's state."""
        self.ensure_one()
        state = self.itss_state
        policy = self.itss_sla_policy_id
        facts = {"itss_progress_count": self.itss_progress_count + 1}
        if old_state == "pending":
            pause = self.itss_sla_pause_ids.filtered(lambda p: not p.date_end)[:1]
            if pause:
                minutes = policy._itss_working_minutes(pause.date_start, now) if policy else 0.0
                # sudo: a fact of the transition the user was allowed to make (write
                # checked it); pauses are written by the model only
                pause.sudo().write({"date_end": now, "working_minutes": minutes})
                facts["itss_paused_minutes"] = self.itss_paused_minutes + minutes
        if state == "pending":
            self.env["itss.sla.pause"].sudo().create(
                {
                    "ticket_id": self.id,
                    "date_start": now,
                    "wait_code_id": self.itss_wait_code_id.id,
                }
            )
        if state in ("in_progress", "resolved") and not self.itss_first_response_date:
            facts.update(self._itss_first_response_facts(now))
        if state == "resolved":
            if not self.itss_completion_date:
                facts["itss_completion_date"] = now
            paused = facts.get("itss_paused_minutes", self.itss_paused_minutes)
            facts.update(
                {
                    "itss_resolve_minutes": max(
                        (policy._itss_working_minutes(self.itss_logged_date, now) if policy else 0.0)
                        - paused,
                        0.0,
                    ),
                    "itss_resolve_breached": bool(
                        self.itss_resolve_deadline and now > self.itss_resolve_deadline
                    ),
                    "itss_sla_at_risk": False,
                    "itss_auto_close_date": now
                    + timedelta(days=self.company_id.itss_auto_close_days),
                    "itss_reminder_date": now + timedelta(days=1),
                }
            )
        elif old_state == "resolved":
            facts.update({"itss_auto_close_date": False, "itss_reminder_date": False})
        if state in ITSS_TERMINAL_STATES:
            facts.update(
                {
                    "itss_sla_at_risk": False,
                    "itss_auto_close_date": False,
                    "itss_reminder_date": False,
                }
            )
        return facts

    def _itss_first_response_facts(self, now):
        policy = self.itss_sla_policy_id
        return {
            "itss_first_response_date": now,
            "itss_response_minutes": policy._itss_working_minutes(self.itss_logged_date, now)
            if policy
            else 0.0,
            "itss_response_breached": bool(
                self.itss_response_deadline and now > self.itss_response_deadline
            ),
        }

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            len(self) == 1
            and self.itss_state in ITSS_TERMINAL_STATES
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and self.env.context.get("itss_auto_submitted") is not ITSS_AUTO_SUBMITTED
        ):
            author_users = message.author_id.user_ids
            if message.author_id and not (author_users and not author_users[0].share):
                self._itss_reply_to_closed(message)
            return message
        if (
            len(self) == 1
            and self.team_id.itss_tier
            and self.itss_state
            and self.itss_state not in ITSS_TERMINAL_STATES
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
        ):
            self._itss_after_public_message(message)
        return message

    def _itss_reply_to_closed(self, message):
        """A customer's reply to a closed ticket never reopens it: it opens a new
        ticket that refers to it, and the sender is told the new number."""
        self.ensure_one()
        new = self.sudo()._itss_copy_as_new(
            message.body, self.team_id._get_applicable_stages()[:1]
        )
        notice = self.env._(
            "Ticket %(old)s is closed and cannot be reopened. Your message opened "
            "ticket %(new)s.",
            old=self.number,
            new=new.number,
        )
        self.sudo().message_notify(
            partner_ids=message.author_id.ids,
            body=notice,
            subject=notice,
            subtype_xmlid="mail.mt_comment",
        )
        self.sudo().message_post(body=notice, subtype_xmlid="mail.mt_note")
        return new

    def _itss_copy_as_new(self, description, stage, user=None):
        """A new ticket continuing this closed one: the essentials, linked back."""
        self.ensure_one()
        new = self.create(
            {
                "name": self.name,
                "description": description,
                "partner_id": self.partner_id.id,
                "partner_name": self.partner_name,
                "partner_email": self.partner_email,
                "company_id": self.company_id.id,
                "team_id": self.team_id.id,
                "user_id": user.id if user else False,
                "category_id": self.category_id.id,
                "channel_id": self.channel_id.id,
                "itss_ticket_type": self.itss_ticket_type,
                "itss_impact": self.itss_impact,
                "itss_urgency": self.itss_urgency,
                "itss_reopened_from_id": self.id,
                "stage_id": stage.id,
            }
        )
        new.message_subscribe(partner_ids=self.message_partner_ids.ids)
        return new

    def action_itss_confirm_resolution(self, satisfaction=None, comment=None):
        """The customer confirms the resolution: the ticket closes with the
        resolution's closure code and the satisfaction given (1 to 5)."""
        if satisfaction and satisfaction not in dict(SATISFACTION_SELECTION):
            raise UserError(self.env._("Satisfaction is rated from 1 to 5."))
        for ticket in self:
            ticket._itss_check_resolved()
        return self._itss_move_to(
            "closed",
            {
                "itss_close_origin": "customer",
                "itss_satisfaction": satisfaction or False,
                "itss_satisfaction_comment": comment or False,
            },
        )

    def action_itss_reject_resolution(self, comment=None):
        """The customer says it is not resolved: the ticket closes as unsuccessful and
        a new ticket, linked to it, goes back to the same engineer. Returns the new
        ticket."""
        self.ensure_one()
        self._itss_check_resolved()
        stage = self.team_id._get_applicable_stages().filtered(
            lambda s: s.itss_state == "assigned"
        )[:1]
        reason = Markup("<p>%s</p>") % self.env._(
            "The customer rejected the resolution of %(ticket)s.", ticket=self.number
        )
        if comment:
            reason += Markup("<p>%s</p>") % comment
        new = self._itss_copy_as_new(reason + (self.description or ""), stage, self.user_id)
        self._itss_move_to(
            "closed",
            {
                "itss_close_origin": "rejected",
                "itss_closure_code_id": self.env.ref(
                    "itss_incident.closure_code_unsuccessful"
                ).id,
                "itss_satisfaction_comment": comment or False,
            },
        )
        self.message_post(
            body=self.env._("The customer rejected the resolution: follow-up ticket %(new)s.", new=new.number),
            subtype_xmlid="mail.mt_note",
        )
        return new

    def action_itss_reconfirm(self, priority, can_handle_alone, note=None):
        """Urgent re-confirmation (紧急事件再确认) of a P1/P2 ticket: the first line
        engineer confirms (or corrects) the priority and says whether they can resolve
        it alone; if not, the incident manager and the management are notified."""
        self.ensure_one()
        if self.itss_state in ITSS_TERMINAL_STATES or self.itss_state == "resolved":
            raise UserError(self.env._("Only an open ticket is re-confirmed."))
        if self.itss_priority not in ("1", "2"):
            raise UserError(self.env._("Only P1 and P2 tickets are re-confirmed."))
        if priority not in dict(PRIORITY_SELECTION):
            raise UserError(self.env._("Choose the confirmed priority."))
        vals = {
            "itss_reconfirm_date": fields.Datetime.now(),
            "itss_reconfirm_user_id": self.env.uid,
            "itss_can_handle_alone": bool(can_handle_alone),
        }
        if priority != self.itss_priority:
            vals["itss_priority"] = priority
        self.with_context(itss_facts=_ITSS_FACTS).write(vals)
        labels = dict(self._fields["itss_priority"]._description_selection(self.env))
        body = self.env._(
            "Urgent re-confirmation: priority %(priority)s confirmed; %(alone)s.",
            priority=labels[priority],
            alone=self.env._("the engineer can resolve it alone")
            if can_handle_alone
            else self.env._("the engineer needs help"),
        )
        if note:
            body = f"{body} {note}"
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        if not can_handle_alone:
            team = self.team_id
            people = (
                team.itss_incident_manager_id | team.itss_project_manager_id | team.itss_director_id
            )
            reason = self.env._("Help needed on urgent ticket")
            for channel in ("email", "sms"):
                self._itss_notify("auto_escalation", None, 3, channel, people, reason)
        return True

    def _itss_alert_fired_again(self, alert, now):
        """The same alert fired again: count it; flapping after it cleared puts the
        (not yet closed) ticket back in progress."""
        self.ensure_one()
        self._itss_write_facts(
            {"itss_alert_count": self.itss_alert_count + 1, "itss_alert_last_seen": now}
        )
        if self.itss_state == "resolved":
            reason = self.env._("the alert fired again")
            self.with_context(itss_correction=_ItssCorrection(reason))._itss_move_to(
                "in_progress"
            )
            self.message_post(
                body=self.env._("The alert fired again before the quiet period ended: "
                                "back in progress (flapping)."),
                subtype_xmlid="mail.mt_note",
            )
        else:
            # a log line, not a notification: repeats must stay cheap
            self._message_log(
                body=self.env._("The alert fired again (%(count)s times in all).",
                                count=self.itss_alert_count),
            )

    def _itss_alert_resolved(self, alert, now):
        """The alert cleared: resolve the ticket; nobody worked on it: it closes after
        the source's quiet period, else it waits for the normal close."""
        self.ensure_one()
        if self.itss_state not in ("new", "assigned", "in_progress", "pending"):
            return False
        # the business recovery time lies between logging and now (a late or early
        # clock of the monitoring system must not make it impossible)
        cleared = min(max(alert["ends_at"] or now, self.itss_logged_date), now)
        self.write(
            {
                "itss_solution": Markup("<p>%s</p>")
                % self.env._(
                    "Alert cleared at %(moment)s.",
                    moment=fields.Datetime.to_string(cleared) + " UTC",
                ),
                "itss_closure_code_id": self.itss_closure_code_id.id
                or self.env.ref("itss_incident.closure_code_resolved").id,
                "itss_recovery_date": cleared,
            }
        )
        self._itss_move_to("resolved")
        if not self.itss_alert_touched:
            close_at = now + timedelta(minutes=self.itss_alert_source_id.quiet_minutes)
            self._itss_write_facts({"itss_auto_close_date": close_at})
            self.env.ref("itss_incident.ir_cron_itss_auto_close").sudo()._trigger(at=close_at)
        return True

    def _itss_send_logged_notice(self):
        """Tell the customer the number of the ticket just logged (email)."""
        template = self.env.ref("itss_incident.mail_template_itss_ticket_logged")
        for ticket in self.filtered("partner_id"):
            template.send_mail(ticket.id)

    def _itss_check_resolved(self):
        if self.itss_state != "resolved":
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is not resolved: there is no resolution to "
                    "confirm or reject.",
                    ticket=self.display_name,
                )
            )

    def action_itss_record_followup(self, result, note=None):
        """Record the follow-up visit (回访) and complete its activity."""
        self.ensure_one()
        if result not in dict(self._fields["itss_followup_result"].selection):
            raise UserError(self.env._("Choose the result of the follow-up visit."))
        if self.itss_state != "closed":
            raise UserError(self.env._("The follow-up visit comes after closing."))
        self.with_context(itss_facts=_ITSS_FACTS).write(
            {
                "itss_followup_result": result,
                "itss_followup_note": note or False,
                "itss_followup_date": fields.Datetime.now(),
            }
        )
        labels = dict(self._fields["itss_followup_result"]._description_selection(self.env))
        self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("itss_incident.mail_act_itss_followup")
        ).action_feedback(feedback=labels[result] + (f": {note}" if note else ""))
        return True

    def _itss_after_public_message(self, message):
        """A public reply is progress; an agent's first one is the first response; a
        customer's reply to a resolved ticket stops the auto-close countdown."""
        now = fields.Datetime.now()
        author_users = message.author_id.user_ids
        agent = author_users and not author_users[0].share
        facts = {"itss_progress_count": self.itss_progress_count + 1}
        if agent and not self.itss_first_response_date:
            facts.update(self._itss_first_response_facts(now))
        if agent and self.itss_alert_source_id and not self.env.su:
            facts["itss_alert_touched"] = True
        if not agent and self.itss_state == "resolved" and self.itss_auto_close_date:
            facts["itss_auto_close_date"] = False
            if self.user_id:
                self.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=self.user_id.id,
                    summary=self.env._("The customer replied to the resolved ticket"),
                )
        self._itss_write_facts(facts)

    def action_itss_assign(self):
        """Dispatch the ticket to its team / engineer (已派单)."""
        self._itss_move_to("assigned")
        return self._itss_toast(self.env._("Ticket %(ticket)s is dispatched."))

    def action_itss_accept(self):
        """The engineer accepts the ticket and works on it (受理)."""
        for ticket in self.filtered(lambda t: not t.user_id):
            ticket.user_id = self.env.user
        self._itss_move_to("in_progress")
        return self._itss_toast(self.env._("Ticket %(ticket)s is accepted: in progress."))

    def action_itss_pend(self):
        """Put the ticket on hold; the wait code must be set (挂起)."""
        self._itss_move_to("pending")
        return self._itss_toast(self.env._("Ticket %(ticket)s is on hold."))

    def action_itss_resume(self):
        """Work on a pending ticket again."""
        self._itss_move_to("in_progress")
        return self._itss_toast(self.env._("Ticket %(ticket)s is in progress again."))

    def action_itss_resolve(self):
        """Resolve: solution, closure code and, for incidents, recovery time (已解决)."""
        self._itss_move_to("resolved")
        return self._itss_toast(self.env._("Ticket %(ticket)s is resolved."))

    def _itss_toast(self, message):
        """The notification a header button returns (``message`` names the ticket as
        %(ticket)s); the form reloads."""
        return toast(message % {"ticket": ", ".join(self.mapped("number"))}, close_dialog=False)

    # The dialogs of the form's header (wizards/): each asks for what its step needs,
    # then calls one of the methods below.

    def _itss_dialog(self, model, title, states):
        """The dialog ``model`` of one ticket in one of ``states``."""
        self.ensure_one()
        if not self.team_id.itss_tier or self.itss_state not in states:
            raise UserError(
                self.env._(
                    "%(step)s is not a step of ticket %(ticket)s now (%(state)s).",
                    step=title,
                    ticket=self.display_name,
                    state=self._itss_state_labels().get(self.itss_state) or "-",
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_itss_dispatch_dialog(self):
        """The Dispatch dialog: team and engineer, prefilled from the category."""
        return self._itss_dialog(
            "itss.ticket.dispatch", self.env._("Dispatch"), ("new", "assigned", "in_progress")
        )

    def action_itss_hold_dialog(self):
        """The Put on Hold dialog: wait code, until when, note."""
        return self._itss_dialog("itss.ticket.hold", self.env._("Put on Hold"), ("in_progress",))

    def action_itss_resolve_dialog(self):
        """The Resolve dialog: the resolution record."""
        return self._itss_dialog(
            "itss.ticket.resolve", self.env._("Resolve"), ("new", "assigned", "in_progress", "pending")
        )

    def action_itss_cancel_dialog(self):
        """The Cancel dialog: why the ticket is cancelled."""
        return self._itss_dialog(
            "itss.ticket.cancel",
            self.env._("Cancel Ticket"),
            ("new", "assigned", "in_progress", "pending"),
        )

    def _itss_dispatch(self, team, user):
        """Dispatch the ticket to ``team`` and ``user`` (either may be empty)."""
        self.ensure_one()
        self._itss_move_to("assigned", {"team_id": team.id or self.team_id.id, "user_id": user.id})

    def _itss_hold(self, wait_code, until=None, note=None):
        """Put the ticket on hold with its wait code, until when, and a note."""
        self.ensure_one()
        if until and until <= fields.Datetime.now():
            raise UserError(self.env._("Pending until: choose a moment in the future."))
        self._itss_move_to(
            "pending", {"itss_wait_code_id": wait_code.id, "itss_pending_until": until or False}
        )
        if note:
            self.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _itss_resolve(self, values):
        """Resolve the ticket with its resolution record (``values``: solution, closure
        code, recovery and completion times, vendor at fault)."""
        self.ensure_one()
        allowed = {
            "itss_solution",
            "itss_closure_code_id",
            "itss_recovery_date",
            "itss_completion_date",
            "itss_fault_vendor_id",
        }
        self._itss_move_to("resolved", {k: v for k, v in values.items() if k in allowed})

    def _itss_cancel(self, reason):
        """Cancel the ticket; the reason goes to the chatter as a note."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the ticket is cancelled."))
        self.action_itss_cancel()
        self.message_post(
            body=self.env._("Cancelled: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
        )

    def _itss_activity_update(self, confirm_due=None):
        """Schedule, move, complete or remove the ITSS to-dos of each ticket from its
        current state: the assignee's to-do at the end of a hold; the service desk's
        one to-do to confirm a resolved ticket (due on ``confirm_due``, the daily
        reminder), done when the ticket leaves Resolved."""
        pending_type = self.env.ref("itss_incident.mail_act_itss_pending")
        confirm_type = self.env.ref("itss_incident.mail_act_itss_confirm")
        # sudo: the to-dos follow the ticket's state, whoever moved it
        for ticket in self.sudo():
            confirms = ticket.activity_ids.filtered(lambda a: a.activity_type_id == confirm_type)
            if ticket.itss_state == "resolved":
                user = ticket._itss_desk_user()
                if confirm_due and confirms:
                    confirms[1:].unlink()
                    confirms[:1].write({"date_deadline": confirm_due, "user_id": (user or confirms[:1].user_id).id})
                elif confirm_due and user:
                    ticket.activity_schedule(
                        "itss_incident.mail_act_itss_confirm", user_id=user.id, date_deadline=confirm_due
                    )
            elif confirms:
                confirms.action_feedback(
                    feedback=self.env._("No longer to confirm (%(state)s).",
                                        state=self._itss_state_labels().get(ticket.itss_state, ""))
                )
            todos = ticket.activity_ids.filtered(lambda a: a.activity_type_id == pending_type)
            if ticket.itss_state == "pending" and ticket.itss_pending_until:
                user = ticket.user_id or self.env.user
                due = fields.Datetime.context_timestamp(
                    ticket.with_context(tz=user.tz or "UTC"), ticket.itss_pending_until
                ).date()
                summary = self.env._(
                    "Pending until %(moment)s: resume or follow up",
                    moment=ticket.with_user(user)._itss_format_datetime(ticket.itss_pending_until),
                )
                if todos:
                    todos[1:].unlink()
                    todos[:1].write({"user_id": user.id, "date_deadline": due, "summary": summary})
                else:
                    ticket.activity_schedule(
                        "itss_incident.mail_act_itss_pending",
                        date_deadline=due,
                        user_id=user.id,
                        summary=summary,
                    )
            elif todos:
                todos.action_feedback(
                    feedback=self.env._("No longer pending (%(state)s).",
                                        state=self._itss_state_labels().get(ticket.itss_state, ""))
                )

    def action_itss_close(self):
        """The service desk closes resolved tickets: closure code and the customer's
        satisfaction are required (the Close dialog asks for them)."""
        return self._itss_close_by_desk()

    def action_itss_close_dialog(self):
        """The Close dialog of the form: closure code, satisfaction, comment."""
        self.ensure_one()
        self._itss_check_resolved()
        return self._itss_dialog("itss.ticket.close", self.env._("Close Ticket"), ("resolved",))

    def _itss_close_by_desk(self, values=None):
        """Close resolved tickets for the service desk (origin ``desk``): closure code
        and satisfaction are required (``values`` adds them)."""
        for ticket in self:
            ticket._itss_check_resolved()
        return self._itss_move_to("closed", dict(values or {}, itss_close_origin="desk"))

    def action_itss_cancel(self):
        """Cancel an open ticket (logged by mistake, withdrawn by the customer...)."""
        code = self.env.ref("itss_incident.closure_code_cancelled")
        self._itss_move_to("cancelled", {"itss_closure_code_id": code.id})
        return self._itss_toast(self.env._("Ticket %(ticket)s is cancelled."))

    def action_itss_reopen_resolution(self, reason):
        """An incident manager takes back a mistaken resolution (resolved -> in progress)."""
        if not self.env.user.has_group("itss_incident.group_itss_incident_manager"):
            raise UserError(
                self.env._("Only an incident manager can take back a resolution.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the resolution is taken back."))
        self.with_context(itss_correction=_ItssCorrection(reason))._itss_move_to("in_progress")
        for ticket in self:
            ticket.message_post(
                body=self.env._("Resolution taken back: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _itss_move_to(self, state, extra_vals=None):
        """Move each ticket to its team's stage of ITSS state ``state``."""
        for ticket in self:
            if not ticket.team_id.itss_tier:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s does not belong to an ITSS team.",
                        ticket=ticket.display_name,
                    )
                )
            stage = ticket.team_id._get_applicable_stages().filtered(
                lambda s, state=state: s.itss_state == state
            )[:1]
            if not stage:
                raise UserError(
                    self.env._(
                        "No stage of team %(team)s stands for this state.",
                        team=ticket.team_id.display_name,
                    )
                )
            ticket.with_context(itss_facts=_ITSS_FACTS).write(
                dict(extra_vals or {}, stage_id=stage.id)
            )
        return True

    def _itss_get_post_close_fields(self):
        """ITSS fields that may still change once a ticket is closed: links from
        newer tickets and problems, the follow-up visit."""
        return {
            "itss_reopened_ticket_ids",
            "itss_problem_id",
            "itss_followup_result",
            "itss_followup_note",
            "itss_followup_date",
        }

    def _itss_check_frozen(self, vals):
        frozen = {
            name
            for name in vals
            if name in FROZEN_CORE_FIELDS
            or name.startswith("itss_")
            and name not in self._itss_get_post_close_fields()
        }
        if not frozen:
            return
        for ticket in self:
            if ticket.itss_state in ITSS_TERMINAL_STATES:
                labels = ", ".join(
                    self._fields[name].get_description(self.env)["string"]
                    for name in sorted(frozen)
                )
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is %(state)s and can no longer change "
                        "(%(fields)s). A closed ticket never reopens: open a new "
                        "ticket that refers to it instead.",
                        ticket=ticket.display_name,
                        state=self._itss_state_labels()[ticket.itss_state].lower(),
                        fields=labels,
                    )
                )

    def _itss_check_transition(self, stage, vals):
        states = self._itss_state_labels()
        for ticket in self:
            old, new = ticket.itss_state, stage.itss_state
            if not old or old == new or not new and ticket._itss_leaves_itss(vals):
                continue
            allowed = new in ITSS_TRANSITIONS[old]
            hint = ""
            if old == "resolved" and new == "in_progress":
                allowed = isinstance(self.env.context.get("itss_correction"), _ItssCorrection)
                hint = self.env._(
                    " An incident manager can take back a resolution, with a reason "
                    "(Take Back Resolution)."
                )
            elif new == "closed" and old != "resolved":
                # only a duplicate (a ticket with a master) closes unresolved
                allowed = vals.get("itss_close_origin") == "duplicate" and bool(
                    vals.get("duplicate_id") or ticket.duplicate_id
                )
                hint = self.env._(" A ticket is resolved before it is closed.")
            elif old in ITSS_TERMINAL_STATES:
                hint = self.env._(
                    " A closed ticket never reopens: open a new ticket that refers "
                    "to it instead."
                )
            if not allowed:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s cannot move from %(old)s to %(new)s.%(hint)s",
                        ticket=ticket.display_name,
                        old=states[old],
                        new=states.get(new) or stage.name,
                        hint=hint,
                    )
                )

    def _itss_state_labels(self):
        """ITSS state labels in the user's language."""
        stage_field = self.env["helpdesk.ticket.stage"]._fields["itss_state"]
        return dict(stage_field._description_selection(self.env))

    def _itss_leaves_itss(self, vals):
        """Whether the (open) ticket's team, after ``vals``, has no tier."""
        if "team_id" in vals:
            return not self.env["helpdesk.ticket.team"].browse(vals["team_id"]).itss_tier
        return not self.team_id.itss_tier

    def _itss_prepare_stage_vals(self, stage, vals):
        """Values that come with entering ``stage``."""
        res = {}
        if stage.itss_state != "pending" and "itss_wait_code_id" not in vals:
            res["itss_wait_code_id"] = False
        if stage.itss_state != "pending" and "itss_pending_until" not in vals:
            res["itss_pending_until"] = False
        if stage.itss_state == "resolved" and not vals.get("itss_resolved_date"):
            res["itss_resolved_date"] = fields.Datetime.now()
        if stage.itss_state == "closed" and not vals.get("itss_close_origin"):
            res["itss_close_origin"] = "desk"
        return res

    def _itss_missing_requirements(self, vals=None):
        """Labels of what the ticket's ITSS state requires and the ticket lacks, once
        ``vals`` (about to be written) are applied."""
        self.ensure_one()
        vals = vals or {}

        def value(name):
            return vals[name] if name in vals else self[name]

        state = self.itss_state
        if vals.get("stage_id"):
            state = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"]).itss_state
        needs = []
        if state == "pending":
            needs.append("itss_wait_code_id")
        if state == "resolved":
            needs.append("itss_solution")
            if value("itss_ticket_type") == "incident":
                needs.append("itss_recovery_date")
        if state in ("resolved", "closed"):
            needs.append("itss_closure_code_id")
        if state == "closed" and value("itss_close_origin") == "desk":
            needs.append("itss_satisfaction")
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in needs
            if not value(name)
            or name == "itss_solution"
            and is_html_empty(value(name))
        ]

    def _itss_check_requirements(self, vals=None):
        states = self._itss_state_labels()
        for ticket in self:
            missing = ticket._itss_missing_requirements(vals)
            if missing:
                stage = self.env["helpdesk.ticket.stage"].browse(
                    (vals or {}).get("stage_id")
                ) or ticket.stage_id
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot be %(state)s without: %(missing)s.",
                        ticket=ticket.display_name,
                        state=states[stage.itss_state].lower(),
                        missing=", ".join(missing),
                    )
                )

    def _itss_close_duplicates(self):
        """Close the open ITSS duplicates of closed tickets with the same code."""
        for ticket in self:
            duplicates = ticket.duplicate_ids.filtered(
                lambda d: d.team_id.itss_tier
                and d.itss_state not in ITSS_TERMINAL_STATES
            )
            if duplicates:
                duplicates._itss_move_to(
                    "closed",
                    {
                        "itss_close_origin": "duplicate",
                        "itss_closure_code_id": ticket.itss_closure_code_id.id,
                    },
                )

    # ------------------------------------------------------------------------------
    # SLA and escalation
    # ------------------------------------------------------------------------------

    @api.depends(
        "itss_priority",
        "team_id",
        "category_id",
        "company_id",
        "itss_paused_minutes",
        "itss_logged_date",
    )
    def _compute_itss_sla(self):
        tickets = self.filtered(lambda t: t.team_id.itss_tier and t.itss_logged_date)
        policies = self.env["itss.sla.policy"]._itss_find(tickets) if tickets else {}
        for ticket in self:
            policy = policies.get(ticket.id) or self.env["itss.sla.policy"]
            ticket.itss_sla_policy_id = policy
            if not policy:
                ticket.update(dict.fromkeys(self._itss_sla_date_fields(), False))
                continue
            company = ticket.company_id
            warn1 = company.itss_sla_warn_first_pct / 100.0
            warn2 = company.itss_sla_warn_second_pct / 100.0
            respond = policy.response_minutes
            resolve = policy.resolve_hours * 60.0
            paused = ticket.itss_paused_minutes
            dates = policy._itss_add_minutes(
                ticket.itss_logged_date,
                [
                    respond * warn1,
                    respond * warn2,
                    respond,
                    resolve * warn1 + paused,
                    resolve * warn2 + paused,
                    resolve + paused,
                ],
            )
            ticket.update(dict(zip(self._itss_sla_date_fields(), dates)))

    @api.model
    def _itss_sla_date_fields(self):
        return [
            "itss_response_warn_date",
            "itss_response_warn2_date",
            "itss_response_deadline",
            "itss_resolve_warn_date",
            "itss_resolve_warn2_date",
            "itss_resolve_deadline",
        ]

    @api.depends(
        "itss_state",
        "itss_tier",
        "itss_logged_date",
        "itss_response_deadline",
        "itss_resolve_deadline",
        "itss_response_warn_date",
        "itss_response_warn2_date",
        "itss_resolve_warn_date",
        "itss_resolve_warn2_date",
        "itss_first_response_date",
        "itss_resolved_date",
        "itss_escalation_checked_date",
        "itss_escalation_retry_date",
        "itss_progress_count",
        "itss_progress_notified",
        "itss_dispatch_date",
        "itss_priority",
    )
    def _compute_itss_next_action_date(self):
        rules = self._itss_escalation_rules()
        now = fields.Datetime.now()
        for ticket in self:
            checked = ticket._itss_checked_date()
            due = [
                moment
                for moment, *_rest in ticket._itss_due_points(rules, checked, now)
                if moment > checked
            ]
            moment = min(due) if due else False
            retry = ticket.itss_escalation_retry_date
            if moment and retry and retry > moment:
                moment = retry
            ticket.itss_next_action_date = moment

    @api.depends(
        "itss_state",
        "itss_sla_policy_id",
        "itss_sla_at_risk",
        "itss_response_breached",
        "itss_resolve_breached",
        "itss_response_deadline",
        "itss_resolve_deadline",
        "itss_first_response_date",
    )
    def _compute_itss_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            status = False
            running = ticket.itss_state in ("new", "assigned", "in_progress")
            late = running and (
                ticket.itss_resolve_deadline
                and ticket.itss_resolve_deadline < now
                or not ticket.itss_first_response_date
                and ticket.itss_response_deadline
                and ticket.itss_response_deadline < now
            )
            if ticket.itss_response_breached or ticket.itss_resolve_breached or late:
                status = "breached"
            elif ticket.itss_sla_policy_id and ticket.itss_state in OPEN_STATES:
                status = "at_risk" if ticket.itss_sla_at_risk else "on_track"
            ticket.itss_sla_status = status

    @api.depends("itss_state", "itss_resolve_deadline")
    def _compute_itss_sla_remaining(self):
        now = fields.Datetime.now()
        for ticket in self:
            deadline = ticket.itss_resolve_deadline
            if not deadline or ticket.itss_state in ("resolved", "closed", "cancelled"):
                ticket.itss_sla_remaining = False
            elif ticket.itss_state == "pending":
                ticket.itss_sla_remaining = self.env._("Paused")
            else:
                minutes = int(abs((deadline - now).total_seconds()) // 60)
                span = self.env._(
                    "%(hours)s h %(minutes)s min", hours=minutes // 60, minutes=minutes % 60
                )
                ticket.itss_sla_remaining = (
                    self.env._("%(span)s left", span=span)
                    if deadline >= now
                    else self.env._("overdue by %(span)s", span=span)
                )

    @api.depends(
        "itss_logged_date",
        "itss_first_response_date",
        "itss_resolved_date",
        "itss_sla_pause_ids",
        "itss_escalation_log_ids",
        "itss_response_deadline",
        "itss_resolve_deadline",
    )
    def _compute_itss_sla_timeline(self):
        kinds = dict(self.env["itss.escalation.log"]._fields["kind"]._description_selection(self.env))
        channels = dict(
            self.env["itss.escalation.log"]._fields["channel"]._description_selection(self.env)
        )
        for ticket in self:
            if not ticket.itss_sla_policy_id or not ticket.itss_logged_date:
                ticket.itss_sla_timeline = False
                continue
            events = [(ticket.itss_logged_date, self.env._("Logged: SLA clocks started"))]
            if ticket.itss_first_response_date:
                events.append((ticket.itss_first_response_date, self.env._("First response")))
            for pause in ticket.itss_sla_pause_ids:
                events.append(
                    (
                        pause.date_start,
                        self.env._("Paused: %(code)s", code=pause.wait_code_id.name),
                    )
                )
                if pause.date_end:
                    events.append(
                        (
                            pause.date_end,
                            self.env._(
                                "Resumed after %(minutes)s working minutes; deadline "
                                "moved",
                                minutes=round(pause.working_minutes),
                            ),
                        )
                    )
            for log in ticket.itss_escalation_log_ids:
                if log.kind in ("sla_warning", "sla_breach"):
                    events.append(
                        (
                            log.date,
                            "%s (%s): %s"
                            % (kinds[log.kind], channels[log.channel], log.note or ""),
                        )
                    )
            if ticket.itss_resolved_date:
                met = not ticket.itss_resolve_breached
                events.append(
                    (
                        ticket.itss_resolved_date,
                        self.env._("Resolved: resolution target met")
                        if met
                        else self.env._("Resolved: resolution target breached"),
                    )
                )
            rows = "".join(
                "<tr><td>%s</td><td>%s</td></tr>"
                % (
                    fields.Datetime.context_timestamp(ticket, moment).strftime("%Y-%m-%d %H:%M"),
                    escape(text),
                )
                for moment, text in sorted(events, key=lambda e: e[0])
            )
            ticket.itss_sla_timeline = Markup(
                '<table class="table table-sm o_itss_sla_timeline"><tbody>%s</tbody></table>'
            ) % Markup(rows)

    def _itss_checked_date(self):
        """Due points at or before this moment have been handled."""
        return self.itss_escalation_checked_date or (
            self.itss_logged_date - timedelta(seconds=1)
        )

    def _itss_escalation_rules(self):
        priorities = [p for p in set(self.mapped("itss_priority")) if p]
        if not priorities:
            return self.env["itss.escalation.rule"]
        return self.env["itss.escalation.rule"].sudo().search(
            [("company_id", "in", self.company_id.ids), ("priority", "in", priorities)]
        )

    def _itss_due_points(self, rules, checked, now):
        """(moment, kind, rule, sequence) of the notifications due for this ticket:
        every fixed point, and for periodic rules the latest period up to ``now`` and
        the next one."""
        self.ensure_one()
        if (
            not self.team_id.itss_tier
            or self.itss_state in ITSS_TERMINAL_STATES
            or not self.itss_state
            or not self.itss_logged_date
        ):
            return []
        start = self.itss_logged_date
        resolved = self.itss_state == "resolved"
        running = not resolved and self.itss_state != "pending"
        points = []
        for rule in rules:
            if rule.company_id != self.company_id or rule.priority != self.itss_priority:
                continue
            if rule.trigger == "created":
                points.append((start, "rule", rule, 0))
            elif rule.trigger == "periodic" and not resolved:
                period = timedelta(minutes=rule.minutes)
                reached = int((now - start) / period) if now > start else 0
                if reached:
                    points.append((start + reached * period, "rule", rule, reached))
                points.append((start + (reached + 1) * period, "rule", rule, reached + 1))
                if self.itss_progress_count > self.itss_progress_notified:
                    points.append((now, "progress", rule, self.itss_progress_count))
            elif rule.trigger == "overdue" and running and self.itss_resolve_deadline:
                moment = self.itss_resolve_deadline + timedelta(minutes=rule.minutes)
                points.append((moment, "rule", rule, 0))
            elif rule.trigger == "resolved" and resolved and self.itss_resolved_date:
                points.append((self.itss_resolved_date, "rule", rule, 0))
        if not self.itss_first_response_date and not resolved:
            for moment, sequence in (
                (self.itss_response_warn_date, 1),
                (self.itss_response_warn2_date, 2),
            ):
                if moment:
                    points.append((moment, "sla_warning", None, sequence))
            if self.itss_response_deadline:
                points.append((self.itss_response_deadline, "sla_breach", None, 1))
            if self.itss_tier == "2" and self.itss_dispatch_date:
                moment = self.itss_dispatch_date + timedelta(
                    minutes=self.company_id.itss_l2_contact_minutes
                )
                points.append((moment, "watchdog", None, self.itss_escalation_count))
        if running:
            for moment, sequence in (
                (self.itss_resolve_warn_date, 3),
                (self.itss_resolve_warn2_date, 4),
            ):
                if moment:
                    points.append((moment, "sla_warning", None, sequence))
            if self.itss_resolve_deadline:
                points.append((self.itss_resolve_deadline, "sla_breach", None, 2))
        return points

    def _itss_escalate(self, now, rules):
        """Send every notification of this ticket due in (last check, ``now``]."""
        self.ensure_one()
        checked = self._itss_checked_date()
        for moment, kind, rule, sequence in self._itss_due_points(rules, checked, now):
            if kind == "progress" or checked < moment <= now:
                self._itss_fire(kind, rule, sequence)
        self._itss_write_facts(
            {
                "itss_escalation_checked_date": now,
                "itss_escalation_retry_date": False,
                "itss_progress_notified": self.itss_progress_count,
            }
        )

    def _itss_fire(self, kind, rule, sequence):
        """One due point: the notifications (and effects) it stands for."""
        team = self.team_id
        if kind in ("rule", "progress"):
            recipient = rule._itss_recipient(self)
            reason = (
                self.env._("Progress on %(priority)s ticket", priority=self._itss_priority_label())
                if kind == "progress"
                else self.env._(
                    "Escalation (%(rule)s)", rule=rule.name
                )
            )
            for channel in rule._itss_channels():
                self._itss_notify(kind, rule, sequence, channel, recipient, reason)
        elif kind == "sla_warning":
            target = (
                self.env._("response") if sequence in (1, 2) else self.env._("resolution")
            )
            first = sequence in (1, 3)
            company = self.company_id
            pct = company.itss_sla_warn_first_pct if first else company.itss_sla_warn_second_pct
            reason = self.env._(
                "SLA at risk: %(pct)s%% of the %(target)s time used",
                pct=pct,
                target=target,
            )
            recipient = self.user_id if first else team.user_id
            self._itss_notify(kind, None, sequence, "email", recipient, reason)
            self._itss_write_facts({"itss_sla_at_risk": True})
        elif kind == "sla_breach":
            response = sequence == 1
            reason = (
                self.env._("SLA breached: no response by the deadline")
                if response
                else self.env._("SLA breached: not resolved by the deadline")
            )
            self._itss_write_facts(
                {"itss_response_breached" if response else "itss_resolve_breached": True}
            )
            self._itss_notify(kind, None, sequence, "email", self.user_id | team.user_id, reason)
            if not response:
                self._itss_auto_escalate(2, self.env._("resolution deadline passed"))
        elif kind == "watchdog":
            reason = self.env._(
                "No first response %(minutes)s minutes after dispatch to second line",
                minutes=self.company_id.itss_l2_contact_minutes,
            )
            for channel in ("email", "sms"):
                self._itss_notify(kind, None, sequence, channel, team.user_id, reason)

    def _itss_auto_escalate(self, sequence, why):
        """Automatic escalation: urgency high (if lower) and the incident manager told.
        ``sequence`` 1: third reassignment, 2: resolution deadline passed."""
        manager = self.team_id.itss_incident_manager_id
        reason = self.env._("Automatic escalation: %(why)s", why=why)
        if manager:
            inserted = self._itss_notify(
                "auto_escalation", None, sequence, "email", manager, reason
            )
        else:
            inserted = self._itss_log("auto_escalation", None, sequence, "email", reason)
        if inserted and self.itss_urgency in ("3", "4"):
            self.itss_urgency = "2"
            self.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _itss_priority_label(self):
        return dict(self._fields["itss_priority"]._description_selection(self.env)).get(
            self.itss_priority, ""
        )

    def _itss_log(self, kind, rule, sequence, channel, note, partners=None):
        """Insert the log row of a due point; False if it exists already (the unique
        index decides, also against a concurrent transaction)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO itss_escalation_log
                    (ticket_id, company_id, kind, rule_id, sequence, channel, date, note,
                     create_uid, create_date, write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                self.id,
                self.company_id.id,
                kind,
                rule.id if rule else None,
                sequence,
                channel,
                fields.Datetime.now(),
                note,
                self.env.uid,
                fields.Datetime.now(),
                self.env.uid,
                fields.Datetime.now(),
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return False
        log = self.env["itss.escalation.log"].browse(row[0])
        if partners:
            log.sudo().partner_ids = partners
        self.invalidate_recordset(["itss_escalation_log_ids"])
        return log

    def _itss_notify(self, kind, rule, sequence, channel, recipient, reason, body=None):
        """Notify ``recipient`` (users or partners) once per due point and channel:
        email (mail.mail), SMS (sms.sms) or a phone call activity. ``body`` (HTML)
        replaces the standard notification text."""
        self.ensure_one()
        users = recipient if recipient._name == "res.users" else self.env["res.users"]
        partners = users.partner_id if users else recipient
        if not partners:
            return False
        log = self._itss_log(kind, rule, sequence, channel, reason, partners)
        if not log:
            return False
        if channel == "email":
            template = self.env.ref("itss_incident.mail_template_itss_notification")
            email_values = {"recipient_ids": [(6, 0, partners.ids)]}
            if body:
                email_values["body_html"] = body
            template.with_context(itss_reason=reason).send_mail(
                self.id, email_values=email_values
            )
        elif channel == "sms":
            text = html2plaintext(body) if body else self.env._(
                "[%(number)s] %(reason)s: %(name)s",
                number=self.number,
                reason=reason,
                name=self.name,
            )
            self.sudo()._message_sms(text, partner_ids=partners.ids, put_in_queue=True)
        elif channel == "call":
            callers = users or self.team_id.itss_incident_manager_id or self.team_id.user_id
            for user in callers:
                self.sudo().activity_schedule(
                    "mail.mail_activity_data_call",
                    user_id=user.id,
                    summary=self.env._(
                        "Call %(who)s: %(reason)s", who=", ".join(partners.mapped("name")), reason=reason
                    ),
                )
        return log

    @api.model
    def _cron_itss_escalate(self, batch_size=100):
        """Escalation matrix, SLA warnings and breaches, automatic escalation and the
        second line watchdog, for the tickets that are due now."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT id FROM helpdesk_ticket
             WHERE itss_next_action_date <= %s
             ORDER BY id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            now,
            batch_size + 1,
        )
        rules = {}

        def escalate(ticket):
            key = (ticket.company_id.id, ticket.itss_priority)
            if key not in rules:
                rules[key] = ticket._itss_escalation_rules()
            ticket._itss_escalate(now, rules[key])

        def retry_later(ticket):
            ticket._itss_write_facts({"itss_escalation_retry_date": now + timedelta(minutes=15)})

        run_locked_batch(self, query, batch_size, escalate, retry_later)

    @api.model
    def _cron_itss_auto_close(self, batch_size=100):
        """Close resolved tickets whose confirmation period passed without a customer
        reply; remind the service desk daily of the others."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT id FROM helpdesk_ticket
             WHERE itss_state = 'resolved'
               AND (itss_auto_close_date <= %s OR itss_reminder_date <= %s)
             ORDER BY id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            now,
            now,
            batch_size + 1,
        )

        def close_or_remind(ticket):
            if ticket.itss_auto_close_date and ticket.itss_auto_close_date <= now:
                ticket._itss_auto_close()
            else:
                ticket._itss_remind_desk(now)

        def retry_later(ticket):
            # keep the countdown: the close is tried again next hour, the reminder
            # tomorrow (clearing it would leave the ticket open for good)
            retry = {"itss_reminder_date": now + timedelta(days=1)}
            if ticket.itss_auto_close_date and ticket.itss_auto_close_date <= now:
                retry["itss_auto_close_date"] = now + timedelta(hours=1)
            ticket._itss_write_facts(retry)

        run_locked_batch(self, query, batch_size, close_or_remind, retry_later)

    def _itss_auto_close(self):
        self.ensure_one()
        if self.itss_alert_source_id and not self.itss_alert_touched:
            # a cleared alert nobody worked on: closed without customer confirmation
            self._itss_move_to("closed", {"itss_close_origin": "alert"})
            self.message_post(
                body=self.env._("Closed automatically: the alert stayed clear."),
                subtype_xmlid="mail.mt_note",
            )
            return
        days = self.company_id.itss_auto_close_days
        self._itss_move_to(
            "closed",
            {
                "itss_close_origin": "auto",
                "itss_closure_code_id": self.env.ref(
                    "itss_incident.closure_code_auto_closed"
                ).id,
            },
        )
        self.message_post(
            body=self.env._(
                "Closed automatically: no reply from the customer %(days)s days after "
                "the resolution.",
                days=days,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _itss_remind_desk(self, now):
        """The daily reminder to confirm a resolved ticket: one to-do, due today."""
        self.ensure_one()
        self._itss_write_facts({"itss_reminder_date": now + timedelta(days=1)})
        self._itss_activity_update(confirm_due=fields.Date.context_today(self))

    def _itss_desk_user(self):
        """Who confirms and follows up for the service desk: the team leader, else the
        incident manager, else the assignee."""
        team = self.team_id
        return (team.user_id or team.itss_incident_manager_id or self.user_id)[:1]

    def _itss_schedule_followup(self):
        """The follow-up visit (回访), due 3 working days after closing."""
        for ticket in self:
            user = ticket._itss_desk_user()
            if not user:
                continue
            calendar = ticket.company_id.resource_calendar_id
            now = fields.Datetime.now()
            due = calendar.plan_days(4, now, compute_leaves=True) if calendar else False
            ticket.activity_schedule(
                "itss_incident.mail_act_itss_followup",
                user_id=user.id,
                date_deadline=(due or now + timedelta(days=3)).date(),
            )

    @api.model
    def _itss_queues(self):
        """The queues of the ITSS landing page: (key, label, help, tone, domain)."""
        open_domain = [("itss_state", "in", OPEN_STATES)]
        not_breached = [("itss_response_breached", "=", False), ("itss_resolve_breached", "=", False)]
        return [
            ("my_queue", self.env._("My queue"), self.env._("Open tickets assigned to me"),
             "info", open_domain + [("user_id", "=", self.env.uid)]),
            ("unassigned", self.env._("Unassigned"), self.env._("Open tickets without an engineer"),
             "warning", open_domain + [("user_id", "=", False)]),
            ("breaching_soon", self.env._("Breaching soon"),
             self.env._("A warning threshold of the SLA has passed"), "warning",
             [("itss_state", "in", ("new", "assigned", "in_progress")),
              ("itss_sla_at_risk", "=", True)] + not_breached),
            ("breached", self.env._("Breached"), self.env._("Open tickets past an SLA deadline"),
             "danger", open_domain + ["|", ("itss_response_breached", "=", True),
                                      ("itss_resolve_breached", "=", True)]),
            ("pending", self.env._("Pending"), self.env._("Waiting for a vendor, the customer..."),
             "muted", [("itss_state", "=", "pending")]),
            ("resolved", self.env._("Awaiting confirmation"),
             self.env._("Resolved, to confirm with the customer and close"), "info",
             [("itss_state", "=", "resolved")]),
            ("p1_p2", self.env._("P1 / P2 open"), self.env._("Critical and high priority"),
             "danger", open_domain + [("itss_priority", "in", ("1", "2"))]),
        ]

    @api.model
    def itss_queue_counts(self):
        """Counts of the landing page's queues for the current user, each with the
        action that opens its list (the major incident addon adds its own)."""
        base = self.env["ir.actions.actions"]._for_xml_id("itss_incident.helpdesk_ticket_action_itss")
        itss = [("itss_tier", "!=", False)]
        result = []
        for key, label, help_text, tone, domain in self._itss_queues():
            domain = itss + domain
            action = dict(
                base,
                name=label,
                display_name=label,
                help=False,
                domain=domain,
                context={},
                views=[(False, "list"), (False, "kanban"), (False, "form")],
                view_mode="list,kanban,form",
            )
            action.pop("id", None)
            action.pop("path", None)
            result.append(
                {
                    "key": key,
                    "label": label,
                    "help": help_text,
                    "tone": tone,
                    "count": self.search_count(domain),
                    "action": action,
                }
            )
        return result

    def action_itss_send_to_problem(self):
        """Hand the ticket to problem management: a new problem with the ticket's
        details (or the problem it is linked to already), opened in a form."""
        self.ensure_one()
        problem = self.itss_problem_id
        if not problem:
            parts = [self.description or ""]
            if not is_html_empty(self.itss_solution):
                parts.append(
                    Markup("<p><strong>%s</strong></p>") % self.env._("Solution of the incident:")
                )
                parts.append(self.itss_solution)
            problem = self.env["itss.problem"].create(
                {
                    "name": self.name,
                    "description": Markup("").join(Markup(p) for p in parts),
                    "company_id": self.company_id.id,
                    "priority": self.itss_priority,
                    "category_id": self.category_id.id,
                    "user_id": self.team_id.itss_incident_manager_id.id or self.env.uid,
                }
            )
            self.itss_problem_id = problem
            self.message_post(
                body=self.env._("Sent to problem management: %(problem)s", problem=problem.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.problem",
            "res_id": problem.id,
            "view_mode": "form",
        }

    def action_itss_escalate(self):
        """Functional escalation: hand the ticket to the next tier's team."""
        for ticket in self:
            target = ticket.team_id.itss_escalation_team_id
            if not target:
                raise UserError(
                    self.env._(
                        "Team %(team)s has no escalation team.", team=ticket.team_id.display_name
                    )
                )
            if ticket.itss_state not in ("new", "assigned", "in_progress"):
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s can be escalated only while it is logged, "
                        "dispatched or in progress.",
                        ticket=ticket.display_name,
                    )
                )
            vals = {"team_id": target.id, "user_id": False}
            ticket.with_context(itss_functional_escalation=_ITSS_FACTS).write(vals)
            if ticket.itss_state != "assigned":
                ticket._itss_move_to("assigned")
            ticket.message_post(
                body=self.env._(
                    "Escalated to %(team)s (tier %(tier)s).",
                    team=target.display_name,
                    tier=target.itss_tier,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self._itss_toast(self.env._("Ticket %(ticket)s is escalated to the next tier."))

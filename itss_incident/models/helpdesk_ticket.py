"""helpdesk.ticket for ITSS: classification and priority, routing at logging, and
the facts only the model writes. The other concerns re-inherit the model in
helpdesk_ticket_<concern>.py: lifecycle, closure, sla, escalation, alert, problem,
queue."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import compat
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
# The demo history generator's pass: it writes a past ticket's dates as they were, the
# closed ones included (models/helpdesk_ticket_demo.py only).
_ITSS_HISTORY = object()
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
    "itss_retarget",
    "itss_retarget_retry_date",
    "itss_desk_contact_answer",
    "itss_desk_check_answer",
    "itss_return_reason",
    "itss_chase_count",
    "itss_chase_date",
    "itss_resolver_role",
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

    # SLA: the policy and deadlines follow priority, team, category and the paused
    # Escalation bookkeeping: stored facts the scheduled action works from.

    @api.model
    def _search(self, domain, *args, **kwargs):
        # the portal ticket list's open / resolved / closed filter
        # (controllers/portal.py)
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
            valid = ticket.itss_impact in dict(
                IMPACT_SELECTION
            ) and ticket.itss_urgency in dict(
                URGENCY_SELECTION
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
            ticket.itss_reporter_mobile = compat.separate_mobile(partner)

    @api.model_create_multi
    def create(self, vals_list):
        self._itss_check_facts(
            set().union(*vals_list) if vals_list else set(),
            internal=self.env.context.get("itss_facts") is _ITSS_FACTS,
        )
        categories = self.env["helpdesk.ticket.category"].browse(
            [vals["category_id"] for vals in vals_list if vals.get("category_id")]
        )
        customer_channels = self._itss_customer_channels()
        for vals in vals_list:
            if vals.get("category_id") and not vals.get("team_id"):
                team = categories.browse(vals["category_id"])._itss_get_team()
                if team:
                    vals["team_id"] = team.id
            if not vals.get("team_id"):
                team = self._itss_intake_team(vals, customer_channels)
                if team:
                    vals["team_id"] = team.id
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
            if team.itss_tier:
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                vals.update(self._itss_logging_vals(vals, team, company))
        tickets = super().create(vals_list)
        # a team that helpdesk_mgmt gave by its own defaults (the auto-assigned user's
        # team): dispatched now too
        undated = tickets.filtered(
            lambda t: t.team_id.itss_tier and not t.itss_dispatch_date
        )
        if undated:
            undated._itss_set_facts({"itss_dispatch_date": fields.Datetime.now()})
        return tickets

    @api.model
    def _itss_intake_team(self, vals, customer_channels):
        """The team of a ticket created without team nor category team (hook): the
        company's default ITSS team for the channels customers use themselves (the
        portal's Web channel, the mail gateway's Email channel); otherwise none, as
        helpdesk_mgmt does."""
        if vals.get("channel_id") in customer_channels.ids:
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            return company.itss_default_team_id
        return self.env["helpdesk.ticket.team"]

    @api.model
    def _itss_logging_vals(self, vals, team, company):
        """The hook of logging an ITSS ticket of ``team``: each concern returns ``vals``
        with what it sets at logging (e.g. the owner)."""
        return vals

    @api.model
    def _itss_ref(self, xmlid, raise_if_not_found=True):
        """``env.ref`` without its query: ``env.ref`` checks with a SELECT that the
        record exists, on every call, while deleting a record deletes its xml id
        anyway; the xml id lookup itself is cached by Odoo (issue 18: the hot paths
        asked for the same few records on every ticket). None if not found and
        ``raise_if_not_found`` is false, as ``env.ref``."""
        model, res_id = self.env["ir.model.data"]._xmlid_to_res_model_res_id(
            xmlid, raise_if_not_found=raise_if_not_found
        )
        return self.env[model].browse(res_id) if model else None

    def _itss_customer_channels(self):
        """The channels customers use themselves: their tickets without a team go to
        the company's default ITSS team."""
        return (
            self._itss_ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
            )
            or self.env["helpdesk.ticket.channel"]
        ) | (
            self._itss_ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False
            )
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

    def _itss_check_facts(self, names, internal=False):
        """Facts the system derives are written by the model only (ITSS_FACT_FIELDS):
        ``internal`` steps pass the private _ITSS_FACTS object in the context
        (``_itss_set_facts``). The superuser (data files, no RPC call) stays exempt."""
        if self.env.su or internal:
            return
        forbidden = ITSS_FACT_FIELDS & set(names)
        if forbidden:
            labels = ", ".join(
                sorted(
                    self._fields[name].get_description(self.env)["string"]
                    for name in forbidden
                )
            )
            raise AccessError(
                self.env._(
                    "These ticket fields are set by the system as the ticket moves "
                    "through its lifecycle and cannot be written directly: %(fields)s. "
                    "Use the ticket's buttons instead.",
                    fields=labels,
                )
            )

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

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
CLOSE_ORIGIN_SELECTION = [
    ("desk", "Service desk"),
    ("customer", "Customer confirmation"),
    ("auto", "Automatic close"),
    ("alert", "Monitoring recovery"),
    ("duplicate", "Closed with its master"),
    ("rejected", "Rejected by the customer"),
]
# Fields of helpdesk_mgmt that a closed ticket keeps as they are (besides every itss_*
# field but those in _itss_post_close_fields).
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

    # ITSS fields that may still change once a ticket is closed (links from newer
    # tickets, follow-up results...).
    _itss_post_close_fields = {"itss_reopened_ticket_ids"}

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
        [
            ("incident", "Incident"),
            ("service_request", "Service Request"),
            ("security", "Security Incident"),
        ],
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
            if not ticket.stage_id or ticket.stage_id.closed and not ticket.itss_state:
                continue
            if bool(ticket.itss_state) != bool(ticket.team_id.itss_tier):
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

    @api.model_create_multi
    def create(self, vals_list):
        categories = self.env["helpdesk.ticket.category"].browse(
            [vals["category_id"] for vals in vals_list if vals.get("category_id")]
        )
        for vals in vals_list:
            if vals.get("category_id") and not vals.get("team_id"):
                team = categories.browse(vals["category_id"])._itss_get_team()
                if team:
                    vals["team_id"] = team.id
            stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
            if stage.itss_state:
                vals.update(self._itss_prepare_stage_vals(stage, vals))
        return super().create(vals_list)

    def write(self, vals):
        self._itss_check_frozen(vals)
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            moving = self.filtered(lambda t: t.stage_id != stage)
            moving._itss_check_transition(stage, vals)
            if stage.itss_state:
                vals = dict(vals, **self._itss_prepare_stage_vals(stage, vals))
                moving._itss_check_requirements(vals)
            if stage.itss_state == "closed":
                closing = moving
        res = super().write(vals)
        if closing:
            closing._itss_close_duplicates()
        return res

    def action_itss_assign(self):
        """Dispatch the ticket to its team / engineer (已派单)."""
        return self._itss_move_to("assigned")

    def action_itss_accept(self):
        """The engineer accepts the ticket and works on it (受理)."""
        for ticket in self.filtered(lambda t: not t.user_id):
            ticket.user_id = self.env.user
        return self._itss_move_to("in_progress")

    def action_itss_pend(self):
        """Put the ticket on hold; the wait code must be set (挂起)."""
        return self._itss_move_to("pending")

    def action_itss_resume(self):
        """Work on a pending ticket again."""
        return self._itss_move_to("in_progress")

    def action_itss_resolve(self):
        """Resolve: solution, closure code and, for incidents, recovery time (已解决)."""
        return self._itss_move_to("resolved")

    def action_itss_close(self):
        """The service desk closes a resolved ticket; satisfaction is required."""
        return self._itss_move_to("closed", {"itss_close_origin": "desk"})

    def action_itss_cancel(self):
        """Cancel an open ticket (logged by mistake, withdrawn by the customer...)."""
        code = self.env.ref("itss_incident.closure_code_cancelled")
        for ticket in self.filtered(lambda t: not t.itss_closure_code_id):
            ticket.itss_closure_code_id = code
        return self._itss_move_to("cancelled")

    def action_itss_reopen_resolution(self, reason):
        """An incident manager takes back a mistaken resolution (resolved -> in progress)."""
        if not self.env.user.has_group("itss_incident.group_itss_incident_manager"):
            raise UserError(
                self.env._("Only an incident manager can take back a resolution.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the resolution is taken back."))
        self.with_context(itss_correction_reason=reason)._itss_move_to("in_progress")
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
            ticket.write(dict(extra_vals or {}, stage_id=stage.id))
        return True

    def _itss_check_frozen(self, vals):
        frozen = {
            name
            for name in vals
            if name in FROZEN_CORE_FIELDS
            or name.startswith("itss_")
            and name not in self._itss_post_close_fields
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
                allowed = bool(self.env.context.get("itss_correction_reason"))
                hint = self.env._(
                    " An incident manager can take back a resolution, with a reason."
                )
            elif new == "closed" and old != "resolved":
                allowed = vals.get("itss_close_origin") == "duplicate"
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

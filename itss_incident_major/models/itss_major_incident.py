from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from odoo.addons.itss_incident import compat

MANAGER_GROUP = "itss_incident_major.group_itss_major_incident_manager"
# The state moves by the buttons only: _transition passes _TRANSITION as the context's
# ``itss_major_transition``, a Python object no JSON-RPC caller can send.
_TRANSITION = object()


class ItssMajorIncident(models.Model):
    """A major incident (重大事件): one or more tickets handled by major incident
    managers and a recovery team, with versioned recovery plans, an approved
    communication plan, review meetings and a hand-off to problem management."""

    _name = "itss.major.incident"
    _description = "ITSS Major Incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    number = fields.Char(default="/", readonly=True, copy=False, index=True)
    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [
            ("declared", "Declared"),
            ("recovering", "Recovering"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="declared",
        required=True,
        tracking=True,
        index=True,
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Main Ticket",
        required=True,
        index=True,
        check_company=True,
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "itss_major_incident_id", string="Tickets"
    )
    manager_ids = fields.Many2many(
        "res.users",
        "itss_major_incident_manager_rel",
        string="Major Incident Managers",
        domain=lambda self: compat.in_group_domain(self.env.ref(MANAGER_GROUP)),
        tracking=True,
        help="Several managers take turns for round-the-clock work.",
    )
    recovery_team_ids = fields.Many2many(
        "res.users",
        "itss_major_incident_recovery_rel",
        domain=[("share", "=", False)],
    )
    management_partner_ids = fields.Many2many(
        "res.partner",
        string="Management Team",
        help="Told of the declaration and escalations.",
    )
    declared_reason = fields.Text(string="Why Declared", tracking=True)
    impact = fields.Html(string="Business Impact")
    resolution = fields.Html()
    declared_date = fields.Datetime(
        readonly=True, copy=False, default=fields.Datetime.now
    )
    recovering_date = fields.Datetime(readonly=True, copy=False)
    resolved_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    bcp_invoked = fields.Boolean(
        string="Business Continuity Invoked", readonly=True, tracking=True
    )
    bcp_invoked_date = fields.Datetime(string="BCP Invoked On", readonly=True)
    bcp_decided_by_id = fields.Many2one(
        "res.users", string="BCP Decided By", readonly=True
    )
    bcp_reason = fields.Text(string="Why BCP Was Invoked", readonly=True)
    emergency_plan_id = fields.Many2one(
        "itss.emergency.plan", tracking=True, check_company=True
    )
    recovery_plan_ids = fields.One2many(
        "itss.recovery.plan", "major_incident_id", string="Recovery Plan Versions"
    )
    communication_line_ids = fields.One2many(
        "itss.communication.plan.line", "major_incident_id", string="Communication Plan"
    )
    communication_update_ids = fields.One2many(
        "itss.communication.update", "major_incident_id", string="Statements"
    )
    meeting_ids = fields.One2many(
        "itss.major.meeting", "major_incident_id", string="Meetings"
    )
    problem_id = fields.Many2one(
        "itss.problem", string="Post-incident Review", copy=False
    )
    overdue_action_count = fields.Integer(compute="_compute_overdue_action_count")

    @api.depends(
        "recovery_plan_ids.action_ids.date_deadline",
        "recovery_plan_ids.action_ids.state",
    )
    def _compute_overdue_action_count(self):
        today = fields.Date.context_today(self)
        for incident in self:
            incident.overdue_action_count = len(
                incident.recovery_plan_ids.filtered(
                    lambda p: p.state != "superseded"
                ).action_ids.filtered(
                    lambda a: (
                        a.state == "todo"
                        and a.date_deadline
                        and a.date_deadline < today
                    )
                )
            )

    @api.depends("number", "name")
    def _compute_display_name(self):
        for incident in self:
            incident.display_name = f"{incident.number} - {incident.name}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                vals["number"] = (
                    self.env["ir.sequence"].next_by_code("itss.major.incident") or "/"
                )
        incidents = super().create(vals_list)
        for incident in incidents:
            incident.ticket_id.itss_major_incident_id = incident
        return incidents

    def write(self, vals):
        business = set(vals) - {"message_main_attachment_id", "activity_ids"}
        if business and not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("Only a major incident manager changes a major incident.")
            )
        if (
            "state" in vals
            and self.env.context.get("itss_major_transition") is not _TRANSITION
        ):
            raise UserError(
                self.env._("Use the buttons to change the state of a major incident.")
            )
        return super().write(vals)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._("Only a major incident manager does this."))

    def _transition(self, expected, state, date_field, vals=None):
        self._check_manager()
        for incident in self:
            if incident.state not in expected:
                raise UserError(
                    self.env._(
                        "Major incident %(incident)s cannot go from %(from)s to "
                        "%(to)s.",
                        incident=incident.display_name,
                        **{"from": incident.state, "to": state},
                    )
                )
        self.with_context(itss_major_transition=_TRANSITION).write(
            dict(vals or {}, state=state, **{date_field: fields.Datetime.now()})
        )

    def action_start_recovery(self):
        self._transition(("declared",), "recovering", "recovering_date")

    def action_resolve(self):
        """Resolved: its open tickets are resolved with the major incident's
        solution."""
        for incident in self:
            if is_html_empty(incident.resolution):
                raise UserError(
                    self.env._(
                        "Major incident %(incident)s needs its resolution.",
                        incident=incident.display_name,
                    )
                )
        self._transition(("declared", "recovering"), "resolved", "resolved_date")
        code = self.env.ref("itss_incident.closure_code_resolved")
        for incident in self:
            tickets = incident.ticket_ids.filtered(
                lambda t: t.itss_state in ("new", "assigned", "in_progress", "pending")
            )
            for ticket in tickets.sudo():
                ticket.write(
                    {
                        "itss_solution": incident.resolution,
                        "itss_closure_code_id": ticket.itss_closure_code_id.id
                        or code.id,
                        "itss_recovery_date": ticket.itss_recovery_date
                        or incident.resolved_date,
                    }
                )
                ticket._itss_move_to("resolved")

    def action_close(self):
        """Closing needs the resolution, a final statement sent and the post-incident
        review handed to problem management."""
        for incident in self:
            missing = []
            if is_html_empty(incident.resolution):
                missing.append(self.env._("the resolution"))
            if not incident.communication_update_ids.filtered(
                lambda u: u.is_final and u.state == "sent"
            ):
                missing.append(self.env._("a final statement sent"))
            if not incident.problem_id:
                missing.append(
                    self.env._("the post-incident review in problem management")
                )
            if missing:
                raise UserError(
                    self.env._(
                        "Major incident %(incident)s cannot close without %(missing)s.",
                        incident=incident.display_name,
                        missing=", ".join(missing),
                    )
                )
        self._transition(("resolved",), "closed", "closed_date")

    def action_invoke_bcp(self, reason):
        """Business continuity (业务连续性): who decided, when and why."""
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why business continuity is invoked."))
        for incident in self:
            if incident.bcp_invoked:
                raise UserError(self.env._("Business continuity is invoked already."))
            incident.write(
                {
                    "bcp_invoked": True,
                    "bcp_invoked_date": fields.Datetime.now(),
                    "bcp_decided_by_id": self.env.uid,
                    "bcp_reason": reason,
                }
            )
            incident.message_post(
                body=self.env._(
                    "Business continuity plan invoked: %(reason)s", reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_activate_emergency_plan(self):
        """Follow the emergency plan: its steps become actions of a draft recovery plan.
        Without a plan, the plan of the main ticket's system is taken; without any,
        the user is told where emergency plans are kept."""
        self._check_manager()
        self.ensure_one()
        plan = self.emergency_plan_id or self.env[
            "itss.emergency.plan"
        ]._itss_find_for_ticket(self.ticket_id)
        if not plan:
            raise UserError(
                self.env._(
                    "Major incident %(incident)s has no emergency plan, and none "
                    "covers the category of its main ticket. Choose one in its "
                    "Emergency Plan field, or write one in Helpdesk > Configuration > "
                    "ITSS > Emergency Plans (with the ticket categories of its "
                    "system). Without an emergency plan, work from the Recovery Plan.",
                    incident=self.display_name,
                )
            )
        if not self.emergency_plan_id:
            self.emergency_plan_id = plan
        if not plan.step_ids:
            raise UserError(
                self.env._(
                    "Emergency plan %(plan)s has no steps to follow: add them in "
                    "Helpdesk > Configuration > ITSS > Emergency Plans.",
                    plan=plan.name,
                )
            )
        recovery = self._itss_draft_plan()
        owner = self.manager_ids[:1] or self.env.user
        recovery.write(
            {
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": step.name,
                            "user_id": owner.id,
                            "note": step.description,
                        },
                    )
                    for step in plan.step_ids
                ]
            }
        )
        self.message_post(
            body=self.env._("Emergency plan %(plan)s activated.", plan=plan.name),
            subtype_xmlid="mail.mt_note",
        )
        return recovery._itss_open()

    def action_new_statement(self):
        """A new statement of this major incident, in a dialog. The button saves the
        major incident first, so the audiences just added to its communication plan
        are there to choose; a single audience is proposed with its shipped text."""
        self._check_manager()
        self.ensure_one()
        lines = self.communication_line_ids
        if not lines:
            raise UserError(
                self.env._(
                    "Add the audiences of the communication plan first (who is told, "
                    "how, how often and who approves): a statement goes to them."
                )
            )
        context = {"default_major_incident_id": self.id}
        if len(lines) == 1:
            context["default_line_ids"] = [(6, 0, lines.ids)]
            context["default_body"] = self.env[
                "itss.communication.update"
            ]._itss_template(lines.audience, self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Statement"),
            "res_model": "itss.communication.update",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_new_recovery_plan(self):
        self._check_manager()
        self.ensure_one()
        return self._itss_draft_plan()._itss_open()

    def _itss_draft_plan(self):
        plans = self.recovery_plan_ids.sorted("version")
        draft = plans.filtered(lambda p: p.state == "draft")[:1]
        if draft:
            return draft
        if plans:
            return plans[-1]._itss_new_version()
        return self.env["itss.recovery.plan"].create(
            {
                "major_incident_id": self.id,
                "version": 1,
                "problem_statement": Markup("<p>%s</p>")
                % (self.declared_reason or self.name),
            }
        )

    def action_create_problem(self):
        """Hand the post-incident review to problem management."""
        self._check_manager()
        self.ensure_one()
        if not self.problem_id:
            problem = (
                self.env["itss.problem"]
                .sudo()
                .create(
                    {
                        "name": self.env._(
                            "Post-incident review: %(title)s", title=self.name
                        ),
                        "description": (self.impact or Markup(""))
                        + (self.resolution or Markup("")),
                        "company_id": self.company_id.id,
                        "priority": self.ticket_id.itss_priority,
                        "category_id": self.ticket_id.category_id.id,
                        "major_incident_id": self.id,
                        "user_id": self.env.uid,
                    }
                )
            )
            self.problem_id = problem
            self.ticket_ids.sudo().write({"itss_problem_id": problem.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.problem",
            "res_id": self.problem_id.id,
            "view_mode": "form",
        }

    def action_print_report(self):
        return self.env.ref(
            "itss_incident_major.action_report_itss_major_incident"
        ).report_action(self)

    def _itss_timeline(self):
        """(moment, what) of the major incident's life, for the report."""
        self.ensure_one()
        events = []
        labels = dict(self._fields["state"]._description_selection(self.env))
        for field, state in (
            ("declared_date", "declared"),
            ("recovering_date", "recovering"),
            ("resolved_date", "resolved"),
            ("closed_date", "closed"),
            ("cancelled_date", "cancelled"),
        ):
            if self[field]:
                events.append((self[field], labels[state]))
        if self.bcp_invoked_date:
            events.append(
                (self.bcp_invoked_date, self.env._("Business continuity invoked"))
            )
        for plan in self.recovery_plan_ids.filtered("approved_date"):
            events.append(
                (
                    plan.approved_date,
                    self.env._("Recovery plan version %(v)s approved", v=plan.version),
                )
            )
        for update in self.communication_update_ids.filtered("sent_date"):
            events.append(
                (
                    update.sent_date,
                    self.env._("Statement sent: %(name)s", name=update.name),
                )
            )
        for meeting in self.meeting_ids:
            events.append((meeting.date, meeting.display_name))
        logs = (
            self.env["itss.escalation.log"]
            .sudo()
            .search([("ticket_id", "in", self.ticket_ids.ids)], order="date")
        )
        kinds = dict(logs._fields["kind"]._description_selection(self.env))
        for log in logs:
            events.append(
                (
                    log.date,
                    self.env._(
                        "%(kind)s to %(who)s (%(channel)s)",
                        kind=kinds[log.kind],
                        who=", ".join(log.partner_ids.mapped("name")),
                        channel=log.channel,
                    ),
                )
            )
        return sorted(events, key=lambda e: e[0])

    def _itss_durations(self):
        """Hours to declare (from the main ticket's logging), recover and close."""
        self.ensure_one()

        def hours(start, end):
            return (
                round((end - start).total_seconds() / 3600.0, 2)
                if start and end
                else None
            )

        return {
            "declare": hours(self.ticket_id.itss_logged_date, self.declared_date),
            "recover": hours(self.declared_date, self.resolved_date),
            "close": hours(self.declared_date, self.closed_date),
        }

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from ..tools import toast
from .helpdesk_ticket import FROZEN_CORE_FIELDS, _ITSS_FACTS, _ItssCorrection
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES, ITSS_TRANSITIONS

class HelpdeskTicket(models.Model):
    """The ITSS lifecycle: the one authority for transitions, requirements, frozen closed tickets and derived facts, the header's buttons and dialogs."""

    _inherit = "helpdesk.ticket"

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

    @api.constrains("itss_pending_until")
    def _check_itss_pending_until(self):
        """Until when a ticket waits is a moment to come, whatever the path (the
        dialog, the form's field, RPC)."""
        now = fields.Datetime.now()
        if any(t.itss_pending_until and t.itss_pending_until <= now for t in self):
            raise ValidationError(self.env._("Pending until: choose a moment in the future."))

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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_itss_records(self):
        """A closed or cancelled ITSS ticket is kept, with its notifications and
        pauses: the record an auditor reads (the superuser stays exempt)."""
        self._itss_check_kept(
            self.env._(
                "Ticket %(ticket)s is %(state)s: closed and cancelled tickets are kept "
                "with their history, they cannot be deleted."
            )
        )

    def _itss_check_archive(self, vals):
        """Nor are they archived: they would leave every report and KPI."""
        if "active" in vals and not vals["active"]:
            self._itss_check_kept(
                self.env._(
                    "Ticket %(ticket)s is %(state)s: closed and cancelled tickets stay in "
                    "the records and the reports, they cannot be archived."
                )
            )

    def _itss_check_kept(self, message):
        """Refuse (``message``, with %(ticket)s and %(state)s) when a user, not the
        superuser, would remove a closed or cancelled ITSS ticket."""
        if self.env.su:
            return
        kept = self.filtered(lambda t: t.team_id.itss_tier and t.itss_state in ITSS_TERMINAL_STATES)
        if kept:
            raise UserError(
                message
                % {
                    "ticket": kept[0].display_name,
                    "state": self._itss_state_labels()[kept[0].itss_state].lower(),
                }
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
            # to-dos exist for pending and resolved tickets only: keep the other
            # stage changes and reassignments free of their queries
            todo_states = ("pending", "resolved")
            todo = self.filtered(
                lambda t: t.itss_tier
                and (
                    "itss_pending_until" in vals
                    or t.itss_state in todo_states
                    or before.get(t.id, (None,))[0] in todo_states
                )
            )
            if todo:
                todo._itss_activity_update()
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

    def action_itss_cancel(self):
        """Cancel an open ticket (logged by mistake, withdrawn by the customer...)."""
        code = self.env.ref("itss_incident.closure_code_cancelled")
        self._itss_move_to("cancelled", {"itss_closure_code_id": code.id})
        return self._itss_toast(self.env._("Ticket %(ticket)s is cancelled."))

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

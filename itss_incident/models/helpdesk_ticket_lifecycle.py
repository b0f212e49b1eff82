from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from .helpdesk_ticket import (
    _ITSS_FACTS,
    _ITSS_HISTORY,
    FROZEN_CORE_FIELDS,
    ITSS_FACT_FIELDS,
    _ItssCorrection,
)
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES, ITSS_TRANSITIONS

# A ticket as it was before a change of stage, team or user (_itss_on_state_change).
ItssBefore = namedtuple("ItssBefore", "state user team escalated")


class HelpdeskTicket(models.Model):
    """The ITSS lifecycle: the one authority for transitions, requirements, frozen
    closed tickets and derived facts; the state-change hook the concerns extend."""

    _inherit = "helpdesk.ticket"

    itss_wait_code_id = fields.Many2one(
        "itss.wait.code",
        string="Wait Code",
        tracking=True,
        copy=False,
        help="Why the ticket is pending; required to enter the Pending state.",
    )

    itss_pending_until = fields.Datetime(
        string="Pending Until",
        tracking=True,
        copy=False,
        help="Until when the ticket waits; the assignee gets a to-do at that time. The "
        "ticket does not resume by itself.",
    )

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
                        "Ticket %(ticket)s: tickets of ITSS teams (teams with a "
                        "support tier) use the ITSS stages, and only they do. Stage "
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
        "itss_fault_vendor_id",
        "itss_ticket_type",
        "team_id",
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
            raise ValidationError(
                self.env._("Pending until: choose a moment in the future.")
            )

    def _itss_format_datetime(self, moment):
        """A UTC datetime as the user reads it (their time zone)."""
        return fields.Datetime.context_timestamp(self, moment).strftime(
            "%Y-%m-%d %H:%M"
        )

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
                    "Ticket %(ticket)s is %(state)s: closed and cancelled tickets stay "
                    "in the records and the reports, they cannot be archived."
                )
            )

    def _itss_check_kept(self, message):
        """Refuse (``message``, with %(ticket)s and %(state)s) when a user, not the
        superuser, would remove a closed or cancelled ITSS ticket."""
        if self.env.su:
            return
        kept = self.filtered(
            lambda t: t.team_id.itss_tier and t.itss_state in ITSS_TERMINAL_STATES
        )
        if kept:
            raise UserError(
                message
                % {
                    "ticket": kept[0].display_name,
                    "state": self._itss_state_labels()[kept[0].itss_state].lower(),
                }
            )

    # super().write is called by _itss_write, which write hands every write to (after
    # taking a private pass out of the context)
    def write(self, vals):  # pylint: disable=method-required-super
        context = self.env.context
        passes = {
            "internal": context.get("itss_facts") is _ITSS_FACTS,
            "history": context.get("itss_history") is _ITSS_HISTORY,
            "escalation": context.get("itss_functional_escalation") is _ITSS_FACTS,
        }
        if any(passes.values()):
            # a private pass covers this write, not the writes it sets off
            tickets = self.with_context(
                itss_facts=None, itss_history=None, itss_functional_escalation=None
            )
            return tickets._itss_write(vals, **passes)
        return self._itss_write(vals)

    def _itss_write(self, vals, internal=False, history=False, escalation=False):
        """``write`` with the ITSS rules: derived facts only ``internal`` (or as the
        demo's ``history``), closed tickets frozen, transitions and their requirements;
        then the state-change hook. ``escalation``: a functional escalation."""
        self._itss_check_facts(vals, internal or history)
        self._itss_check_archive(vals)
        try:
            if not history:
                # the facts of a closing transition are written after it
                self._itss_check_frozen(
                    [
                        name
                        for name in vals
                        if not (internal and name in ITSS_FACT_FIELDS)
                    ]
                )
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
        if not self.env.su and {
            "stage_id",
            "user_id",
            "itss_priority",
            "itss_impact",
            "itss_urgency",
        } & set(vals):
            alert_tickets = self.filtered(
                lambda t: t.itss_alert_source_id and not t.itss_alert_touched
            )
            if alert_tickets:
                alert_tickets._itss_set_facts({"itss_alert_touched": True})
        before = {}
        if {"stage_id", "team_id", "user_id"} & set(vals):
            before = {
                t.id: ItssBefore(t.itss_state, t.user_id, t.team_id, escalation)
                for t in self
            }
        res = super().write(vals)
        changed = self.filtered("team_id.itss_tier") if before else self.browse()
        if changed:
            changed._itss_on_state_change(before, {}, fields.Datetime.now())
        if self._itss_todo_fields() & set(vals):
            # to-dos exist in some states only: keep the other stage changes and
            # reassignments free of their queries
            todo_states = self._itss_todo_states()
            todo = self.filtered(
                lambda t: (
                    t.itss_tier
                    and (
                        "itss_pending_until" in vals
                        or t.itss_state in todo_states
                        or t.id in before
                        and before[t.id].state in todo_states
                    )
                )
            )
            if todo:
                todo._itss_activity_update()
        return res

    def _itss_set_facts(self, vals):
        """Write facts the model derives (counters, SLA and follow-up dates) with the
        private pass, through every addon's ``write``."""
        return self.with_context(itss_facts=_ITSS_FACTS).write(vals)

    def _itss_on_state_change(self, before, facts, now):
        """The hook of a change of stage, team or user of ITSS tickets, which each
        concern (SLA, closure, escalation...) extends with ``super()``.

        ``before`` maps each ticket's id to its ItssBefore (state, user, team, whether
        the change is a functional escalation). ``facts`` maps ticket ids to the facts
        to write: an override adds its own, then calls ``super()``, which writes them
        all (one write per ticket); what follows from them comes after ``super()``.
        """
        for ticket in self:
            if ticket.team_id != before[ticket.id].team:
                facts.setdefault(ticket.id, {})["itss_dispatch_date"] = now
        for ticket in self:
            if facts.get(ticket.id):
                ticket._itss_set_facts(facts[ticket.id])

    @api.model
    def _itss_todo_fields(self):
        """The fields whose change may schedule, move or end ITSS to-dos
        (``_itss_activity_update``); each concern adds its own."""
        return {"stage_id", "itss_pending_until", "user_id"}

    @api.model
    def _itss_todo_states(self):
        """The states in which a ticket may have ITSS to-dos
        (``_itss_activity_update``); each concern adds its own."""
        return {"pending"}

    def _itss_activity_update(self, confirm_due=None):
        """Schedule, move, complete or remove the ITSS to-dos of each ticket from its
        current state (each concern extends it): here the assignee's to-do at the end
        of a hold. ``confirm_due``: the due date of the service desk's daily reminder
        to confirm a resolved ticket (closure)."""
        pending_type = self._itss_ref("itss_incident.mail_act_itss_pending")
        # sudo: the to-dos follow the ticket's state, whoever moved it
        for ticket in self.sudo():
            todos = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == pending_type
            )
            if ticket.itss_state == "pending" and ticket.itss_pending_until:
                user = ticket.user_id or self.env.user
                due = fields.Datetime.context_timestamp(
                    ticket.with_context(tz=user.tz or "UTC"), ticket.itss_pending_until
                ).date()
                summary = self.env._(
                    "Pending until %(moment)s: resume or follow up",
                    moment=ticket.with_user(user)._itss_format_datetime(
                        ticket.itss_pending_until
                    ),
                )
                if todos:
                    todos[1:].unlink()
                    todos[:1].write(
                        {"user_id": user.id, "date_deadline": due, "summary": summary}
                    )
                else:
                    ticket.activity_schedule(
                        "itss_incident.mail_act_itss_pending",
                        date_deadline=due,
                        user_id=user.id,
                        summary=summary,
                    )
            elif todos:
                todos.action_feedback(
                    feedback=self.env._(
                        "No longer pending (%(state)s).",
                        state=self._itss_state_labels().get(ticket.itss_state, ""),
                    )
                )

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
                allowed = isinstance(
                    self.env.context.get("itss_correction"), _ItssCorrection
                )
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
            elif new == "new" and old in ("assigned", "in_progress"):
                # a return to the service desk (打回) carries its reason, a fact only
                # the return's model method writes (helpdesk_ticket_handoff.py)
                allowed = bool((vals.get("itss_return_reason") or "").strip())
                hint = self.env._(
                    " Return it to the service desk with a reason (Return to Service "
                    "Desk, or Decline Dispatch)."
                )
            elif old in ITSS_TERMINAL_STATES:
                hint = self.env._(
                    " A closed ticket never reopens: open a new ticket that refers "
                    "to it instead."
                )
            if not allowed:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s cannot move from %(old)s to "
                        "%(new)s.%(hint)s",
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
            return (
                not self.env["helpdesk.ticket.team"].browse(vals["team_id"]).itss_tier
            )
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
            state = (
                self.env["helpdesk.ticket.stage"].browse(vals["stage_id"]).itss_state
            )
        needs = []
        if state == "pending":
            needs.append("itss_wait_code_id")
        if state == "resolved":
            needs.append("itss_solution")
            if value("itss_ticket_type") == "incident":
                needs.append("itss_recovery_date")
                team = self.team_id
                if "team_id" in vals:
                    team = team.browse(vals["team_id"])
                if team.itss_tier == "3":
                    # resolved by the third line (a vendor): which vendor's fault
                    needs.append("itss_fault_vendor_id")
        if state in ("resolved", "closed"):
            needs.append("itss_closure_code_id")
        if state == "closed" and value("itss_close_origin") == "desk":
            needs.append("itss_satisfaction")
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in needs
            if not value(name) or name == "itss_solution" and is_html_empty(value(name))
        ]

    def _itss_check_requirements(self, vals=None):
        states = self._itss_state_labels()
        for ticket in self:
            missing = ticket._itss_missing_requirements(vals)
            if missing:
                stage = (
                    self.env["helpdesk.ticket.stage"].browse(
                        (vals or {}).get("stage_id")
                    )
                    or ticket.stage_id
                )
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot be %(state)s without: %(missing)s.",
                        ticket=ticket.display_name,
                        state=states[stage.itss_state].lower(),
                        missing=", ".join(missing),
                    )
                )

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import run_locked_batch
from .helpdesk_ticket import (
    _ITSS_FACTS,
    CLOSE_ORIGIN_SELECTION,
    FOLLOWUP_RESULT_SELECTION,
    SATISFACTION_SELECTION,
    _ItssCorrection,
)
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES


class HelpdeskTicket(models.Model):
    """Closing: the service desk's close, the customer's confirmation or rejection,
    auto-close, reminders and the follow-up visit (replies to closed tickets:
    helpdesk_ticket_reply.py)."""

    _inherit = "helpdesk.ticket"

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

    itss_followup_date = fields.Datetime(
        string="Followed Up On", copy=False, readonly=True
    )

    itss_auto_close_date = fields.Datetime(
        string="Auto-close On", copy=False, readonly=True, index="btree_not_null"
    )

    itss_reminder_date = fields.Datetime(
        string="Next Desk Reminder", copy=False, readonly=True, index="btree_not_null"
    )

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

    def action_itss_rate(self, satisfaction, comment=None):
        """The customer rates the service of a closed ticket not rated yet (the
        closing notice's link)."""
        if satisfaction not in dict(SATISFACTION_SELECTION):
            raise UserError(self.env._("Satisfaction is rated from 1 to 5."))
        for ticket in self:
            if ticket.itss_state != "closed":
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not closed: confirm its resolution "
                        "instead.",
                        ticket=ticket.display_name,
                    )
                )
        self.write(
            {
                "itss_satisfaction": satisfaction,
                "itss_satisfaction_comment": comment or False,
            }
        )
        return True

    def _itss_get_post_close_fields(self):
        # a closed ticket not rated yet is rated once (action_itss_rate)
        return super()._itss_get_post_close_fields() | {
            "itss_satisfaction",
            "itss_satisfaction_comment",
        }

    def write(self, vals):
        if {"itss_satisfaction", "itss_satisfaction_comment"} & set(vals):
            # as the frozen fields: whoever writes, the superuser too
            self._itss_check_rated()
        return super().write(vals)

    def _itss_check_rated(self):
        """A closed ticket keeps the satisfaction it was given."""
        rated = self.filtered(
            lambda t: t.itss_state == "closed" and t.itss_satisfaction
        )
        if rated:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is closed and rated: its satisfaction can no "
                    "longer change.",
                    ticket=rated[0].display_name,
                )
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
        new = self._itss_copy_as_new(
            reason + (self.description or ""), stage, self.user_id
        )
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
            body=self.env._(
                "The customer rejected the resolution: follow-up ticket %(new)s.",
                new=new.number,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return new

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
        labels = dict(
            self._fields["itss_followup_result"]._description_selection(self.env)
        )
        self.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("itss_incident.mail_act_itss_followup")
            )
        ).action_feedback(feedback=labels[result] + (f": {note}" if note else ""))
        return True

    def action_itss_close(self):
        """The service desk closes resolved tickets: closure code and the customer's
        satisfaction are required (the Close dialog asks for them)."""
        return self._itss_close_by_desk()

    def action_itss_close_dialog(self):
        """The Close dialog of the form: closure code, satisfaction, comment."""
        self.ensure_one()
        self._itss_check_resolved()
        return self._itss_dialog(
            "itss.ticket.close", self.env._("Close Ticket"), ("resolved",)
        )

    def _itss_close_by_desk(self, values=None):
        """Close resolved tickets for the service desk (origin ``desk``): closure code
        and satisfaction are required (``values`` adds them)."""
        for ticket in self:
            ticket._itss_check_resolved()
        return self._itss_move_to(
            "closed", dict(values or {}, itss_close_origin="desk")
        )

    def action_itss_reopen_resolution(self, reason):
        """An incident manager takes back a mistaken resolution (resolved -> in
        progress)."""
        if not self.env.user.has_group("itss_incident.group_itss_incident_manager"):
            raise UserError(
                self.env._("Only an incident manager can take back a resolution.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the resolution is taken back."))
        self.with_context(itss_correction=_ItssCorrection(reason))._itss_move_to(
            "in_progress"
        )
        for ticket in self:
            ticket.message_post(
                body=self.env._("Resolution taken back: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        return True

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
            ticket._itss_set_facts(retry)

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
        self._itss_set_facts({"itss_reminder_date": now + timedelta(days=1)})
        self._itss_activity_update(confirm_due=fields.Date.context_today(self))

    def _itss_desk_user(self):
        """Who confirms and follows up for the service desk: the owner, else the desk
        team's leader, else the incident manager, else the assignee."""
        team = self._itss_desk_team()
        return (
            self.itss_owner_id
            or team.user_id
            or team.itss_incident_manager_id
            or self.user_id
        )[:1]

    def _itss_schedule_followup(self):
        """The follow-up visit (回访), due 3 working days after closing: the
        contract's support hours, else the shipped ITSS standard hours (with China's
        holidays), else the company's working hours."""
        if not self:
            return
        standard = self._itss_ref(
            "itss_incident.resource_calendar_itss_standard", raise_if_not_found=False
        )
        for ticket in self:
            user = ticket._itss_desk_user()
            if not user:
                continue
            calendar = (
                ticket.itss_contract_id.calendar_id
                or standard
                or ticket.company_id.resource_calendar_id
            )
            now = fields.Datetime.now()
            due = calendar.plan_days(4, now, compute_leaves=True) if calendar else False
            ticket.activity_schedule(
                "itss_incident.mail_act_itss_followup",
                user_id=user.id,
                date_deadline=(due or now + timedelta(days=3)).date(),
            )

    def _itss_on_state_change(self, before, facts, now):
        """Resolved: the auto-close countdown and the desk's daily reminder start
        (not for a duplicate resolved with its master: it closes with it); they stop
        when the ticket leaves Resolved. Closed: the follow-up visit, and the open
        duplicates close with their master."""
        for ticket in self:
            old_state, state = before[ticket.id].state, ticket.itss_state
            if not old_state or state == old_state:
                continue
            ticket_facts = facts.setdefault(ticket.id, {})
            if state == "resolved" and not ticket._itss_follows_master():
                ticket_facts["itss_auto_close_date"] = now + timedelta(
                    days=ticket.company_id.itss_auto_close_days
                )
                ticket_facts["itss_reminder_date"] = now + timedelta(days=1)
            elif old_state == "resolved" or state in ITSS_TERMINAL_STATES:
                ticket_facts["itss_auto_close_date"] = False
                ticket_facts["itss_reminder_date"] = False
        res = super()._itss_on_state_change(before, facts, now)
        closed = self.filtered(
            lambda t: (
                t.itss_state == "closed" and before[t.id].state not in (False, "closed")
            )
        )
        closed.filtered(
            lambda t: t.itss_close_origin not in ("duplicate", "alert", "rejected")
        )._itss_schedule_followup()
        closed._itss_close_duplicates()
        return res

    @api.model
    def _itss_todo_states(self):
        return super()._itss_todo_states() | {"resolved"}

    def _itss_activity_update(self, confirm_due=None):
        """The service desk's one to-do to confirm a resolved ticket (due on
        ``confirm_due``, the daily reminder), done when the ticket leaves Resolved."""
        res = super()._itss_activity_update(confirm_due=confirm_due)
        confirm_type = self._itss_ref("itss_incident.mail_act_itss_confirm")
        # sudo: the to-dos follow the ticket's state, whoever moved it
        for ticket in self.sudo():
            confirms = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == confirm_type
            )
            if ticket.itss_state == "resolved" and not ticket._itss_follows_master():
                user = ticket._itss_desk_user()
                # the desk hears of the resolution at once: the to-do is due today
                due = confirm_due or (
                    not confirms and fields.Date.context_today(ticket)
                )
                if due and confirms:
                    confirms[1:].unlink()
                    confirms[:1].write(
                        {
                            "date_deadline": due,
                            "user_id": (user or confirms[:1].user_id).id,
                        }
                    )
                elif due and user:
                    ticket.activity_schedule(
                        "itss_incident.mail_act_itss_confirm",
                        user_id=user.id,
                        date_deadline=due,
                    )
            elif confirms:
                confirms.action_feedback(
                    feedback=self.env._(
                        "No longer to confirm (%(state)s).",
                        state=self._itss_state_labels().get(ticket.itss_state, ""),
                    )
                )
        return res

    def _itss_close_duplicates(self):
        """Close the open ITSS duplicates of closed tickets with the same code."""
        for ticket in self:
            duplicates = ticket.duplicate_ids.filtered(
                lambda d: (
                    d.team_id.itss_tier and d.itss_state not in ITSS_TERMINAL_STATES
                )
            )
            if duplicates:
                duplicates._itss_move_to(
                    "closed",
                    {
                        "itss_close_origin": "duplicate",
                        "itss_closure_code_id": ticket.itss_closure_code_id.id,
                    },
                )

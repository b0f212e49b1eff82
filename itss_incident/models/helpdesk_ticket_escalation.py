from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from ..tools import run_locked_batch
from .helpdesk_ticket import _ITSS_FACTS
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES


class HelpdeskTicket(models.Model):
    """Escalation: the escalation matrix, SLA warnings and breaches, automatic and
    functional escalation, the second line watchdog, and the notifications they send
    (``_itss_notify``); the urgent re-confirmation: helpdesk_ticket_reconfirm.py."""

    _inherit = "helpdesk.ticket"

    itss_escalation_log_ids = fields.One2many(
        "itss.escalation.log", "ticket_id", string="Notifications", readonly=True
    )

    itss_escalation_count = fields.Integer(
        string="Functional Escalations", copy=False, readonly=True
    )

    itss_reassign_count = fields.Integer(
        string="Reassignments", copy=False, readonly=True
    )

    itss_progress_count = fields.Integer(
        string="Progress Events", copy=False, readonly=True
    )

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

    def _itss_checked_date(self):
        """Due points at or before this moment have been handled."""
        return self.itss_escalation_checked_date or (
            self.itss_logged_date - timedelta(seconds=1)
        )

    def _itss_escalation_rules(self):
        """The active escalation rules of these tickets' companies and priorities
        (sudo), from the rules' registry cache."""
        return self.env["itss.escalation.rule"]._itss_rules_of(
            set(self.company_id.ids), {p for p in self.mapped("itss_priority") if p}
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
        resolved = self.itss_state == "resolved"
        running = not resolved and self.itss_state != "pending"
        points = []
        figures = rules._itss_rule_figures() if rules else {}
        key = (self.company_id.id, self.itss_priority)
        for rule in rules:
            if figures.get(rule.id, ())[:2] == key:
                points += rule._itss_due_points(self, now)
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
        self._itss_set_facts(
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
                self.env._(
                    "Progress on %(priority)s ticket",
                    priority=self._itss_priority_label(),
                )
                if kind == "progress"
                else self.env._("Escalation (%(rule)s)", rule=rule.name)
            )
            channels = rule._itss_channels()
            # 004: every escalation notice also tells the incident manager, by mail
            # (on the rule's mail row, or on a mail row of their own); a progress
            # update (the 000 timetable's "every hour or on progress") tells them
            # once, whatever number of rules it fires again
            manager = team.itss_incident_manager_id
            if kind == "progress" and manager:
                self._itss_notify(
                    kind, None, sequence, "email", manager.partner_id, reason
                )
                manager = None
            if manager and "email" not in channels:
                channels.append("email")
            for channel in channels:
                people = recipient
                if manager and channel == "email":
                    people = manager.partner_id
                    if rule.notify_email:
                        people |= self._itss_partners(recipient)
                self._itss_notify(kind, rule, sequence, channel, people, reason)
        elif kind == "sla_warning":
            target = (
                self.env._("response")
                if sequence in (1, 2)
                else self.env._("resolution")
            )
            first = sequence in (1, 3)
            company = self.company_id
            pct = (
                company.itss_sla_warn_first_pct
                if first
                else company.itss_sla_warn_second_pct
            )
            reason = self.env._(
                "SLA at risk: %(pct)s%% of the %(target)s time used",
                pct=pct,
                target=target,
            )
            recipient = self.user_id if first else team.user_id
            self._itss_notify(kind, None, sequence, "email", recipient, reason)
            self._itss_set_facts({"itss_sla_at_risk": True})
        elif kind == "sla_breach":
            response = sequence == 1
            reason = (
                self.env._("SLA breached: no response by the deadline")
                if response
                else self.env._("SLA breached: not resolved by the deadline")
            )
            self._itss_set_facts(
                {
                    "itss_response_breached"
                    if response
                    else "itss_resolve_breached": True
                }
            )
            # the assignee, the team leader and the incident manager (004)
            people = self.user_id | team.user_id | team.itss_incident_manager_id
            self._itss_notify(kind, None, sequence, "email", people, reason)
            if not response:
                self._itss_auto_escalate(2, self.env._("resolution deadline passed"))
        elif kind == "watchdog":
            reason = self.env._(
                "No first response %(minutes)s minutes after dispatch to second line",
                minutes=self.company_id.itss_l2_contact_minutes,
            )
            for channel in ("email", "sms"):
                self._itss_notify(kind, None, sequence, channel, team.user_id, reason)

    def _itss_on_state_change(self, before, facts, now):
        """A reassignment (another engineer or team) and a functional escalation count;
        the third reassignment escalates automatically."""
        counted = self.browse()
        for ticket in self:
            old = before[ticket.id]
            reassigned = old.user and (
                ticket.user_id != old.user or ticket.team_id != old.team
            )
            if reassigned or old.escalated:
                ticket_facts = facts.setdefault(ticket.id, {})
                ticket_facts["itss_reassign_count"] = ticket.itss_reassign_count + 1
                if old.escalated:
                    ticket_facts["itss_escalation_count"] = (
                        ticket.itss_escalation_count + 1
                    )
                counted |= ticket
        res = super()._itss_on_state_change(before, facts, now)
        for ticket in counted.filtered(lambda t: t.itss_reassign_count == 3):
            ticket._itss_auto_escalate(1, self.env._("reassigned three times"))
        return res

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
            inserted = self._itss_log(
                "auto_escalation", None, sequence, "email", reason
            )
        if inserted and self.itss_urgency in ("3", "4"):
            self.itss_urgency = "2"
            self.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _itss_priority_label(self):
        return dict(self._fields["itss_priority"]._description_selection(self.env)).get(
            self.itss_priority, ""
        )

    def _itss_log(self, kind, rule, sequence, channel, note, partners=None):
        """Insert the log row of a due point with its recipients, in one statement;
        False if it exists already (the unique index decides, also against a
        concurrent transaction)."""
        Log = self.env["itss.escalation.log"]
        recipients = Log._fields["partner_ids"]
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH log AS (
                    INSERT INTO itss_escalation_log
                        (ticket_id, company_id, kind, rule_id, sequence, channel, date,
                         note, create_uid, create_date, write_uid, write_date)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                    ON CONFLICT DO NOTHING
                    RETURNING id
                ), recipients AS (
                    INSERT INTO %s (%s, %s)
                    SELECT log.id, partner FROM log, unnest(%s::int[]) AS partner
                )
                SELECT id FROM log
                """,
                self.id,
                self.company_id.id,
                kind,
                rule.id if rule else None,
                sequence,
                channel,
                now,
                note,
                self.env.uid,
                now,
                self.env.uid,
                now,
                SQL.identifier(recipients.relation),
                SQL.identifier(recipients.column1),
                SQL.identifier(recipients.column2),
                partners.ids if partners else [],
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return False
        self.invalidate_recordset(["itss_escalation_log_ids"])
        return Log.browse(row[0])

    def _itss_notify(self, kind, rule, sequence, channel, recipient, reason, body=None):
        """Notify ``recipient`` (users or partners) once per due point and channel:
        email (mail.mail), SMS (sms.sms) or a phone call activity for whoever makes
        the call (helpdesk_ticket_escalation_call.py). ``body`` (HTML) replaces the
        standard notification text."""
        self.ensure_one()
        partners = self._itss_partners(recipient)
        if not partners:
            return False
        log = self._itss_log(kind, rule, sequence, channel, reason, partners)
        if not log:
            return False
        if channel == "email":
            template = self._itss_ref("itss_incident.mail_template_itss_notification")
            email_values = {"recipient_ids": [(6, 0, partners.ids)]}
            if body:
                email_values["body_html"] = body
            mail_id = template.with_context(itss_reason=reason).send_mail(
                self.id, email_values=email_values
            )
            log._itss_link_queued(mail=mail_id)
        elif channel == "sms":
            text = (
                html2plaintext(body)
                if body
                else self.env._(
                    "[%(number)s] %(reason)s: %(name)s",
                    number=self.number,
                    reason=reason,
                    name=self.name,
                )
            )
            message = self.sudo()._message_sms(
                text, partner_ids=partners.ids, put_in_queue=True
            )
            log._itss_link_queued(message=message)
        elif channel == "call":
            self._itss_schedule_call(log, partners, reason)
        return log

    def _itss_partners(self, recipient):
        """The partners of ``recipient`` (users or partners)."""
        return recipient.partner_id if recipient._name == "res.users" else recipient

    @api.model
    def _cron_itss_escalate(self, batch_size=20):
        """Escalation matrix, SLA warnings and breaches, automatic escalation and the
        second line watchdog, for the tickets that are due now. A batch is one
        transaction that holds its tickets' row locks: small batches keep the waits of
        alert posts and agents behind them short (bin/bench --load), the runner calling
        again at once while due work is left (``compat.cron_progress``)."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT id FROM helpdesk_ticket
             WHERE itss_next_action_date <= %s
             ORDER BY id
             LIMIT %s
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
            ticket._itss_set_facts(
                {"itss_escalation_retry_date": now + timedelta(minutes=15)}
            )

        run_locked_batch(self, query, batch_size, escalate, retry_later)

    def action_itss_escalate(self):
        """Functional escalation: hand the ticket to the next tier's team."""
        for ticket in self:
            target = ticket.team_id.itss_escalation_team_id
            if not target:
                raise UserError(
                    self.env._(
                        "Team %(team)s has no escalation team.",
                        team=ticket.team_id.display_name,
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
        return self._itss_toast(
            self.env._("Ticket %(ticket)s is escalated to the next tier.")
        )

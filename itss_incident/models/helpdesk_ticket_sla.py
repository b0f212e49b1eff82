from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import run_locked_batch
from .helpdesk_ticket import OPEN_STATES
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES

# a ticket whose re-targeting failed is tried again after this delay
RETARGET_RETRY = timedelta(hours=1)


class HelpdeskTicket(models.Model):
    """SLA: policy, deadlines on working calendars, pauses, first response, breaches,
    the status at a glance and the timeline."""

    _inherit = "helpdesk.ticket"

    itss_logged_date = fields.Datetime(
        string="Logged On",
        default=fields.Datetime.now,
        required=True,
        copy=False,
        index=True,
        tracking=True,
        help="When the incident was logged: the SLA clocks start here.",
    )

    # working time; recomputed from the ticket's creation.
    itss_sla_policy_id = fields.Many2one(
        "itss.sla.policy",
        string="SLA Policy",
        compute="_compute_itss_sla",
        store=True,
        tracking=True,
    )

    itss_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_itss_sla",
        store=True,
        tracking=True,
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
        string="Resolution Breached",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Set when the resolution deadline passes on an open ticket; decided "
        "again at resolution from the business recovery time where the ticket has "
        "one.",
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

    itss_retarget = fields.Boolean(
        string="Re-targeting Due",
        copy=False,
        readonly=True,
        help="SLA policies, escalation rules or SLA settings changed: the scheduled "
        "action recomputes this ticket's deadlines and next due point.",
    )

    itss_retarget_retry_date = fields.Datetime(
        string="Re-targeting Retried After",
        copy=False,
        readonly=True,
        help="Re-targeting this ticket failed (the failure is logged): the scheduled "
        "action tries again after this time and handles the other tickets first.",
    )

    itss_sla_pause_ids = fields.One2many(
        "itss.sla.pause", "ticket_id", string="Pauses", readonly=True
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

    def _itss_on_state_change(self, before, facts, now):
        """SLA facts of a state change: a pause closes on leaving Pending (its working
        minutes count), opens on entering it; acceptance or resolution is the first
        response if none came before; resolution measures the working time."""
        for ticket in self:
            old_state = before[ticket.id].state
            if old_state and ticket.itss_state != old_state:
                facts.setdefault(ticket.id, {}).update(
                    ticket._itss_stage_facts(old_state, now)
                )
        return super()._itss_on_state_change(before, facts, now)

    def _itss_stage_facts(self, old_state, now):
        """SLA facts of moving from ``old_state`` to the ticket's state."""
        self.ensure_one()
        state = self.itss_state
        policy = self.itss_sla_policy_id
        facts = {"itss_progress_count": self.itss_progress_count + 1}
        if old_state == "pending":
            pause = self.itss_sla_pause_ids.filtered(lambda p: not p.date_end)[:1]
            if pause:
                minutes = (
                    policy._itss_working_minutes(pause.date_start, now)
                    if policy
                    else 0.0
                )
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
            paused = facts.get("itss_paused_minutes", self.itss_paused_minutes)
            working = (
                policy._itss_working_minutes(self.itss_logged_date, now)
                if policy
                else 0.0
            )
            facts.update(
                {
                    "itss_resolve_minutes": max(working - paused, 0.0),
                    "itss_resolve_breached": self._itss_resolve_breached_at(now),
                    "itss_sla_at_risk": False,
                }
            )
        if state in ITSS_TERMINAL_STATES:
            facts["itss_sla_at_risk"] = False
        return facts

    def _itss_resolve_breached_at(self, now):
        """The resolution target decided at resolution (DESIGN.md, "Service
        contracts"): from the business recovery time where the ticket has one, else
        from the resolution time ``now``. The breach flag the scheduled action set at
        the deadline may so turn back; the notifications it logged stay."""
        deadline = self.itss_resolve_deadline
        if not deadline:
            return False
        return (self.itss_recovery_date or now) > deadline

    def _itss_first_response_facts(self, now):
        policy = self.itss_sla_policy_id
        return {
            "itss_first_response_date": now,
            "itss_response_minutes": policy._itss_working_minutes(
                self.itss_logged_date, now
            )
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
            and self.team_id.itss_tier
            and self.itss_state
            and self.itss_state not in ITSS_TERMINAL_STATES
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
        ):
            self._itss_after_public_message(message)
        return message

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
        self._itss_set_facts(facts)

    @api.depends(
        "itss_priority",
        "team_id",
        "category_id",
        "company_id",
        "itss_contract_id",
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
            ticket.update(dict(zip(self._itss_sla_date_fields(), dates, strict=False)))

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
                    "%(hours)s h %(minutes)s min",
                    hours=minutes // 60,
                    minutes=minutes % 60,
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
        kinds = dict(
            self.env["itss.escalation.log"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        channels = dict(
            self.env["itss.escalation.log"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        for ticket in self:
            if not ticket.itss_sla_policy_id or not ticket.itss_logged_date:
                ticket.itss_sla_timeline = False
                continue
            events = [
                (ticket.itss_logged_date, self.env._("Logged: SLA clocks started"))
            ]
            if ticket.itss_first_response_date:
                events.append(
                    (ticket.itss_first_response_date, self.env._("First response"))
                )
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
                    kind, channel = kinds[log.kind], channels[log.channel]
                    events.append((log.date, f"{kind} ({channel}): {log.note or ''}"))
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
                "<tr><td>{}</td><td>{}</td></tr>".format(
                    fields.Datetime.context_timestamp(ticket, moment).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    escape(text),
                )
                for moment, text in sorted(events, key=lambda e: e[0])
            )
            ticket.itss_sla_timeline = Markup(
                '<table class="table table-sm o_itss_sla_timeline">'
                "<tbody>%s</tbody></table>"
            ) % Markup(rows)

    def init(self):
        res = super().init()
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_itss_retarget_idx
                ON helpdesk_ticket (id) WHERE itss_retarget
            """
        )
        return res

    @api.model
    def _itss_mark_retarget(self, companies, priorities=None):
        """Mark the open and resolved ITSS tickets of ``companies`` (and of
        ``priorities``, every one if None) for the scheduled re-targeting, in one SQL
        statement: a configuration save never loads or recomputes its open tickets."""
        if priorities is not None:
            priorities = tuple(p for p in priorities if p)
        if not companies or priorities == ():
            return
        self.flush_model(["company_id", "itss_state", "itss_priority", "itss_retarget"])
        where = SQL(
            "company_id IN %s AND itss_state IN %s AND itss_retarget IS NOT TRUE",
            tuple(companies.ids),
            (*OPEN_STATES, "resolved"),
        )
        if priorities:
            where = SQL("%s AND itss_priority IN %s", where, priorities)
        self.env.cr.execute(
            SQL("UPDATE helpdesk_ticket SET itss_retarget = TRUE WHERE %s", where)
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["itss_retarget"])
            self.env.ref("itss_incident.ir_cron_itss_retarget")._trigger()

    @api.model
    def _cron_itss_retarget(self, batch_size=500):
        """Re-target the tickets a configuration change marked: their SLA policy,
        deadlines and next due point from today's configuration (tracked)."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT id FROM helpdesk_ticket
             WHERE itss_retarget
               AND (itss_retarget_retry_date IS NULL OR itss_retarget_retry_date <= %s)
             ORDER BY id
             LIMIT %s
            """,
            now,
            batch_size + 1,
        )

        def retry_later(ticket):
            # a ticket that cannot be re-targeted keeps its targets (the failure is
            # logged) and stays marked, tried again in an hour: it is not picked
            # first on every run, and it is not forgotten either
            ticket._itss_set_facts({"itss_retarget_retry_date": now + RETARGET_RETRY})

        run_locked_batch(
            self, query, batch_size, lambda t: t._itss_retarget(), retry_later
        )

    def _itss_retarget(self):
        names = [
            "itss_sla_policy_id",
            *self._itss_sla_date_fields(),
            "itss_next_action_date",
        ]
        for name in names:
            self.env.add_to_compute(self._fields[name], self)
        self._recompute_recordset(names)
        self._itss_set_facts(
            {"itss_retarget": False, "itss_retarget_retry_date": False}
        )

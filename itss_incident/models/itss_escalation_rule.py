from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .. import compat
from .itss_priority_matrix import PRIORITY_SELECTION

ROLE_SELECTION = [
    ("project_manager", "Project manager"),
    ("director", "Department director"),
    ("leader", "Company leadership"),
    ("business", "Business contact"),
    ("incident_manager", "Incident manager"),
]
# team field naming the person of each role
ROLE_FIELDS = {
    "project_manager": "itss_project_manager_id",
    "director": "itss_director_id",
    "leader": "itss_leader_id",
    "business": "itss_business_contact_id",
    "incident_manager": "itss_incident_manager_id",
}
# the timetables the seeds give: 003 (GSB/T 316.08, SMS and phone, shipped active) and
# 000 (the ITSS procedure, phone and email, shipped archived beside it)
RULE_SET_SELECTION = [
    ("003", "003: SMS and phone (GSB/T 316.08)"),
    ("000", "000: phone and email (ITSS procedure)"),
]


@compat.sql_constraints
class ItssEscalationRule(models.Model):
    """One line of the hierarchical escalation matrix (管理升级)."""

    _name = "itss.escalation.rule"
    _description = "ITSS Escalation Rule"
    _inherit = ["mail.thread", "itss.retarget.mixin"]
    _order = "company_id, priority, trigger, minutes, id"
    _itss_retarget_fields = {"active", "company_id", "priority", "trigger", "minutes"}
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    priority = fields.Selection(
        PRIORITY_SELECTION, required=True, index=True, tracking=True
    )
    trigger = fields.Selection(
        [
            ("created", "Within minutes of logging"),
            ("periodic", "Every period until resolved"),
            ("overdue", "Minutes past the resolution deadline"),
            ("resolved", "Within minutes after resolution"),
        ],
        required=True,
        tracking=True,
    )
    minutes = fields.Integer(
        required=True,
        tracking=True,
        aggregator=False,  # a sum of minutes of different rules means nothing
        help="Created and resolved: the notice is due within these minutes. Periodic: "
        "the period. Overdue: how long after the resolution deadline.",
    )
    rule_set = fields.Selection(
        RULE_SET_SELECTION,
        string="Timetable",
        required=True,
        default="003",
        index=True,
        tracking=True,
        help="The escalation timetable the rule belongs to. A priority follows one "
        "timetable at a time: Switch Timetable activates one's rules of the priority "
        "and archives the other's.",
    )
    role = fields.Selection(ROLE_SELECTION, required=True, tracking=True)
    notify_email = fields.Boolean(string="Email", tracking=True)
    notify_sms = fields.Boolean(string="SMS", tracking=True)
    notify_call = fields.Boolean(
        string="Phone Call",
        tracking=True,
        help="Schedules a phone call activity for whoever makes the call: the ticket's "
        "owner while on duty, else the team's incident manager, else the team leader.",
    )

    _sql_constraints = [
        (
            "minutes_positive",
            "CHECK(minutes > 0)",
            "The minutes of a rule must be positive.",
        ),
    ]

    @api.depends("priority", "trigger", "minutes", "role")
    def _compute_name(self):
        triggers = dict(self._fields["trigger"]._description_selection(self.env))
        roles = dict(self._fields["role"]._description_selection(self.env))
        for rule in self:
            rule.name = self.env._(
                "P%(priority)s, %(trigger)s (%(minutes)s min): %(role)s",
                priority=rule.priority or "",
                trigger=triggers.get(rule.trigger, ""),
                minutes=rule.minutes,
                role=roles.get(rule.role, ""),
            )

    @api.constrains("notify_email", "notify_sms", "notify_call")
    def _check_channel(self):
        for rule in self:
            if not (rule.notify_email or rule.notify_sms or rule.notify_call):
                raise ValidationError(
                    self.env._(
                        "Escalation rule %(rule)s notifies through no channel.",
                        rule=rule.name,
                    )
                )

    @api.model
    def _itss_use_rule_set(self, company, priority, rule_set):
        """Let ``priority`` of ``company`` follow the timetable ``rule_set``: its rules
        of that priority become active, the other timetables' rules of that priority
        archived (tracked; the open tickets are re-targeted by the scheduled action)."""
        self.check_access("write")
        rules = self.with_context(active_test=False).search(
            [("company_id", "=", company.id), ("priority", "=", priority)]
        )
        chosen = rules.filtered(lambda r: r.rule_set == rule_set)
        if not chosen:
            sets = dict(self._fields["rule_set"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The timetable %(set)s has no rule for P%(priority)s: add its "
                    "rules first (they may stay archived), then switch.",
                    set=sets.get(rule_set, rule_set),
                    priority=priority,
                )
            )
        (rules - chosen).filtered("active").write({"active": False})
        chosen.filtered(lambda r: not r.active).write({"active": True})
        return chosen

    def _itss_channels(self):
        self.ensure_one()
        return [
            channel
            for channel, flag in (
                ("email", self.notify_email),
                ("sms", self.notify_sms),
                ("call", self.notify_call),
            )
            if flag
        ]

    def _itss_recipient(self, ticket):
        """The res.users or res.partner of the rule's role for ``ticket``."""
        self.ensure_one()
        if self.role == "project_manager":
            # the contract's project manager where the ticket has one
            return ticket._itss_project_manager()
        return ticket.team_id[ROLE_FIELDS[self.role]]

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # _itss_rule_figures
        return rules

    def write(self, vals):
        res = super().write(vals)
        if self._itss_retarget_fields & set(vals):
            self.env.registry.clear_cache()  # _itss_rule_figures
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_notified(self):
        """A rule that has notified someone stays with the history it wrote."""
        # sudo: the log is read only to know whether the rule was used
        used = (
            self.env["itss.escalation.log"]
            .sudo()
            .search([("rule_id", "in", self.ids)])
            .rule_id
        )
        if used:
            raise UserError(
                self.env._(
                    "The escalation rule %(rules)s has already notified people and "
                    "stays with that history: archive it instead.",
                    rules=", ".join(used.mapped("display_name")),
                )
            )

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _itss_rule_figures
        return res

    @tools.ormcache()
    def _itss_rule_figures(self):
        """{rule id: (company id, priority, trigger, minutes)} of the active rules
        (read-only). Cached: every ticket logged or moved computes its next due point
        from them (issue 18); saving a rule clears the cache, in every worker, as
        Odoo's registry caches are."""
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [], ["company_id", "priority", "trigger", "minutes"], order="id"
            )
        )
        return {
            rule.id: (rule.company_id.id, rule.priority, rule.trigger, rule.minutes)
            for rule in rules
        }

    @api.model
    def _itss_rules_of(self, company_ids, priorities):
        """The active rules of these companies and priorities (sudo), without a
        query."""
        return self.sudo().browse(
            rule_id
            for rule_id, (company_id, priority, *_rest) in (
                self._itss_rule_figures().items()
            )
            if company_id in company_ids and priority in priorities
        )

    def _itss_due_points(self, ticket, now):
        """(moment, kind, rule, sequence) of the notifications this rule makes due for
        ``ticket`` (an open or resolved ITSS ticket of its company and priority):
        created and resolved once, overdue once past the resolution deadline while the
        ticket runs, periodic the latest period up to ``now`` and the next one (and a
        progress notice when the ticket moved since the last one)."""
        self.ensure_one()
        figures = self._itss_rule_figures().get(self.id)
        if not figures:
            return []  # archived or deleted since the caller found it
        _company, _priority, trigger, minutes = figures
        start = ticket.itss_logged_date
        resolved = ticket.itss_state == "resolved"
        running = not resolved and ticket.itss_state != "pending"
        points = []
        if trigger == "created":
            points.append((start, "rule", self, 0))
        elif trigger == "periodic" and not resolved:
            period = timedelta(minutes=minutes)
            reached = int((now - start) / period) if now > start else 0
            if reached:
                points.append((start + reached * period, "rule", self, reached))
            points.append((start + (reached + 1) * period, "rule", self, reached + 1))
            if ticket.itss_progress_count > ticket.itss_progress_notified:
                points.append((now, "progress", self, ticket.itss_progress_count))
        elif trigger == "overdue" and running and ticket.itss_resolve_deadline:
            moment = ticket.itss_resolve_deadline + timedelta(minutes=minutes)
            points.append((moment, "rule", self, 0))
        elif trigger == "resolved" and resolved and ticket.itss_resolved_date:
            points.append((ticket.itss_resolved_date, "rule", self, 0))
        return points

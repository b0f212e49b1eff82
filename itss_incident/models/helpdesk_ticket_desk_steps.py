from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.groups import DESK_GROUP, MANAGER_GROUP
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES

# due point kind: its activity type
DESK_STEPS = {
    "desk_contact": "itss_incident.mail_act_itss_desk_contact",
    "desk_check": "itss_incident.mail_act_itss_desk_check",
}


class HelpdeskTicket(models.Model):
    """The owner's calls to the customer (002, the call center's duties): 20 minutes
    after a dispatch to second line, "has an engineer contacted you?"; 4 hours after
    logging, "is it done?". Each is a due point of the escalation cron that gives the
    owner an activity; the answer is recorded on the ticket, and a "no" tells the
    team leader (部门主管) by mail and text message."""

    _inherit = "helpdesk.ticket"

    itss_desk_contact_answer = fields.Selection(
        [
            ("yes", "An engineer contacted the customer"),
            ("no", "Nobody contacted the customer"),
        ],
        string="Engineer Contact (customer's answer)",
        tracking=True,
        copy=False,
        readonly=True,
    )
    itss_desk_check_answer = fields.Selection(
        [
            ("done", "Done"),
            ("progress", "Being worked on, customer informed"),
            ("no_news", "Not done and no news"),
        ],
        string="Check with the Customer",
        tracking=True,
        copy=False,
        readonly=True,
    )
    itss_desk_step = fields.Selection(
        [("desk_contact", "Engineer contact call"), ("desk_check", "Is-it-done call")],
        string="Call Due",
        compute="_compute_itss_desk_step",
        help="The owner's call to the customer that is due now.",
    )

    @api.depends("activity_ids.activity_type_id")
    def _compute_itss_desk_step(self):
        types = {self.env.ref(xmlid): kind for kind, xmlid in DESK_STEPS.items()}
        for ticket in self:
            kinds = [
                types[a.activity_type_id]
                for a in ticket.activity_ids
                if a.activity_type_id in types
            ]
            ticket.itss_desk_step = kinds[0] if kinds else False

    def _itss_due_points(self, rules, checked, now):
        points = super()._itss_due_points(rules, checked, now)
        if not self.team_id.itss_tier or self.itss_state in ITSS_TERMINAL_STATES:
            return points
        if self.itss_state == "resolved" or not self.itss_state:
            return points
        company = self.company_id
        if self.itss_tier == "2" and self.itss_dispatch_date:
            moment = self.itss_dispatch_date + timedelta(
                minutes=company.itss_l2_contact_minutes
            )
            points.append((moment, "desk_contact", None, self.itss_escalation_count))
        if self.itss_logged_date and company.itss_desk_check_hours:
            moment = self.itss_logged_date + timedelta(
                hours=company.itss_desk_check_hours
            )
            points.append((moment, "desk_check", None, 0))
        return points

    def _itss_fire(self, kind, rule, sequence):
        if kind not in DESK_STEPS:
            return super()._itss_fire(kind, rule, sequence)
        caller = self._itss_desk_user()
        if not caller:
            return None
        summary = (
            self.env._("Call the customer: has an engineer contacted you?")
            if kind == "desk_contact"
            else self.env._("Call the customer: is it done?")
        )
        if self._itss_log(kind, None, sequence, "call", summary, caller.partner_id):
            # sudo: the step follows the ticket's due point, whoever's cron runs it
            self.sudo().activity_schedule(
                DESK_STEPS[kind],
                user_id=caller.id,
                summary=summary,
                date_deadline=fields.Date.context_today(self),
            )
        return None

    def _itss_check_desk_caller(self):
        user = self.env.user
        if not (user.has_group(DESK_GROUP) or user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only the service desk records the customer's answer.")
            )

    def _itss_record_desk_answer(self, kind, answer):
        """Record the customer's answer to the owner's call ``kind`` and complete the
        call; a "no" tells the ticket's team leader by mail and text message."""
        self.ensure_one()
        self._itss_check_desk_caller()
        field = (
            "itss_desk_contact_answer"
            if kind == "desk_contact"
            else "itss_desk_check_answer"
        )
        self._itss_set_facts({field: answer})
        labels = dict(self._fields[field]._description_selection(self.env))
        activity_type = self.env.ref(DESK_STEPS[kind])
        self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).action_feedback(feedback=labels[answer])
        if answer in ("no", "no_news"):
            reason = (
                self.env._("The customer says no engineer has contacted them")
                if kind == "desk_contact"
                else self.env._("The customer says it is not done and has had no news")
            )
            for channel in ("email", "sms"):
                self._itss_notify(
                    kind,
                    None,
                    self.itss_escalation_count,
                    channel,
                    self.team_id.user_id,
                    reason,
                )
        return self._itss_toast(self.env._("Answer recorded on ticket %(ticket)s."))

    def action_itss_desk_contact_yes(self):
        return self._itss_record_desk_answer("desk_contact", "yes")

    def action_itss_desk_contact_no(self):
        return self._itss_record_desk_answer("desk_contact", "no")

    def action_itss_desk_check_done(self):
        return self._itss_record_desk_answer("desk_check", "done")

    def action_itss_desk_check_progress(self):
        return self._itss_record_desk_answer("desk_check", "progress")

    def action_itss_desk_check_no_news(self):
        return self._itss_record_desk_answer("desk_check", "no_news")

    def _itss_on_state_change(self, before, facts, now):
        """The engineer-contact call waits for a second line engineer: a ticket that
        leaves second line no longer needs it."""
        res = super()._itss_on_state_change(before, facts, now)
        left = self.filtered(
            lambda t: t.itss_tier != "2" and before[t.id].team.itss_tier == "2"
        )
        if left:
            call_type = self._itss_ref(DESK_STEPS["desk_contact"])
            # sudo: the call follows the ticket's team, whoever moved it
            calls = left.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == call_type
            )
            if calls:
                calls.action_feedback(feedback=self.env._("No longer needed."))
        return res

    @api.model
    def _itss_todo_states(self):
        return super()._itss_todo_states() | {"closed", "cancelled"}

    def _itss_activity_update(self, confirm_due=None):
        """The owner's calls are no longer needed once the ticket is resolved, closed or
        cancelled."""
        res = super()._itss_activity_update(confirm_due=confirm_due)
        types = [self._itss_ref(xmlid) for xmlid in DESK_STEPS.values()]
        done = self.filtered(
            lambda t: t.itss_state in ("resolved", *ITSS_TERMINAL_STATES)
        )
        calls = done.sudo().activity_ids.filtered(lambda a: a.activity_type_id in types)
        if calls:
            calls.action_feedback(feedback=self.env._("No longer needed."))
        return res

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..tools.groups import MANAGER_GROUP
from .helpdesk_ticket import OPEN_STATES
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES
from .itss_priority_matrix import PRIORITY_SELECTION

# the priorities 001 §100.5 calls urgent (紧急): re-confirmed after acceptance
URGENT_PRIORITIES = ("1", "2")
# sequences of the ``reconfirm`` notifications of a ticket (itss.escalation.log)
RECONFIRM_ALONE, RECONFIRM_HELP = 1, 2
# what the re-confirmation to-dos depend on besides stage and assignee
RECONFIRM_WATCHED = {
    "itss_priority",
    "itss_impact",
    "itss_urgency",
    "itss_reconfirm_date",
}


class HelpdeskTicket(models.Model):
    """The urgent re-confirmation (紧急事件再确认, 001 §100.5): accepting a P1 or P2
    ticket gives its assignee a to-do to re-confirm the priority and say whether they
    can resolve it alone. Urgent and alone: the incident manager is told. Urgent and
    not alone: the incident manager and the management are told (mail and SMS) and the
    urgent handling starts (001 §101, ``_itss_start_urgent_process``). A priority
    lowered at the re-confirmation calls ``_itss_on_priority_lowered``."""

    _inherit = "helpdesk.ticket"

    itss_reconfirm_date = fields.Datetime(
        string="Urgency Re-confirmed On", copy=False, readonly=True, tracking=True
    )

    itss_reconfirm_user_id = fields.Many2one(
        "res.users", string="Re-confirmed By", copy=False, readonly=True
    )

    itss_can_handle_alone = fields.Boolean(
        string="Can Handle Alone",
        copy=False,
        readonly=True,
        tracking=True,
        help="At the urgent re-confirmation, the first line engineer said they can "
        "resolve the ticket without help.",
    )

    @api.model
    def _itss_todo_fields(self):
        # the re-confirmation to-dos follow the priority too
        return super()._itss_todo_fields() | RECONFIRM_WATCHED

    def action_itss_reconfirm(self, priority, can_handle_alone, note=None):
        """Urgent re-confirmation (紧急事件再确认) of a P1/P2 ticket, by its assignee
        (the first line engineer) or an incident manager: confirm (or correct) the
        priority and say whether the ticket can be resolved alone."""
        self.ensure_one()
        if not self.env.su and not self._itss_may_reconfirm(self.env.user):
            raise UserError(
                self.env._(
                    "Only the assignee of ticket %(ticket)s (%(user)s) or an incident "
                    "manager records its urgent re-confirmation.",
                    ticket=self.display_name,
                    user=self.user_id.name or "-",
                )
            )
        if self.itss_state in ITSS_TERMINAL_STATES or self.itss_state == "resolved":
            raise UserError(self.env._("Only an open ticket is re-confirmed."))
        if not self._itss_is_urgent():
            raise UserError(self.env._("Only P1 and P2 tickets are re-confirmed."))
        if priority not in dict(PRIORITY_SELECTION):
            raise UserError(self.env._("Choose the confirmed priority."))
        old_priority = self.itss_priority
        vals = {
            "itss_reconfirm_date": fields.Datetime.now(),
            "itss_reconfirm_user_id": self.env.uid,
            "itss_can_handle_alone": bool(can_handle_alone),
        }
        if priority != old_priority:
            vals["itss_priority"] = priority
        # the write completes the assignee's re-confirmation to-do
        self._itss_set_facts(vals)
        labels = dict(self._fields["itss_priority"]._description_selection(self.env))
        body = self.env._(
            "Urgent re-confirmation: priority %(priority)s confirmed; %(alone)s.",
            priority=labels[priority],
            alone=self.env._("the engineer can resolve it alone")
            if can_handle_alone
            else self.env._("the engineer needs help"),
        )
        if note:
            body = f"{body} {note}"
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        # 001 §100.5: only an urgent ticket asks the second question; a ticket no
        # longer urgent goes on as any other (100.3)
        if self._itss_is_urgent():
            team = self.team_id
            if can_handle_alone:
                self._itss_notify(
                    "reconfirm",
                    None,
                    RECONFIRM_ALONE,
                    "email",
                    team.itss_incident_manager_id,
                    self.env._(
                        "Urgent ticket re-confirmed: the engineer resolves it alone"
                    ),
                )
            else:
                people = (
                    team.itss_incident_manager_id
                    | self._itss_project_manager()
                    | team.itss_director_id
                )
                reason = self.env._("Help needed on urgent ticket")
                for channel in ("email", "sms"):
                    self._itss_notify(
                        "reconfirm", None, RECONFIRM_HELP, channel, people, reason
                    )
                self._itss_start_urgent_process(note)
        if priority > old_priority:
            self._itss_on_priority_lowered(old_priority, note)
        return True

    def _itss_is_urgent(self):
        """Whether the ticket is urgent in the sense of 001 §100.5 (P1 or P2)."""
        self.ensure_one()
        return self.itss_priority in URGENT_PRIORITIES

    def _itss_may_reconfirm(self, user):
        """Whether ``user`` records the urgent re-confirmation: the assignee (the first
        line engineer who accepted the ticket) or an incident manager."""
        self.ensure_one()
        return (self.user_id and user == self.user_id) or user.has_group(MANAGER_GROUP)

    def _itss_start_urgent_process(self, note=None):
        """The urgent handling (紧急事件处理子流程, 001 §101) of a ticket its first line
        engineer cannot resolve alone: the incident manager convenes the emergency
        team, follows the system's emergency plan and leads the handling. Here a to-do
        of the incident manager (the team leader without one), once;
        itss_incident_major declares a major incident instead."""
        self.ensure_one()
        manager = self.team_id.itss_incident_manager_id or self.team_id.user_id
        urgent_type = self.env.ref("itss_incident.mail_act_itss_urgent")
        if not manager or self.activity_ids.filtered(
            lambda a: a.activity_type_id == urgent_type
        ):
            return
        # sudo: the engineer's answer gives the incident manager a to-do
        self.sudo().activity_schedule(
            "itss_incident.mail_act_itss_urgent",
            user_id=manager.id,
            summary=self.env._(
                "Urgent ticket %(number)s needs help: convene the emergency team and "
                "lead its handling",
                number=self.number,
            ),
            note=plaintext2html(note) if note else "",
        )

    def _itss_on_priority_lowered(self, old_priority, note=None):
        """The hook of a priority lowered (from ``old_priority``) at the urgent
        re-confirmation, which each concern extends with ``super()`` (e.g. a major
        incident declared for the old priority). Returns nothing."""
        return

    def _itss_reconfirm_due(self):
        """Whether the assignee has the re-confirmation to do: an urgent ticket
        accepted (in progress or pending) and not re-confirmed yet."""
        self.ensure_one()
        return bool(
            self.itss_tier
            and self.user_id
            and self.itss_state in ("in_progress", "pending")
            and self.itss_priority in URGENT_PRIORITIES
            and not self.itss_reconfirm_date
        )

    def _itss_reconfirm_feedback(self, states):
        """Why the re-confirmation to-do of a ticket is done (``states``: the state
        labels), or None when it is only put off (back in the queue)."""
        if self.itss_reconfirm_date:
            return self.env._(
                "Re-confirmed by %(user)s.",
                user=self.itss_reconfirm_user_id.name or "-",
            )
        if self.itss_priority not in URGENT_PRIORITIES:
            return self.env._(
                "No longer to re-confirm: priority %(priority)s.",
                priority=self._itss_priority_label(),
            )
        if self.itss_state not in OPEN_STATES:
            return self.env._(
                "No longer to re-confirm (%(state)s).",
                state=states.get(self.itss_state, ""),
            )
        return None

    @api.model
    def _itss_todo_states(self):
        return super()._itss_todo_states() | {"in_progress", "cancelled"}

    def _itss_activity_update(self, confirm_due=None):
        """The assignee's one re-confirmation to-do while it is due; done when the
        re-confirmation is recorded or no longer needed (the ticket resolved or
        cancelled, its priority below P2), removed when the ticket goes back to the
        queue (the next acceptance brings it back). The incident manager's urgent
        handling to-do is done when the ticket is no longer urgent and open."""
        res = super()._itss_activity_update(confirm_due=confirm_due)
        reconfirm_type = self._itss_ref("itss_incident.mail_act_itss_reconfirm")
        urgent_type = self._itss_ref("itss_incident.mail_act_itss_urgent")
        states = self._itss_state_labels()
        # sudo: the to-dos follow the ticket, whoever changed it
        for ticket in self.sudo():
            todos = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == reconfirm_type
            )
            urgent = ticket.itss_priority in URGENT_PRIORITIES
            if ticket._itss_reconfirm_due():
                if todos:
                    todos[1:].unlink()
                    if todos[:1].user_id != ticket.user_id:
                        todos[:1].user_id = ticket.user_id
                else:
                    ticket.activity_schedule(
                        "itss_incident.mail_act_itss_reconfirm",
                        user_id=ticket.user_id.id,
                        summary=self.env._(
                            "Re-confirm the urgency: is %(priority)s right, can you "
                            "resolve it alone?",
                            priority=ticket._itss_priority_label(),
                        ),
                    )
            elif todos:
                feedback = ticket._itss_reconfirm_feedback(states)
                if feedback:
                    todos.action_feedback(feedback=feedback)
                else:
                    # back in the queue or without an assignee: whoever accepts it
                    # re-confirms it
                    todos.unlink()
            handling = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == urgent_type
            )
            if handling and not (urgent and ticket.itss_state in OPEN_STATES):
                handling.action_feedback(
                    feedback=self.env._(
                        "No longer urgent: %(state)s, priority %(priority)s.",
                        state=states.get(ticket.itss_state, ""),
                        priority=ticket._itss_priority_label(),
                    )
                )
        return res

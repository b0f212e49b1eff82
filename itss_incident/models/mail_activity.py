from odoo import models
from odoo.exceptions import AccessError, UserError

from ..tools.groups import MANAGER_GROUP

# (no import of the helpdesk.ticket files here: their import order is their order
# of inheritance)
from .itss_escalation_log import CALL_ACTIVITY_TYPE, CALL_OUTCOME_SELECTION


class MailActivity(models.Model):
    """Escalation phone calls: their outcome is kept on the notification's log row
    when they are marked done."""

    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """An escalation call marked done without the Call Outcome dialog (the
        activity's own Mark Done) keeps "not recorded" as its outcome."""
        self._itss_call_logs().filtered(lambda log: not log.outcome).write(
            {"outcome": "not_recorded"}
        )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def itss_mark_done_action(self):
        """What Mark Done opens (static/src/activity/itss_call_mark_done.js): the
        Call Outcome dialog for an open escalation call, so that its outcome is
        recorded as it is marked done; False for any other activity (Odoo's own
        Mark Done)."""
        self.ensure_one()
        if not self.active or not self._itss_call_logs():
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call Outcome"),
            "res_model": "itss.escalation.call.done",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_ticket_id": self.res_id,
                "default_activity_id": self.id,
            },
        }

    def _itss_call_logs(self):
        """The log rows of the escalation calls among these activities (sudo: the
        rows are the model's record of the calls, readonly to users)."""
        call_type = self.env.ref(CALL_ACTIVITY_TYPE, raise_if_not_found=False)
        calls = self.sudo().filtered(lambda a: a.activity_type_id == call_type)
        if not calls:
            return self.env["itss.escalation.log"].sudo()
        return (
            self.env["itss.escalation.log"]
            .sudo()
            .search([("activity_id", "in", calls.ids)])
        )

    def _itss_call_done(self, outcome, note=False):
        """Mark the escalation call done with its ``outcome`` (reached, not reached,
        left a message) and an optional ``note``: the caller's or an incident
        manager's step."""
        self.ensure_one()
        logs = self._itss_call_logs()
        if not logs or not self.active:
            raise UserError(self.env._("This is not an open escalation call."))
        if outcome not in dict(CALL_OUTCOME_SELECTION) or outcome == "not_recorded":
            raise UserError(self.env._("Choose the outcome of the call."))
        user = self.env.user
        if self.user_id != user and not user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "The call is %(caller)s's: only they or an incident manager record "
                    "its outcome.",
                    caller=self.user_id.name,
                )
            )
        # sudo (in _itss_call_logs): the checks above are the rule
        logs.write({"outcome": outcome})
        labels = dict(logs._fields["outcome"]._description_selection(self.env))
        feedback = (
            self.env._(
                "Outcome: %(outcome)s. %(note)s", outcome=labels[outcome], note=note
            )
            if note
            else self.env._("Outcome: %(outcome)s.", outcome=labels[outcome])
        )
        return self.action_feedback(feedback=feedback)

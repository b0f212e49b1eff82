from odoo import models
from odoo.exceptions import UserError

from ..tools import toast


class HelpdeskTicket(models.Model):
    """The form header's buttons and dialogs (wizards/): each asks for what its step
    needs, then moves the ticket through the lifecycle
    (helpdesk_ticket_lifecycle.py)."""

    _inherit = "helpdesk.ticket"

    def action_itss_assign(self):
        """Dispatch the ticket to its team / engineer (已派单)."""
        self._itss_move_to("assigned")
        return self._itss_toast(self.env._("Ticket %(ticket)s is dispatched."))

    def action_itss_accept(self):
        """The engineer accepts the ticket and works on it (受理)."""
        for ticket in self.filtered(lambda t: not t.user_id):
            ticket.user_id = self.env.user
        self._itss_move_to("in_progress")
        return self._itss_toast(
            self.env._("Ticket %(ticket)s is accepted: in progress.")
        )

    def action_itss_pend(self):
        """Put the ticket on hold; the wait code must be set (挂起)."""
        self._itss_move_to("pending")
        return self._itss_toast(self.env._("Ticket %(ticket)s is on hold."))

    def action_itss_resume(self):
        """Work on a pending ticket again."""
        self._itss_move_to("in_progress")
        return self._itss_toast(self.env._("Ticket %(ticket)s is in progress again."))

    def action_itss_resolve(self):
        """Resolve: solution, closure code and, for incidents, recovery time
        (已解决)."""
        self._itss_move_to("resolved")
        return self._itss_toast(self.env._("Ticket %(ticket)s is resolved."))

    def _itss_toast(self, message):
        """The notification a header button returns (``message`` names the ticket as
        %(ticket)s); the form reloads."""
        return toast(
            message % {"ticket": ", ".join(self.mapped("number"))}, close_dialog=False
        )

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
            "itss.ticket.dispatch",
            self.env._("Dispatch"),
            ("new", "assigned", "in_progress"),
        )

    def action_itss_hold_dialog(self):
        """The Put on Hold dialog: wait code, until when, note."""
        return self._itss_dialog(
            "itss.ticket.hold", self.env._("Put on Hold"), ("in_progress",)
        )

    def action_itss_resolve_dialog(self):
        """The Resolve dialog: the resolution record."""
        return self._itss_dialog(
            "itss.ticket.resolve",
            self.env._("Resolve"),
            ("new", "assigned", "in_progress", "pending"),
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
        self._itss_move_to(
            "assigned", {"team_id": team.id or self.team_id.id, "user_id": user.id}
        )

    def _itss_hold(self, wait_code, until=None, note=None):
        """Put the ticket on hold with its wait code, until when, and a note."""
        self.ensure_one()
        self._itss_move_to(
            "pending",
            {"itss_wait_code_id": wait_code.id, "itss_pending_until": until or False},
        )
        if note:
            self.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _itss_resolve(self, values):
        """Resolve the ticket with its resolution record (``values``: solution, closure
        code, recovery and completion times, vendor at fault, the category and impact
        confirmed or corrected)."""
        self.ensure_one()
        allowed = self._itss_resolve_fields()
        self._itss_move_to(
            "resolved", {k: v for k, v in values.items() if k in allowed}
        )

    def _itss_resolve_fields(self):
        """The fields the resolution dialog may write with the resolution (each
        concern adds its own)."""
        return {
            "itss_solution",
            "itss_closure_code_id",
            "itss_recovery_date",
            "itss_completion_date",
            "itss_fault_vendor_id",
            "category_id",
            "itss_impact",
        }

    def _itss_cancel(self, reason):
        """Cancel the ticket; the reason goes to the chatter as a note."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the ticket is cancelled."))
        self.action_itss_cancel()
        self.message_post(
            body=self.env._("Cancelled: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )

    def action_itss_cancel(self):
        """Cancel an open ticket (logged by mistake, withdrawn by the customer...)."""
        code = self.env.ref("itss_incident.closure_code_cancelled")
        self._itss_move_to("cancelled", {"itss_closure_code_id": code.id})
        return self._itss_toast(self.env._("Ticket %(ticket)s is cancelled."))

from odoo import fields, models
from odoo.exceptions import UserError

from .helpdesk_ticket import _ITSS_FACTS
from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES
from .itss_priority_matrix import PRIORITY_SELECTION


class HelpdeskTicket(models.Model):
    """The urgent re-confirmation (紧急事件再确认, 001 §100.5) of a P1/P2 ticket."""

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

    def action_itss_reconfirm(self, priority, can_handle_alone, note=None):
        """Urgent re-confirmation (紧急事件再确认) of a P1/P2 ticket: the first line
        engineer confirms (or corrects) the priority and says whether they can resolve
        it alone; if not, the incident manager and the management are notified."""
        self.ensure_one()
        if self.itss_state in ITSS_TERMINAL_STATES or self.itss_state == "resolved":
            raise UserError(self.env._("Only an open ticket is re-confirmed."))
        if self.itss_priority not in ("1", "2"):
            raise UserError(self.env._("Only P1 and P2 tickets are re-confirmed."))
        if priority not in dict(PRIORITY_SELECTION):
            raise UserError(self.env._("Choose the confirmed priority."))
        vals = {
            "itss_reconfirm_date": fields.Datetime.now(),
            "itss_reconfirm_user_id": self.env.uid,
            "itss_can_handle_alone": bool(can_handle_alone),
        }
        if priority != self.itss_priority:
            vals["itss_priority"] = priority
        self.with_context(itss_facts=_ITSS_FACTS).write(vals)
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
        if not can_handle_alone:
            team = self.team_id
            people = (
                team.itss_incident_manager_id
                | team.itss_project_manager_id
                | team.itss_director_id
            )
            reason = self.env._("Help needed on urgent ticket")
            for channel in ("email", "sms"):
                self._itss_notify("auto_escalation", None, 3, channel, people, reason)
        return True

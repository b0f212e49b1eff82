from datetime import timedelta
from textwrap import shorten

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from ..tools import toast
from .helpdesk_ticket_owner import DESK_GROUP, MANAGER_GROUP

RETURN_STATES = ("assigned", "in_progress")
# a second chase within this time is a double click: nothing is sent again
CHASE_GUARD = timedelta(minutes=1)


class HelpdeskTicket(models.Model):
    """Hand-offs between the engineers and the service desk: an engineer returns a
    ticket to the service desk (打回, 000: "若事件信息不完善等可打回服务台") or declines
    a dispatch, with a reason the owner sees; the service desk chases the assignee
    (催办, 000: "在事件处理过程中,催办事件处理进度")."""

    _inherit = "helpdesk.ticket"

    itss_return_reason = fields.Text(
        string="Return Reason",
        copy=False,
        readonly=True,
        help="Why the ticket came back to the service desk (returned or declined "
        "dispatch); kept until it is dispatched again.",
    )
    itss_chase_count = fields.Integer(string="Chases", copy=False, readonly=True)
    itss_chase_date = fields.Datetime(string="Last Chased", copy=False, readonly=True)

    def _itss_prepare_stage_vals(self, stage, vals):
        """The return reason ends when the ticket leaves the Logged state."""
        res = super()._itss_prepare_stage_vals(stage, vals)
        if stage.itss_state != "new" and "itss_return_reason" not in vals:
            res["itss_return_reason"] = False
        return res

    @api.model
    def _itss_todo_states(self):
        return super()._itss_todo_states() | {"new"}

    def _itss_activity_update(self, confirm_due=None):
        """The owner's to-do about a returned ticket is done once the ticket leaves
        the Logged state (dispatched again, accepted, resolved or cancelled)."""
        res = super()._itss_activity_update(confirm_due=confirm_due)
        returned_type = self._itss_ref("itss_incident.mail_act_itss_returned")
        # sudo: the to-dos follow the ticket's state, whoever moved it
        for ticket in self.sudo().filtered(lambda t: t.itss_state != "new"):
            todos = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == returned_type
            )
            if todos:
                todos.action_feedback(
                    feedback=self.env._(
                        "No longer returned (%(state)s).",
                        state=self._itss_state_labels().get(ticket.itss_state, ""),
                    )
                )
        return res

    def action_itss_return_dialog(self):
        """The Return to Service Desk dialog (打回): the reason is required."""
        self.ensure_one()
        self._itss_check_return("return")
        action = self._itss_dialog(
            "itss.ticket.return", self.env._("Return to Service Desk"), RETURN_STATES
        )
        action["context"]["default_mode"] = "return"
        return action

    def action_itss_decline_dialog(self):
        """The Decline Dispatch dialog of the engineer a ticket is dispatched to."""
        self.ensure_one()
        self._itss_check_return("decline")
        action = self._itss_dialog(
            "itss.ticket.return", self.env._("Decline Dispatch"), ("assigned",)
        )
        action["context"]["default_mode"] = "decline"
        return action

    def _itss_check_return(self, mode, reason=None):
        """Who may hand the ticket back, and when. ``mode`` ``return``: the assignee,
        the team's leader, a member of the team while nobody is assigned, or an
        incident manager, from Dispatched or In Progress. ``decline``: the assignee,
        while the ticket is dispatched to them. ``reason``, when given, must say
        something."""
        self.ensure_one()
        user = self.env.user
        if mode == "decline":
            states, allowed = ("assigned",), user == self.user_id
            message = self.env._(
                "Only the engineer ticket %(ticket)s is dispatched to declines it."
            )
        else:
            states = RETURN_STATES
            team = self.team_id
            allowed = (
                user == self.user_id
                or user == team.user_id
                or not self.user_id
                and user in team.user_ids
                or user.has_group(MANAGER_GROUP)
            )
            message = self.env._(
                "Only the engineer working on ticket %(ticket)s, their team's leader "
                "or an incident manager returns it to the service desk."
            )
        if not self.team_id.itss_tier or self.itss_state not in states:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is %(state)s: only a dispatched ticket is "
                    "declined, and only a dispatched or in progress one is returned "
                    "to the service desk.",
                    ticket=self.display_name,
                    state=(
                        self._itss_state_labels().get(self.itss_state) or "-"
                    ).lower(),
                )
            )
        if not allowed:
            raise AccessError(message % {"ticket": self.display_name})
        if reason is not None and not (reason or "").strip():
            raise UserError(
                self.env._("Say why the ticket goes back to the service desk.")
            )

    def _itss_return(self, reason, mode="return"):
        """Hand the ticket back to the service desk (``mode`` ``return``, 打回) or
        decline its dispatch (``decline``): it goes to the Logged state of the owner's
        service desk team without an assignee; the reason is posted as a note and
        given to the owner as a to-do. The dialog's model method."""
        self.ensure_one()
        self.check_access("write")
        self._itss_check_return(mode, reason)
        reason = reason.strip()
        user = self.env.user
        if mode == "decline":
            body = self.env._("Dispatch declined: %(reason)s", reason=reason)
            summary = self.env._(
                "Dispatch declined by %(user)s: %(reason)s",
                user=user.name,
                reason=shorten(reason, 120),
            )
        else:
            body = self.env._("Returned to the service desk: %(reason)s", reason=reason)
            summary = self.env._(
                "Returned by %(user)s: %(reason)s",
                user=user.name,
                reason=shorten(reason, 120),
            )
        desk = self._itss_desk_team()
        # sudo: the check above is the rule; the engineer may no longer read a ticket
        # that leaves their team. sudo keeps the user: the chatter names them.
        ticket = self.sudo()
        ticket.message_post(body=body, subtype_xmlid="mail.mt_note")
        ticket._itss_move_to(
            "new",
            {"team_id": desk.id, "user_id": False, "itss_return_reason": reason},
        )
        owner = ticket._itss_desk_user()
        if owner:
            ticket.activity_schedule(
                "itss_incident.mail_act_itss_returned",
                user_id=owner.id,
                summary=summary,
                note=plaintext2html(body),
            )
        return True

    def action_itss_chase(self):
        """The service desk chases the assignee of a dispatched or in progress ticket
        (催办): a mail, and a text message if they have a mobile; each chase is a
        ``chase`` row of the notification log. A second chase within a minute (a
        double click) sends nothing."""
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if not (user == self.itss_owner_id or user.has_group(DESK_GROUP)):
            raise AccessError(
                self.env._(
                    "Only the service desk (the owner, service desk agents) or an "
                    "incident manager chases a ticket."
                )
            )
        if (
            not self.team_id.itss_tier
            or self.itss_state not in RETURN_STATES
            or not self.user_id
        ):
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s has nobody to chase: only a dispatched or in "
                    "progress ticket with an assignee is chased.",
                    ticket=self.display_name,
                )
            )
        now = fields.Datetime.now()
        last = self.itss_chase_date
        if last and now - last < CHASE_GUARD:
            return toast(
                self.env._(
                    "Ticket %(ticket)s was chased at %(moment)s: nothing sent again.",
                    ticket=self.number,
                    moment=self._itss_format_datetime(last),
                ),
                close_dialog=False,
                kind="warning",
            )
        # sudo: the check above is the rule (an owner outside the desk group may not
        # write a second line ticket); sudo keeps the user, whom the chatter names.
        # The counter's write locks the ticket: a concurrent chase waits, fails, is
        # retried and finds this one; its log rows are unique per sequence anyway.
        ticket = self.sudo()
        sequence = ticket.itss_chase_count + 1
        ticket._itss_set_facts({"itss_chase_count": sequence, "itss_chase_date": now})
        assignee = ticket.user_id
        reason = self.env._(
            "%(user)s chases the ticket: please report progress", user=user.name
        )
        ticket._itss_notify("chase", None, sequence, "email", assignee, reason)
        if ticket._itss_sms_number(assignee.partner_id):
            ticket._itss_notify("chase", None, sequence, "sms", assignee, reason)
        ticket.message_post(
            body=self.env._(
                "Chase %(count)s sent to %(assignee)s.",
                count=sequence,
                assignee=assignee.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self._itss_toast(
            self.env._("The assignee of ticket %(ticket)s is chased.")
        )

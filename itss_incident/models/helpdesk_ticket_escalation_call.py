from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .itss_escalation_log import CALL_ACTIVITY_TYPE


class HelpdeskTicket(models.Model):
    """Phone escalation (004: 以电话通知为主要方式) is a call somebody makes: an
    activity for the caller (the ticket's owner while on duty, else the team's
    incident manager, else the team leader) naming whom to call, their numbers and
    why. Its outcome is kept on the notification's log row (mail_activity.py)."""

    _inherit = "helpdesk.ticket"

    itss_call_activity_id = fields.Many2one(
        "mail.activity",
        string="My Escalation Call",
        compute="_compute_itss_call_activity_id",
        help="An open escalation phone call of yours on this ticket.",
    )

    @api.depends("activity_ids.user_id", "activity_ids.activity_type_id")
    @api.depends_context("uid")
    def _compute_itss_call_activity_id(self):
        call_type = self._itss_ref(CALL_ACTIVITY_TYPE, raise_if_not_found=False)
        for ticket in self:
            calls = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == call_type and a.user_id == self.env.user
            )
            ticket.itss_call_activity_id = calls.sorted(
                lambda a: (a.date_deadline, a.id)
            )[:1]

    def action_itss_call_done_dialog(self):
        """The Call Outcome dialog of the user's next open escalation call."""
        self.ensure_one()
        activity = self.itss_call_activity_id
        if not activity:
            raise UserError(
                self.env._(
                    "You have no open escalation call on ticket %(ticket)s.",
                    ticket=self.display_name,
                )
            )
        return activity.itss_mark_done_action()

    def _itss_schedule_call(self, log, partners, reason):
        """The phone call of ``log``'s due point: an activity for the caller naming
        whom to call (``partners``), their numbers and why, linked to the row."""
        self.ensure_one()
        caller = self._itss_caller(partners)
        if not caller:
            return self.env["mail.activity"]
        # sudo: the escalation (often the scheduled action) assigns the call to the
        # caller the rule names, whoever triggered it
        activity = self.sudo().activity_schedule(
            CALL_ACTIVITY_TYPE,
            user_id=caller.id,
            summary=self.env._(
                "Call %(who)s: %(reason)s",
                who=", ".join(partners.mapped("name")),
                reason=reason,
            ),
            note=self._itss_call_note(partners, reason),
        )
        # sudo: the log row is the model's record of the notification
        log.sudo().activity_id = activity
        return activity

    def _itss_caller(self, partners):
        """Who calls ``partners``: the owner if a duty shift of theirs covers this
        moment, else the team's incident manager, else the team leader, else the
        owner off duty; somebody other than the people to call where possible."""
        self.ensure_one()
        team = self.team_id
        owner = self.itss_owner_id
        candidates = self.env["res.users"]
        if owner and owner in self.env["itss.duty.shift"]._itss_on_duty(
            self.company_id, fields.Datetime.now()
        ):
            candidates |= owner
        candidates |= team.itss_incident_manager_id | team.user_id | owner
        others = candidates.filtered(lambda u: u.partner_id not in partners)
        return (others or candidates)[:1]

    def _itss_call_note(self, partners, reason):
        """The activity's note: why, and each person's phone and mobile."""
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(name)s: phone %(phone)s, mobile %(mobile)s",
                name=partner.name,
                phone=partner.phone or "-",
                mobile=self._itss_sms_number(partner) or "-",
            )
            for partner in partners
        )
        return Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._("Why: %(reason)s", reason=reason),
            self.env._("Whom to call:"),
            lines,
            self.env._(
                "Once you have called, mark this call done: it asks for the outcome."
            ),
        )

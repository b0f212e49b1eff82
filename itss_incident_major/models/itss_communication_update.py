from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .itss_major_incident import MANAGER_GROUP

# A statement's state and approval are facts the model derives (DESIGN.md, "One
# authority for the rules"): its transitions pass _TRANSITION as the context's
# ``itss_update_transition``, a Python object no JSON-RPC caller can send.
_TRANSITION = object()
FACT_FIELDS = {"state", "approved_by_id", "approved_date", "sent_date"}
MAIL_FIELDS = {"message_main_attachment_id", "activity_ids"}
APPROVAL_ACTIVITY = "itss_incident_major.mail_act_statement_approval"


class ItssCommunicationUpdate(models.Model):
    """A statement to one or more audiences: drafted, approved by the line's approver
    (or a major incident manager), then sent through the lines' channels."""

    _name = "itss.communication.update"
    _description = "ITSS Communication Update"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    # approvers who only read a statement can still answer it in the chatter
    _mail_post_access = "read"

    major_incident_id = fields.Many2one(
        "itss.major.incident", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Subject", required=True)
    line_ids = fields.Many2many(
        "itss.communication.plan.line",
        string="Audiences",
        required=True,
        domain="[('major_incident_id', '=', major_incident_id)]",
    )
    body = fields.Html(required=True)
    is_final = fields.Boolean(
        string="Final Statement", help="Ends the communication cycle."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    can_approve = fields.Boolean(
        compute="_compute_can_approve",
        search="_search_can_approve",
        help="The current user may approve this draft statement.",
    )
    can_send = fields.Boolean(
        compute="_compute_can_send",
        help="The current user may send this approved statement.",
    )

    @api.depends("state", "line_ids.approver_id", "major_incident_id.manager_ids")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        allowed = self._itss_allowed("approve")
        for update in self:
            update.can_approve = update in allowed

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # sudo: the rights domain is decided on every line and manager, not only on the
        # ones the user may read; the user's own rules still filter the result
        allowed = self.sudo()._search(
            self._get_itss_rights_domain("approve", self.env.user)
        )
        return [("id", "in" if (operator == "=") == value else "not in", allowed)]

    @api.depends("state", "major_incident_id.manager_ids")
    @api.depends_context("uid")
    def _compute_can_send(self):
        allowed = self._itss_allowed("send")
        for update in self:
            update.can_send = update in allowed

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("itss_update_transition") is not _TRANSITION:
            for vals in vals_list:
                if vals.get("state", "draft") != "draft" or any(
                    vals.get(name) for name in FACT_FIELDS - {"state"}
                ):
                    raise UserError(
                        self.env._("Approve and send a statement with its buttons.")
                    )
        updates = super().create(vals_list)
        updates._itss_activity_update()
        return updates

    def write(self, vals):
        if self.env.context.get("itss_update_transition") is not _TRANSITION:
            if FACT_FIELDS & set(vals):
                raise UserError(
                    self.env._("Approve and send a statement with its buttons.")
                )
            if set(vals) - MAIL_FIELDS and self.filtered(lambda u: u.state != "draft"):
                raise UserError(self.env._("An approved statement cannot change."))
        result = super().write(vals)
        if "line_ids" in vals:
            self._itss_activity_update()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda u: u.state != "draft"):
            raise UserError(self.env._("An approved or sent statement is kept."))

    @api.model
    def _itss_template(self, audience, incident):
        """The shipped statement for an audience."""
        texts = {
            "senior_management": self.env._(
                "Major incident %(number)s: %(title)s. Business impact and recovery "
                "progress follow; next update at the agreed time."
            ),
            "customers": self.env._(
                "We are aware of a disruption (%(title)s) and are working to restore "
                "the service. We will keep you informed."
            ),
            "all_staff": self.env._(
                "A major incident (%(title)s) affects our services. Please follow the "
                "instructions of the service desk."
            ),
        }
        text = texts.get(audience) or self.env._(
            "Major incident %(number)s: %(title)s. Status update follows."
        )
        return Markup("<p>%s</p>") % (
            text % {"number": incident.number, "title": incident.name}
        )

    def action_approve(self):
        self.check_access("read")
        for update in self:
            if update.state != "draft":
                raise UserError(self.env._("Only a draft statement is approved."))
        refused = self - self._itss_allowed("approve")
        if refused:
            raise UserError(
                self.env._(
                    "Only the audience's approver or a major incident manager approves "
                    "statement %(name)s.",
                    name=refused[0].name,
                )
            )
        # sudo: the approver's right was checked just above
        self.sudo().with_context(itss_update_transition=_TRANSITION).write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._itss_activity_update()

    def action_send(self):
        """Send an approved statement through each audience's channel; the lines'
        next updates fall due one period later."""
        self.check_access("read")
        for update in self:
            if update.state != "approved":
                raise UserError(self.env._("Only an approved statement is sent."))
        refused = self - self._itss_allowed("send")
        if refused:
            raise UserError(
                self.env._(
                    "Only a major incident manager sends statement %(name)s.",
                    name=refused[0].name,
                )
            )
        now = fields.Datetime.now()
        # sudo: the sender's right was checked just above
        for update in self.sudo():
            ticket = update.major_incident_id.ticket_id
            for line in update.line_ids:
                ticket._itss_notify_communication(update, line)
                line.write(
                    {"next_update_due": now + timedelta(minutes=line.frequency_minutes)}
                )
            update.with_context(itss_update_transition=_TRANSITION).write(
                {"state": "sent", "sent_date": now}
            )
        # the form shows the lines' new "next update due" (a dialog or a row button
        # would only reload the statement)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _get_itss_rights_domain(self, operation, user):
        """The statements ``user`` may ``approve`` (drafts) or ``send`` (approved ones).
        Decided here only, from the user's groups and the stored managers and approvers,
        never from the context: a major incident manager, a manager of the statement's
        major incident, or (to approve) the approver of each of its audiences."""
        state = [("state", "=", "draft" if operation == "approve" else "approved")]
        if user.has_group(MANAGER_GROUP):
            return state
        who = [("major_incident_id.manager_ids", "in", user.id)]
        if operation == "approve":
            # or the approver of every line (list domains: one form on 18.0 and 19.0)
            who = [
                "|",
                *who,
                "&",
                ("line_ids", "!=", False),
                ("line_ids", "not any", [("approver_id", "!=", user.id)]),
            ]
        return state + who

    def _itss_allowed(self, operation):
        """The statements of ``self`` the current user may approve or send."""
        if self.env.su:
            return self
        domain = self._get_itss_rights_domain(operation, self.env.user)
        ids = [
            id_ for id_ in self._ids if isinstance(id_, int)
        ]  # new records: nobody yet
        # sudo: every line and manager decides, not only those the user may read;
        # searched in the database, as the cache holds the lines as the user reads them
        return self.browse(self.sudo().search([("id", "in", ids), *domain]).ids)

    def _itss_activity_update(self):
        """Schedule, complete or remove the approval to-dos from the current state: a
        draft statement awaits the approver of its audiences (the managers of its major
        incident when its audiences have several approvers); approving completes it."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        # sudo: the to-dos follow the statement's state, whoever moved it
        for update in self.sudo():
            activities = update.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            if update.state != "draft":
                activities.action_feedback()
                continue
            approvers = update.line_ids.approver_id
            if len(approvers) != 1:
                approvers = update.major_incident_id.manager_ids
            activities.filtered(lambda a, u=approvers: a.user_id not in u).unlink()
            for approver in approvers - activities.user_id:
                update.activity_schedule(
                    APPROVAL_ACTIVITY,
                    user_id=approver.id,
                    summary=self.env._("Approve statement: %(name)s", name=update.name),
                )

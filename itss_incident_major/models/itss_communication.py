from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.itss_incident.tools import run_locked_batch

from .itss_major_incident import MANAGER_GROUP

AUDIENCES = [
    ("senior_management", "Senior management"),
    ("all_staff", "All staff"),
    ("customers", "Customers"),
    ("partners", "Partners and suppliers"),
    ("responders", "Responders"),
    ("media", "Media"),
    ("emergency_services", "Emergency services"),
]


class ItssCommunicationPlanLine(models.Model):
    """Who is told what, how and how often during a major incident (沟通计划)."""

    _name = "itss.communication.plan.line"
    _description = "ITSS Communication Plan Line"
    _order = "major_incident_id, audience, id"

    major_incident_id = fields.Many2one(
        "itss.major.incident", required=True, index=True, ondelete="cascade"
    )
    audience = fields.Selection(AUDIENCES, required=True)
    contact_ids = fields.Many2many("res.partner", string="Contacts")
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("portal", "Portal notice"), ("phone", "Phone")],
        required=True,
        default="email",
    )
    frequency_minutes = fields.Integer(string="Every (minutes)", required=True, default=60)
    next_update_due = fields.Datetime(index=True, default=fields.Datetime.now)
    reminded_due = fields.Datetime(
        readonly=True, copy=False, help="The due time the managers were last reminded of."
    )
    approver_id = fields.Many2one(
        "res.users", string="Approver", required=True, domain=[("share", "=", False)]
    )

    _sql_constraints = [
        ("frequency_positive", "CHECK(frequency_minutes > 0)", "The frequency must be positive."),
    ]

    @api.depends("audience", "channel")
    def _compute_display_name(self):
        audiences = dict(self._fields["audience"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for line in self:
            line.display_name = f"{audiences.get(line.audience, '')} ({channels.get(line.channel, '')})"

    @api.model
    def _cron_itss_communication_reminders(self, batch_size=100):
        """Remind the managers of each line whose update is overdue, once per due time."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT l.id FROM itss_communication_plan_line l
              JOIN itss_major_incident m ON m.id = l.major_incident_id
             WHERE m.state IN ('declared', 'recovering', 'resolved')
               AND l.next_update_due <= %s
               AND (l.reminded_due IS NULL OR l.reminded_due <> l.next_update_due)
             ORDER BY l.id
             LIMIT %s
               FOR NO KEY UPDATE OF l SKIP LOCKED
            """,
            now,
            batch_size + 1,
        )
        run_locked_batch(self, query, batch_size, lambda line: line._itss_remind())

    def _itss_remind(self):
        """Remind the managers that this line's update is due (once per due time)."""
        self.ensure_one()
        incident = self.major_incident_id
        for manager in incident.manager_ids or incident.create_uid:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Communication update due: %(line)s", line=self.display_name),
            )
        self.reminded_due = self.next_update_due


class ItssCommunicationUpdate(models.Model):
    """A statement to one or more audiences: drafted, approved by the line's approver
    (or a major incident manager), then sent through the lines' channels."""

    _name = "itss.communication.update"
    _description = "ITSS Communication Update"
    _inherit = ["mail.thread"]
    _order = "id desc"

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
    is_final = fields.Boolean(string="Final Statement", help="Ends the communication cycle.")
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)

    def write(self, vals):
        if "state" in vals and not self.env.context.get("itss_update_transition"):
            raise UserError(self.env._("Approve and send a statement with its buttons."))
        if set(vals) - {"state", "approved_by_id", "approved_date", "sent_date",
                        "message_main_attachment_id"}:
            if self.filtered(lambda u: u.state != "draft"):
                raise UserError(self.env._("An approved statement cannot change."))
        return super().write(vals)

    @api.model
    def _itss_template(self, audience, incident):
        """The shipped statement for an audience."""
        texts = {
            "senior_management": self.env._(
                "Major incident %(number)s: %(title)s. Business impact and recovery "
                "progress follow; next update at the agreed time."
            ),
            "customers": self.env._(
                "We are aware of a disruption (%(title)s) and are working to restore the "
                "service. We will keep you informed."
            ),
            "all_staff": self.env._(
                "A major incident (%(title)s) affects our services. Please follow the "
                "instructions of the service desk."
            ),
        }
        text = texts.get(audience) or self.env._(
            "Major incident %(number)s: %(title)s. Status update follows."
        )
        return Markup("<p>%s</p>") % (text % {"number": incident.number, "title": incident.name})

    def action_approve(self):
        for update in self:
            if update.state != "draft":
                raise UserError(self.env._("Only a draft statement is approved."))
            user = self.env.user
            allowed = (
                self.env.su
                or user.has_group(MANAGER_GROUP)
                or user in update.major_incident_id.manager_ids
                or update.line_ids and all(line.approver_id == user for line in update.line_ids)
            )
            if not allowed:
                raise UserError(
                    self.env._(
                        "Only the audience's approver or a major incident manager approves "
                        "statement %(name)s.",
                        name=update.name,
                    )
                )
            # sudo: the approver's right was checked just above
            update.sudo().with_context(itss_update_transition=True).write(
                {"state": "approved", "approved_by_id": user.id,
                 "approved_date": fields.Datetime.now()}
            )

    def action_send(self):
        """Send an approved statement through each audience's channel; the lines'
        next updates fall due one period later."""
        now = fields.Datetime.now()
        for update in self:
            if update.state != "approved":
                raise UserError(self.env._("Only an approved statement is sent."))
            ticket = update.major_incident_id.ticket_id.sudo()
            for line in update.line_ids:
                ticket._itss_notify_communication(update, line)
                line.sudo().write(
                    {"next_update_due": now + timedelta(minutes=line.frequency_minutes)}
                )
            update.with_context(itss_update_transition=True).write(
                {"state": "sent", "sent_date": now}
            )

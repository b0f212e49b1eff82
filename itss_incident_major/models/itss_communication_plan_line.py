from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.itss_incident import compat
from odoo.addons.itss_incident.tools import run_locked_batch

AUDIENCES = [
    ("senior_management", "Senior management"),
    ("all_staff", "All staff"),
    ("customers", "Customers"),
    ("partners", "Partners and suppliers"),
    ("responders", "Responders"),
    ("media", "Media"),
    ("emergency_services", "Emergency services"),
]


@compat.sql_constraints
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
        [
            ("email", "Email"),
            ("sms", "SMS"),
            ("portal", "Portal notice"),
            ("phone", "Phone"),
        ],
        required=True,
        default="email",
    )
    frequency_minutes = fields.Integer(
        string="Every (minutes)", required=True, default=60
    )
    next_update_due = fields.Datetime(index=True, default=fields.Datetime.now)
    reminded_due = fields.Datetime(
        readonly=True,
        copy=False,
        help="The due time the managers were last reminded of.",
    )
    remind_retry_after = fields.Datetime(
        readonly=True,
        copy=False,
        help="The reminder failed: the scheduled action tries again after this moment.",
    )
    approver_id = fields.Many2one(
        "res.users", required=True, domain=[("share", "=", False)]
    )

    _sql_constraints = [
        (
            "frequency_positive",
            "CHECK(frequency_minutes > 0)",
            "The frequency must be positive.",
        ),
    ]

    @api.depends("audience", "channel")
    def _compute_display_name(self):
        audiences = dict(self._fields["audience"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for line in self:
            line.display_name = (
                f"{audiences.get(line.audience, '')} ({channels.get(line.channel, '')})"
            )

    @api.model
    def _cron_itss_communication_reminders(self, batch_size=100):
        """Remind the managers of each line whose update is overdue, once per due
        time."""
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT l.id FROM itss_communication_plan_line l
              JOIN itss_major_incident m ON m.id = l.major_incident_id
             WHERE m.state IN ('declared', 'recovering', 'resolved')
               AND l.next_update_due <= %s
               AND (l.reminded_due IS NULL OR l.reminded_due <> l.next_update_due)
               AND (l.remind_retry_after IS NULL OR l.remind_retry_after <= %s)
             ORDER BY l.id
             LIMIT %s
            """,
            now,
            now,
            batch_size + 1,
        )

        def retry_later(line):
            # a line that keeps failing must not starve the others
            line.remind_retry_after = now + timedelta(minutes=15)

        run_locked_batch(
            self, query, batch_size, lambda line: line._itss_remind(), retry_later
        )

    def _itss_remind(self):
        """Remind the managers that this line's update is due (once per due time)."""
        self.ensure_one()
        incident = self.major_incident_id
        for manager in incident.manager_ids or incident.create_uid:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._(
                    "Communication update due: %(line)s", line=self.display_name
                ),
            )
        self.reminded_due = self.next_update_due

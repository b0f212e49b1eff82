from odoo import api, fields, models
from odoo.exceptions import UserError

KIND_SELECTION = [
    ("rule", "Escalation rule"),
    ("progress", "Progress notice"),
    ("sla_warning", "SLA warning"),
    ("sla_breach", "SLA breach"),
    ("watchdog", "No response from second line"),
    ("auto_escalation", "Automatic escalation"),
    ("communication", "Communication"),
    ("customer", "Notice to the customer"),
    ("desk_contact", "Desk call: has an engineer contacted you?"),
    ("desk_check", "Desk call: is it done?"),
    ("chase", "Chase (催办)"),
    ("reconfirm", "Urgent re-confirmation"),
]

# the activity of a phone escalation: a call the caller makes
CALL_ACTIVITY_TYPE = "itss_incident.mail_act_itss_escalation_call"
# what became of a phone call the escalation asked for (the caller chooses the first
# three; "not recorded" when the activity was marked done without the dialog)
CALL_OUTCOME_SELECTION = [
    ("reached", "Reached"),
    ("not_reached", "Not reached"),
    ("message", "Left a message"),
    ("not_recorded", "Not recorded"),
]


class ItssEscalationLog(models.Model):
    """Every notification sent for a ticket: one row per due point and channel.

    A unique index on (ticket, kind, rule or none, sequence, channel) makes sure that
    nothing fires twice for the same due point, whatever runs twice or at once: the row
    is written in the transaction that queues the mail, SMS or activity.
    """

    _name = "itss.escalation.log"
    _description = "ITSS Escalation Log"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    kind = fields.Selection(KIND_SELECTION, required=True)
    rule_id = fields.Many2one(
        "itss.escalation.rule", ondelete="restrict", index="btree_not_null"
    )
    sequence = fields.Integer(
        required=True,
        default=0,
        help="Which due point of the kind (period, target...).",
    )
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("call", "Phone call")], required=True
    )
    partner_ids = fields.Many2many("res.partner", string="Recipients")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    note = fields.Char()
    activity_id = fields.Many2one(
        "mail.activity",
        string="Call Activity",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The phone call activity of the caller (phone calls only).",
    )
    caller_id = fields.Many2one(related="activity_id.user_id", string="Caller")
    outcome = fields.Selection(
        CALL_OUTCOME_SELECTION,
        string="Call Outcome",
        readonly=True,
        help="Phone calls: what the caller recorded when marking the call done.",
    )

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS itss_escalation_log_due_point_uniq
            ON itss_escalation_log
                (ticket_id, kind, COALESCE(rule_id, 0), sequence, channel)
            """
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        """The SLA's and the notifications' history is kept (the superuser, who deletes
        a whole ticket's records, stays exempt)."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The history of a ticket's notifications is kept; it cannot be "
                    "deleted."
                )
            )

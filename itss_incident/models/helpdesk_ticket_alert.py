from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL

from .helpdesk_ticket import _ItssCorrection


class HelpdeskTicket(models.Model):
    """Monitoring alerts: the ticket's alert facts, repeats, flapping and clearing."""

    _inherit = "helpdesk.ticket"

    itss_auto_generated = fields.Boolean(
        string="Raised by Monitoring",
        copy=False,
        help="Raised automatically by a monitoring alert: it closes without the "
        "customer's confirmation.",
    )

    itss_alert_source_id = fields.Many2one(
        "itss.alert.source",
        string="Alert Source",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    itss_alert_fingerprint = fields.Char(
        string="Alert Fingerprint", copy=False, readonly=True
    )

    itss_alert_count = fields.Integer(
        string="Alert Occurrences", compute="_compute_itss_alert_firings"
    )

    itss_alert_first_seen = fields.Datetime(
        string="Alert First Seen", copy=False, readonly=True
    )

    itss_alert_last_seen = fields.Datetime(
        string="Alert Last Seen", compute="_compute_itss_alert_firings"
    )

    itss_alert_ci = fields.Char(
        string="Alert's Configuration Item",
        copy=False,
        readonly=True,
        help="The value of the source's configuration-item label in the alert.",
    )

    itss_alert_url = fields.Char(string="Alert Link", copy=False, readonly=True)

    itss_alert_touched = fields.Boolean(
        string="Worked by a Person",
        copy=False,
        readonly=True,
        help="A person accepted, answered or re-prioritised this alert ticket: when "
        "the alert clears, it is resolved but waits for the normal close.",
    )

    def init(self):
        res = super().init()
        # at most one open ticket per alert source and fingerprint
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS helpdesk_ticket_itss_alert_open_uniq
                ON helpdesk_ticket (itss_alert_source_id, itss_alert_fingerprint)
             WHERE itss_alert_source_id IS NOT NULL
               AND (itss_state IS NULL OR itss_state NOT IN ('closed', 'cancelled'))
            """
        )
        return res

    def _compute_itss_alert_firings(self):
        """From the firing rows (itss_alert_firing.py), in one query."""
        counts = {}
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT ticket_id, count(*), max(date)
                      FROM itss_alert_firing
                     WHERE ticket_id = ANY(%s)
                     GROUP BY ticket_id
                    """,
                    ids,
                )
            )
            counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for ticket in self:
            count, last = counts.get(ticket.id, (0, False))
            ticket.itss_alert_count = count
            ticket.itss_alert_last_seen = last

    def _itss_alert_fired_again(self, alert, now):
        """The same alert fired again: count it (an insert: the ticket's row is not
        written); flapping after it cleared puts the (not yet closed) ticket back in
        progress."""
        self.ensure_one()
        self.env["itss.alert.firing"]._itss_insert(self, now)
        if self.itss_state == "resolved":
            reason = self.env._("the alert fired again")
            self.with_context(itss_correction=_ItssCorrection(reason))._itss_move_to(
                "in_progress"
            )
            self.message_post(
                body=self.env._(
                    "The alert fired again before the quiet period ended: "
                    "back in progress (flapping)."
                ),
                subtype_xmlid="mail.mt_note",
            )
        else:
            # a log line, not a notification: repeats must stay cheap
            # without the count: concurrent repeats do not see each other's rows
            self._message_log(body=self.env._("The alert fired again."))

    def _itss_alert_resolved(self, alert, now):
        """The alert cleared: resolve the ticket; nobody worked on it: it closes after
        the source's quiet period, else it waits for the normal close."""
        self.ensure_one()
        if self.itss_state not in ("new", "assigned", "in_progress", "pending"):
            return False
        # the business recovery time lies between logging and now (a late or early
        # clock of the monitoring system must not make it impossible)
        cleared = min(max(alert["ends_at"] or now, self.itss_logged_date), now)
        # one write with the move: a ticket back in progress after flapping still
        # holds its first resolution's time, which the new recovery time must not be
        # checked against
        self._itss_move_to(
            "resolved",
            {
                "itss_solution": Markup("<p>%s</p>")
                % self.env._(
                    "Alert cleared at %(moment)s.",
                    moment=fields.Datetime.to_string(cleared) + " UTC",
                ),
                "itss_closure_code_id": self.itss_closure_code_id.id
                or self._itss_ref("itss_incident.closure_code_resolved").id,
                "itss_recovery_date": cleared,
            },
        )
        if not self.itss_alert_touched:
            close_at = now + timedelta(minutes=self.itss_alert_source_id.quiet_minutes)
            self._itss_set_facts({"itss_auto_close_date": close_at})
            self.env.ref("itss_incident.ir_cron_itss_auto_close").sudo()._trigger(
                at=close_at
            )
        return True

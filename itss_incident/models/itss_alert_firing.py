from odoo import fields, models
from odoo.tools import SQL


class ItssAlertFiring(models.Model):
    """One firing post of a monitoring alert, on the ticket it counts on. Inserted,
    never updated: bursts of the same alert on several nodes at once then queue on no
    row (a counter on the ticket's row made them wait for its lock and retry on
    serialization failures). The ticket's occurrences and last seen are read from
    here."""

    _name = "itss.alert.firing"
    _description = "ITSS Alert Firing"
    _order = "date desc, id desc"
    _log_access = False

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade", readonly=True
    )
    date = fields.Datetime(required=True, readonly=True)

    def _itss_insert(self, ticket, moment):
        """Count one firing of ``ticket``'s alert at ``moment`` (one INSERT)."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO itss_alert_firing (ticket_id, date) VALUES (%s, %s)",
                ticket.id,
                moment,
            )
        )
        ticket.invalidate_recordset(["itss_alert_count", "itss_alert_last_seen"])

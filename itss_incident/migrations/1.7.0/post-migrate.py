"""1.7.0: an alert ticket's occurrences are rows of itss_alert_firing, no longer a
counter on the ticket's row: the counters stored before become rows (the first at
the first seen time, the others at the last seen time)."""

from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not column_exists(cr, "helpdesk_ticket", "itss_alert_count"):
        return
    cr.execute(
        """
        INSERT INTO itss_alert_firing (ticket_id, date)
        SELECT ticket.id,
               CASE WHEN n = 1
                    THEN COALESCE(ticket.itss_alert_first_seen, ticket.create_date)
                    ELSE COALESCE(ticket.itss_alert_last_seen, ticket.create_date)
               END
          FROM helpdesk_ticket ticket
         CROSS JOIN LATERAL generate_series(1, ticket.itss_alert_count) AS n
         WHERE ticket.itss_alert_count > 0
           AND NOT EXISTS (
               SELECT 1 FROM itss_alert_firing firing WHERE firing.ticket_id = ticket.id
           )
        """
    )
    cr.execute("ALTER TABLE helpdesk_ticket DROP COLUMN itss_alert_count")
    cr.execute("ALTER TABLE helpdesk_ticket DROP COLUMN itss_alert_last_seen")

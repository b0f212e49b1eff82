def migrate(cr, version):
    """Notification log rows were inserted without their ticket's company, which the
    company rule then hid from everyone but the superuser."""
    cr.execute(
        """
        UPDATE itss_escalation_log log
           SET company_id = ticket.company_id
          FROM helpdesk_ticket ticket
         WHERE ticket.id = log.ticket_id
           AND log.company_id IS NULL
        """
    )

from odoo.tools import sql


def migrate(cr, version):
    """The tickets logged before 1.3.0 occurred when they were logged (DESIGN.md,
    "Time of occurrence"): one UPDATE here, before the ORM would compute the new
    column ticket by ticket."""
    if not sql.column_exists(cr, "helpdesk_ticket", "itss_occurred_date"):
        sql.create_column(cr, "helpdesk_ticket", "itss_occurred_date", "timestamp")
    cr.execute(
        """
        UPDATE helpdesk_ticket
           SET itss_occurred_date = itss_logged_date
         WHERE itss_occurred_date IS NULL
        """
    )

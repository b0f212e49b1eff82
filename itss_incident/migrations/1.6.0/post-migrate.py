"""1.6.0: a make-up working day (调休上班日) is a line dated by ``itss_date``, on 18.0
and 19.0 alike (19.0 has no dated attendances): the lines the holiday library added
as dated attendances move their date there."""

from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not column_exists(cr, "resource_calendar_attendance", "date_from"):
        return  # 19.0: no dated attendances to move
    cr.execute(
        """
        UPDATE resource_calendar_attendance
           SET itss_date = date_from, date_from = NULL, date_to = NULL
         WHERE itss_china_workday AND itss_date IS NULL AND date_from IS NOT NULL
        """
    )

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat


@compat.sql_constraints
class ItssSlaPause(models.Model):
    """One stay of a ticket in Pending: the SLA clock did not run."""

    _name = "itss.sla.pause"
    _description = "ITSS SLA Pause"
    _order = "date_start, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    date_start = fields.Datetime(string="Paused On", required=True)
    date_end = fields.Datetime(string="Resumed")
    wait_code_id = fields.Many2one("itss.wait.code", required=True, ondelete="restrict")
    working_minutes = fields.Float(
        digits=(16, 2), help="Working minutes of the SLA calendar the pause lasted."
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A pause cannot end before it starts.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        """The SLA's and the notifications' history is kept (the superuser, who deletes
        a whole ticket's records, stays exempt)."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The history of a ticket's SLA pauses is kept; it cannot be "
                    "deleted."
                )
            )

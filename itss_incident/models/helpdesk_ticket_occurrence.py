from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    """The time of occurrence (DESIGN.md, "Time of occurrence", 发生时间): when the
    fault began, as the reporter says; the logged time unless they say otherwise,
    never after it. Alerts give their ``startsAt``."""

    _inherit = "helpdesk.ticket"

    itss_occurred_date = fields.Datetime(
        string="Occurred On",
        compute="_compute_itss_occurred_date",
        store=True,
        precompute=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="When the fault began, as the reporter says; the logged time unless "
        "they say otherwise, never after it.",
    )

    @api.depends("itss_logged_date")
    def _compute_itss_occurred_date(self):
        """The logged time by default; a correction of the logged time to before the
        occurrence brings the occurrence along."""
        for ticket in self:
            logged = ticket.itss_logged_date
            occurred = ticket.itss_occurred_date or logged
            ticket.itss_occurred_date = min(occurred, logged) if logged else occurred

    @api.constrains("itss_occurred_date", "itss_logged_date")
    def _check_itss_occurred_date(self):
        """Whatever the path (the form, the portal, an alert, RPC): a fault began at
        the latest when it was logged."""
        for ticket in self:
            occurred, logged = ticket.itss_occurred_date, ticket.itss_logged_date
            if occurred and logged and occurred > logged:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the time of occurrence %(occurred)s is "
                        "after the logging (%(logged)s). Enter when the fault began, "
                        "as the reporter says: at the latest when the ticket was "
                        "logged.",
                        ticket=ticket.display_name,
                        occurred=ticket._itss_format_datetime(occurred),
                        logged=ticket._itss_format_datetime(logged),
                    )
                )

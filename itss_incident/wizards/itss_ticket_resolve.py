from odoo import api, fields, models

from ..tools import toast


class ItssTicketResolve(models.TransientModel):
    """Resolve a ticket with its resolution record (001 100.6.1)."""

    _name = "itss.ticket.resolve"
    _description = "Resolve an ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    ticket_type = fields.Selection(related="ticket_id.itss_ticket_type")
    solution = fields.Html(
        compute="_compute_from_ticket", store=True, readonly=False, precompute=True
    )
    closure_code_id = fields.Many2one(
        "itss.closure.code",
        required=True,
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
    )
    recovery_date = fields.Datetime(
        string="Business Recovery Time",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="When the business service was back; required for incidents.",
    )
    completion_date = fields.Datetime(
        string="Actual Completion Time",
        required=True,
        default=fields.Datetime.now,
        help="When the work was finished.",
    )
    fault_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor at Fault",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("ticket_id")
    def _compute_from_ticket(self):
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.solution = ticket.itss_solution
            wizard.closure_code_id = ticket.itss_closure_code_id or self.env.ref(
                "itss_incident.closure_code_resolved"
            )
            wizard.recovery_date = ticket.itss_recovery_date
            wizard.fault_vendor_id = ticket.itss_fault_vendor_id

    def action_resolve(self):
        self.ensure_one()
        self.ticket_id._itss_resolve(
            {
                "itss_solution": self.solution,
                "itss_closure_code_id": self.closure_code_id.id,
                "itss_recovery_date": self.recovery_date or False,
                "itss_completion_date": self.completion_date,
                "itss_fault_vendor_id": self.fault_vendor_id.id,
            }
        )
        return toast(
            self.env._("Ticket %(ticket)s is resolved.", ticket=self.ticket_id.number)
        )

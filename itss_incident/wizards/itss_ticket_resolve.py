from odoo import api, fields, models

from ..models.itss_priority_matrix import IMPACT_SELECTION
from ..tools import toast


class ItssTicketResolve(models.TransientModel):
    """Resolve a ticket with its resolution record (001 100.6.1)."""

    _name = "itss.ticket.resolve"
    _description = "Resolve an ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    ticket_type = fields.Selection(related="ticket_id.itss_ticket_type")
    ticket_tier = fields.Selection(related="ticket_id.itss_tier")
    # 001 100.6.1 steps 2 and 5: the resolver confirms or corrects them
    category_id = fields.Many2one(
        "helpdesk.ticket.category",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="Confirm the category, or correct it.",
    )
    impact = fields.Selection(
        IMPACT_SELECTION,
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="Confirm the impact, or correct it: the priority follows.",
    )
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
        help="Required for an incident resolved by the third line (a vendor team).",
    )
    # 001 100.6.1 step 7: the item the incident concerns; its type is the system type
    ci_id = fields.Many2one(
        "itss.configuration.item",
        string="Configuration Item",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="Confirm the configuration item, or correct it.",
    )
    ci_type = fields.Selection(string="Incident System Type", related="ci_id.ci_type")
    ci_required = fields.Boolean(
        string="Configuration Item Required", compute="_compute_ci_required"
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id")
    ci_update_needed = fields.Boolean(
        string="Configuration Needs Updating",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="The resolution changed the configuration item (配置核对更新): its "
        "configuration manager gets a to-do to update it.",
    )

    @api.depends("ticket_id.company_id.itss_ci_required", "ticket_type")
    def _compute_ci_required(self):
        for wizard in self:
            wizard.ci_required = (
                wizard.ticket_type == "incident"
                and wizard.ticket_id.company_id.itss_ci_required
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
            wizard.category_id = ticket.category_id
            wizard.impact = ticket.itss_impact
            wizard.ci_id = ticket.itss_ci_id
            wizard.ci_update_needed = ticket.itss_ci_update_needed

    def action_resolve(self):
        self.ensure_one()
        ticket = self.ticket_id
        values = {
            "itss_solution": self.solution,
            "itss_closure_code_id": self.closure_code_id.id,
            "itss_recovery_date": self.recovery_date or False,
            "itss_completion_date": self.completion_date,
            "itss_fault_vendor_id": self.fault_vendor_id.id,
            "itss_ci_update_needed": self.ci_update_needed,
        }
        if self.ci_id != ticket.itss_ci_id:
            values["itss_ci_id"] = self.ci_id.id
        # only a correction is written: rewriting the impact would recompute a
        # priority set by hand
        if self.category_id != ticket.category_id:
            values["category_id"] = self.category_id.id
        if self.impact and self.impact != ticket.itss_impact:
            values["itss_impact"] = self.impact
        ticket._itss_resolve(values)
        return toast(
            self.env._("Ticket %(ticket)s is resolved.", ticket=self.ticket_id.number)
        )

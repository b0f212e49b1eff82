from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.groups import DESK_GROUP
from .helpdesk_ticket import OPEN_STATES


class HelpdeskTicket(models.Model):
    """The service contract of a ticket (服务合同): taken at logging from the customer's
    contract in force, corrected by the service desk while the ticket is open (the
    deadlines are then re-targeted from logging); it decides the SLA policy, the major
    incident threshold, the KPI targets, the team of tickets logged without one and the
    project manager, where it says so."""

    _inherit = "helpdesk.ticket"

    itss_contract_id = fields.Many2one(
        "itss.service.contract",
        string="Service Contract",
        index="btree_not_null",
        tracking=True,
        copy=False,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="The customer's contract in force when the ticket was logged. The "
        "service desk corrects it while the ticket is open: the deadlines are then "
        "re-targeted from the logging.",
    )
    itss_contract_name = fields.Char(
        related="itss_contract_id.name", string="Contract Name"
    )
    itss_support_hours = fields.Char(
        string="Support Hours",
        compute="_compute_itss_contract_terms",
        help="The working hours the ticket's SLA targets count.",
    )
    itss_sla_targets = fields.Char(
        string="SLA Targets",
        compute="_compute_itss_contract_terms",
        help="The response and resolution targets of the ticket's SLA policy.",
    )
    itss_kpi_targets = fields.Char(
        string="KPI Targets",
        compute="_compute_itss_contract_terms",
        help="The contract's (or the company's) on-time and first-contact resolution "
        "targets.",
    )

    @api.depends(
        "itss_contract_id",
        "itss_sla_policy_id",
        "company_id.itss_kpi_fcr_target",
        "company_id.itss_kpi_ontime_target",
    )
    @api.depends_context("lang")
    def _compute_itss_contract_terms(self):
        """Shown to the customer on the portal too: read as the superuser, only the
        ticket's own policy and contract (the ticket's access is checked already)."""
        for ticket in self:
            policy = ticket.sudo().itss_sla_policy_id
            contract = ticket.sudo().itss_contract_id
            ticket.itss_support_hours = (
                policy
                and (policy.calendar_id.name or self.env._("Round the clock (7x24)"))
                or False
            )
            # babel's extraction evaluates the arguments: no f-string in the call
            hours = format(policy.resolve_hours, "g")
            ticket.itss_sla_targets = policy and self.env._(
                "Respond within %(response)s minutes, resolve within %(resolve)s hours",
                response=policy.response_minutes,
                resolve=hours,
            )
            targets = contract._itss_targets(ticket.company_id)
            ticket.itss_kpi_targets = self.env._(
                "On-time resolution at least %(ontime)s %%, first-contact resolution "
                "at least %(fcr)s %%",
                ontime=targets["ontime"],
                fcr=targets["fcr"],
            )

    @api.constrains("itss_contract_id", "partner_id", "company_id")
    def _check_itss_contract(self):
        for ticket in self.filtered("itss_contract_id"):
            contract = ticket.itss_contract_id
            if contract.partner_id != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: contract %(contract)s is %(customer)s's, "
                        "not the ticket's customer's (%(partner)s).",
                        ticket=ticket.display_name,
                        contract=contract.name,
                        customer=contract.partner_id.display_name,
                        partner=ticket.partner_id.display_name or "-",
                    )
                )

    @api.model
    def _itss_intake_team(self, vals, customer_channels):
        """The contract's service desk team first (tickets of its customer logged
        without a team go there), whatever the channel."""
        contract = self._itss_contract_for(vals)
        return contract.team_id or super()._itss_intake_team(vals, customer_channels)

    @api.model
    def _itss_logging_vals(self, vals, team, company):
        vals = super()._itss_logging_vals(vals, team, company)
        if "itss_contract_id" not in vals:
            vals["itss_contract_id"] = self._itss_contract_for(vals).id
        return vals

    @api.model
    def _itss_contract_for(self, vals):
        """The contract in force for the customer and company of ticket ``vals`` at
        its logging (now, unless the values say when)."""
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        if not partner:
            return self.env["itss.service.contract"]
        company = (
            self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        )
        moment = vals.get("itss_logged_date") or fields.Datetime.now()
        return self.env["itss.service.contract"]._itss_find(
            partner, company, fields.Datetime.to_datetime(moment)
        )

    def write(self, vals):
        if "itss_contract_id" in vals:
            if not self.env.su:
                self._itss_check_contract_change(vals["itss_contract_id"])
        elif "partner_id" in vals:
            # another customer on an open ticket: that customer's contract at logging
            groups = self._itss_contracts_of(vals["partner_id"])
            if len(groups) > 1:
                for contract, tickets in groups.items():
                    super(HelpdeskTicket, tickets).write(
                        dict(vals, itss_contract_id=contract.id)
                    )
                return True
            if groups:
                vals = dict(vals, itss_contract_id=next(iter(groups)).id)
        return super().write(vals)

    def _itss_contracts_of(self, partner_id):
        """{contract: tickets} for the open ITSS tickets of ``self`` given the
        customer ``partner_id``; empty when none of them changes contract."""
        partner = self.env["res.partner"].browse(partner_id)
        Contract = self.env["itss.service.contract"]
        groups = {}
        for ticket in self:
            if ticket.team_id.itss_tier and ticket.itss_state in OPEN_STATES:
                contract = Contract._itss_find(
                    partner, ticket.company_id, ticket.itss_logged_date
                )
            else:
                contract = ticket.itss_contract_id
            groups.setdefault(contract, self.browse())
            groups[contract] |= ticket
        if all(
            ticket.itss_contract_id == contract
            for contract, tickets in groups.items()
            for ticket in tickets
        ):
            return {}
        return groups

    def _itss_check_contract_change(self, contract_id):
        """The service desk (or an incident manager) corrects the contract of an open
        ticket; engineers, customers and closed tickets keep theirs."""
        changed = self.filtered(
            lambda t: t.itss_contract_id.id != (contract_id or False)
        )
        if not changed:
            return
        if not self.env.user.has_group(DESK_GROUP):
            raise UserError(
                self.env._(
                    "Only the service desk corrects the service contract of a ticket."
                )
            )
        for ticket in changed:
            if ticket.itss_state and ticket.itss_state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is no longer open: its service contract "
                        "stays as it was.",
                        ticket=ticket.display_name,
                    )
                )

    def _itss_major_threshold(self):
        """The priorities that declare a major incident: '1' (P1 only), '2' (P1 and
        P2) or '0' (none); the contract's where it says so, else the company's."""
        self.ensure_one()
        return (
            self.itss_contract_id.major_priority or self.company_id.itss_major_priority
        )

    def _itss_project_manager(self):
        """The ticket's project manager: the contract's, else the team's."""
        self.ensure_one()
        return self.itss_contract_id.user_id or self.team_id.itss_project_manager_id

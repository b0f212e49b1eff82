from datetime import timedelta

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat
from .res_company import MAJOR_PRIORITY_SELECTION


@compat.sql_constraints
class ItssServiceContract(models.Model):
    """A service contract (服务合同) with one customer: its support hours, SLA
    policies, major-incident threshold, KPI targets, service desk team and project
    manager. Where it says something, it decides for the tickets logged under it
    ("如有合同定义，则以合同定义为准", 000 and 003); where it is silent, the company's
    settings apply."""

    _name = "itss.service.contract"
    _description = "ITSS Service Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        tracking=True, copy=False, help="The contract's number, e.g. as signed."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        help="The customer, a company: its contacts' tickets are logged under this "
        "contract while it is in force.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    date_start = fields.Date(
        string="Start",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End", tracking=True, help="Last day in force (inclusive); empty: open."
    )
    active = fields.Boolean(default=True, tracking=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Support Hours",
        check_company=True,
        tracking=True,
        help="The support hours the customer is promised: the default working hours "
        "of the SLA policies made for this contract. Empty: round the clock (7x24).",
    )
    major_priority = fields.Selection(
        MAJOR_PRIORITY_SELECTION,
        string="Major Incident Priority",
        tracking=True,
        help="The priorities that declare a major incident for this customer. Empty: "
        "the company's setting.",
    )
    fcr_target = fields.Integer(
        string="First-contact Resolution Target (%)",
        tracking=True,
        help="0: the company's target.",
    )
    ontime_target = fields.Integer(
        string="On-time Resolution Target (%)",
        tracking=True,
        help="0: the company's target.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Service Desk Team",
        check_company=True,
        tracking=True,
        domain=[("itss_tier", "!=", False)],
        help="The team of the customer's tickets logged without a team.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Project Manager",
        tracking=True,
        domain=[("share", "=", False)],
        help="The contract's project manager: notified where the escalation matrix "
        "names the project manager, and approves the contract's service reports.",
    )
    sla_policy_ids = fields.One2many(
        "itss.sla.policy", "contract_id", string="SLA Policies"
    )
    ci_ids = fields.One2many(
        "itss.configuration.item", "contract_id", string="Configuration Items"
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "itss_contract_id")
    ticket_count = fields.Integer(string="Tickets", compute="_compute_ticket_count")
    in_force = fields.Boolean(
        compute="_compute_in_force",
        search="_search_in_force",
        help="In force today.",
    )
    note = fields.Html(string="Notes")

    _sql_constraints = [
        (
            "code_company_uniq",
            "UNIQUE(code, company_id)",
            "A contract code is used once per company.",
        ),
        (
            "dates",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A contract ends on or after its start.",
        ),
        (
            "targets",
            "CHECK(fcr_target BETWEEN 0 AND 100 AND ontime_target BETWEEN 0 AND 100)",
            "KPI targets are percentages between 0 and 100.",
        ),
    ]

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("itss_contract_id", "in", self.ids)],
                ["itss_contract_id"],
                ["__count"],
            )
        )
        for contract in self:
            contract.ticket_count = counts.get(contract, 0)

    @api.depends("date_start", "date_end")
    def _compute_in_force(self):
        today = fields.Date.context_today(self)
        for contract in self:
            contract.in_force = contract._itss_covers(today)

    def _search_in_force(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValueError(self.env._("Unsupported search on In Force"))
        domain = self._itss_in_force_domain(fields.Date.context_today(self))
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("partner_id", "company_id", "date_start", "date_end", "active")
    def _check_overlap(self):
        """No two active contracts of one customer and company overlap (bounds
        inclusive): a ticket has one contract in force."""
        for contract in self.filtered("active"):
            if contract.partner_id != contract.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the customer must be a company (or a "
                        "person without company), not the contact %(contact)s.",
                        contract=contract.name,
                        contact=contract.partner_id.display_name,
                    )
                )
            domain = [
                ("id", "!=", contract.id),
                ("partner_id", "=", contract.partner_id.id),
                ("company_id", "=", contract.company_id.id),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", contract.date_start),
            ]
            if contract.date_end:
                domain.append(("date_start", "<=", contract.date_end))
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s overlaps contract %(other)s of "
                        "%(customer)s (%(start)s - %(end)s): a customer has one "
                        "contract in force at a time. End the other contract first.",
                        contract=contract.name,
                        other=other.name,
                        customer=contract.partner_id.display_name,
                        start=other.date_start,
                        end=other.date_end or self.env._("open-ended"),
                    )
                )

    def _itss_covers(self, day):
        self.ensure_one()
        return bool(
            self.date_start
            and self.date_start <= day
            and (not self.date_end or day <= self.date_end)
        )

    @api.model
    def _itss_in_force_domain(self, day):
        return [
            ("date_start", "<=", day),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", day),
        ]

    @api.model
    def _itss_find(self, partner, company, moment):
        """The active contract of ``partner``'s commercial partner in ``company`` in
        force at ``moment`` (a UTC datetime; the day is the contract's, in its time
        zone), or an empty recordset."""
        customer = partner.commercial_partner_id
        if not customer or not company:
            return self.browse()
        # the candidates of the UTC day and its neighbours, then each one's own day
        candidates = self.sudo().search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("date_start", "<=", moment.date() + timedelta(days=1)),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", moment.date() - timedelta(days=1)),
            ]
        )
        return candidates.filtered(
            lambda c: c._itss_covers(
                utc.localize(moment).astimezone(timezone(c._itss_tz())).date()
            )
        )[:1]

    def _itss_tz(self):
        """The time zone of the contract's days: its support hours', else the
        company's, else China's."""
        self.ensure_one()
        return self.calendar_id.tz or self.company_id.partner_id.tz or "Asia/Shanghai"

    def _itss_targets(self, company):
        """{"fcr": %, "ontime": %}: the contract's KPI targets, the company's where
        the contract has none (or there is no contract)."""
        return {
            "fcr": self.fcr_target or company.itss_kpi_fcr_target,
            "ontime": self.ontime_target or company.itss_kpi_ontime_target,
        }

    def action_itss_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itss_incident.helpdesk_ticket_action_itss"
        )
        action["domain"] = [("itss_contract_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_itss_new_policy(self):
        """A new SLA policy for this contract, on its support hours."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.sla.policy",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_contract_id": self.id,
                "default_company_id": self.company_id.id,
                "default_calendar_id": self.calendar_id.id,
            },
        }

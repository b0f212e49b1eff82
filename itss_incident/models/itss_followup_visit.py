from odoo import api, fields, models

from .. import compat
from .helpdesk_ticket import FOLLOWUP_RESULT_SELECTION, SATISFACTION_SELECTION

FOLLOWUP_CHANNEL_SELECTION = [
    ("phone", "Phone"),
    ("onsite", "On-site"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("im", "Instant messaging"),
]
FOLLOWUP_SELECTION_SELECTION = [
    ("all", "Every closed ticket"),
    ("sample", "Monthly sample"),
]


@compat.sql_constraints
class ItssFollowupVisit(models.Model):
    """One follow-up visit (回访) of a closed ticket: a row of the follow-up register
    (回访服务登记表, 003 §6.2.10). Written by the service desk's Record Follow-up
    dialog; what the ticket, customer, contract and team were is kept with it."""

    _name = "itss.followup.visit"
    _description = "ITSS Follow-up Visit"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        help="The ticket's customer (the company of the contact who reported it).",
    )
    contact_id = fields.Many2one("res.partner")
    contract_id = fields.Many2one("itss.service.contract", index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Visited By",
        required=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(
        FOLLOWUP_CHANNEL_SELECTION,
        string="Visit Channel",
        required=True,
        default="phone",
    )
    result = fields.Selection(FOLLOWUP_RESULT_SELECTION, required=True)
    satisfaction = fields.Selection(SATISFACTION_SELECTION)
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score",
        store=True,
        aggregator="avg",
        help="The satisfaction as a number from 1 to 5, averaged in the analysis.",
    )
    note = fields.Text(string="Remarks")
    selection = fields.Selection(
        FOLLOWUP_SELECTION_SELECTION,
        string="Visited As",
        required=True,
        default="all",
        help="Every closed ticket of the contract is visited, or the ticket was drawn "
        "in the contract's monthly sample (抽访).",
    )
    ticket_number = fields.Char(related="ticket_id.number", string="Ticket Number")
    ticket_closed_date = fields.Datetime(
        related="ticket_id.closed_date", string="Closed On"
    )

    _sql_constraints = [
        (
            "satisfaction_reached",
            "CHECK(result != 'unreachable' OR satisfaction IS NULL)",
            "An unreachable customer gives no satisfaction.",
        ),
    ]

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for visit in self:
            visit.satisfaction_score = int(visit.satisfaction or 0)

    @api.model
    def _prepare_itss_visit_vals(self, ticket):
        """What the register keeps of the ticket at the visit."""
        return {
            "ticket_id": ticket.id,
            "company_id": ticket.company_id.id,
            "partner_id": ticket.commercial_partner_id.id,
            "contact_id": ticket.partner_id.id,
            "contract_id": ticket.itss_contract_id.id,
            "team_id": ticket.team_id.id,
            "selection": "sample" if ticket.itss_followup_sampled else "all",
        }

    @api.model
    def _itss_report_figures(self, domain):
        """The follow-up figures of the visits matching ``domain`` (for the service
        report): counts per result, the mean satisfaction (1-5) of the visits that
        gave one, and the satisfied rate = satisfied / customers reached (satisfied +
        not satisfied), in percent; ``None`` where there is nothing to divide."""
        counts = dict.fromkeys(dict(FOLLOWUP_RESULT_SELECTION), 0)
        for result, count in self._read_group(domain, ["result"], ["__count"]):
            counts[result] = count
        [(rated, total)] = self._read_group(
            list(domain) + [("satisfaction_score", ">", 0)],
            [],
            ["__count", "satisfaction_score:sum"],
        )
        reached = counts["satisfied"] + counts["not_satisfied"]
        return {
            "visits": sum(counts.values()),
            "satisfied": counts["satisfied"],
            "unsatisfied": counts["not_satisfied"],
            "unreachable": counts["unreachable"],
            "reached": reached,
            "satisfaction": round(total / rated, 2) if rated else None,
            "satisfied_rate": (
                round(100.0 * counts["satisfied"] / reached, 1) if reached else None
            ),
        }

from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat
from .itss_priority_matrix import PRIORITY_SELECTION


@compat.sql_constraints
class ItssSlaPolicy(models.Model):
    """Response and resolution targets for the tickets of one priority, optionally
    only for some teams and/or categories, in the working time of a calendar."""

    _name = "itss.sla.policy"
    _description = "ITSS SLA Policy"
    _inherit = ["mail.thread", "itss.retarget.mixin"]
    _order = "company_id, priority, sequence, id"
    _itss_retarget_fields = {
        "active",
        "company_id",
        "priority",
        "sequence",
        "team_ids",
        "category_ids",
        "response_minutes",
        "resolve_hours",
        "calendar_id",
        "contract_id",
    }
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    priority = fields.Selection(
        PRIORITY_SELECTION, required=True, index=True, tracking=True
    )
    contract_id = fields.Many2one(
        "itss.service.contract",
        string="Service Contract",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        ondelete="cascade",
        help="Only for the tickets logged under this contract, before any policy of "
        "the company. Empty: the company's policy.",
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams",
        tracking=True,
        help="Only for tickets of these teams; empty: every team.",
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        string="Categories",
        tracking=True,
        help="Only for tickets of these categories; empty: every category.",
    )
    response_minutes = fields.Integer(
        required=True,
        tracking=True,
        help="Working minutes from logging to the first response.",
    )
    resolve_hours = fields.Float(
        required=True,
        tracking=True,
        help="Working hours from logging to resolution (pauses excluded).",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        tracking=True,
        help="Targets count the working time of this calendar, in its time zone, "
        "without its leaves and public holidays. Empty: around the clock (24x7).",
    )

    _sql_constraints = [
        (
            "response_positive",
            "CHECK(response_minutes > 0)",
            "The response target must be positive.",
        ),
        (
            "resolve_positive",
            "CHECK(resolve_hours > 0)",
            "The resolution target must be positive.",
        ),
    ]

    @api.constrains("response_minutes", "resolve_hours")
    def _check_targets(self):
        for policy in self:
            if policy.response_minutes > policy.resolve_hours * 60:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: the response target cannot be longer "
                        "than the resolution target.",
                        policy=policy.name,
                    )
                )

    @api.onchange("contract_id")
    def _onchange_contract_id(self):
        if self.contract_id and not self.calendar_id:
            self.calendar_id = self.contract_id.calendar_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("contract_id") and "calendar_id" not in vals:
                # a contract's policy counts its support hours unless told otherwise
                contract = self.env["itss.service.contract"].browse(vals["contract_id"])
                vals["calendar_id"] = contract.calendar_id.id
        return super().create(vals_list)

    @api.model
    def _itss_find(self, tickets):
        """{ticket id: the most specific active policy for the ticket's company,
        contract and priority}: the contract's policies first, then team and category
        > team > category > company-wide."""
        policies = self.sudo().search(
            [
                ("company_id", "in", tickets.company_id.ids),
                (
                    "priority",
                    "in",
                    [p for p in set(tickets.mapped("itss_priority")) if p],
                ),
                ("contract_id", "in", [False, *tickets.itss_contract_id.ids]),
            ]
        )
        result = {}
        for ticket in tickets:
            best, best_rank = self.browse(), None
            for policy in policies:
                if (
                    policy.company_id != ticket.company_id
                    or policy.priority != ticket.itss_priority
                    or policy.contract_id
                    and policy.contract_id != ticket.itss_contract_id
                    or policy.team_ids
                    and ticket.team_id not in policy.team_ids
                    or policy.category_ids
                    and ticket.category_id not in policy.category_ids
                ):
                    continue
                rank = (
                    not policy.contract_id,
                    not policy.team_ids,
                    not policy.category_ids,
                    policy.sequence,
                    policy.id,
                )
                if best_rank is None or rank < best_rank:
                    best, best_rank = policy, rank
            result[ticket.id] = best
        return result

    # Working time arithmetic, in UTC naive datetimes as stored by the ORM.

    def _itss_add_minutes(self, start, offsets):
        """``start`` plus each of ``offsets`` (minutes) of working time of the policy's
        calendar, in its time zone and without its leaves (24x7 without a calendar),
        rounded to the second. The calendar's cached working time
        (``resource.calendar._itss_work_spans``) serves all offsets."""
        self.ensure_one()
        if not self.calendar_id:
            return [_round_second(start + timedelta(minutes=m)) for m in offsets]
        start_aware = start.replace(tzinfo=utc)
        order = sorted(range(len(offsets)), key=lambda i: offsets[i])
        result = [False] * len(offsets)
        done_minutes, pending = 0.0, list(order)
        for n in range(100):
            spans = self.calendar_id._itss_work_spans(
                start.date() + timedelta(days=14 * n)
            )
            for int_start, int_stop in spans:
                if int_stop <= start_aware:
                    continue
                int_start = max(int_start, start_aware)
                length = (int_stop - int_start).total_seconds() / 60.0
                while pending and offsets[pending[0]] - done_minutes <= length:
                    index = pending.pop(0)
                    moment = int_start + timedelta(
                        minutes=offsets[index] - done_minutes
                    )
                    result[index] = _round_second(
                        moment.astimezone(utc).replace(tzinfo=None)
                    )
                done_minutes += length
                if not pending:
                    return result
        return result

    def _itss_working_minutes(self, start, end):
        """Working minutes between ``start`` and ``end`` (0 if ``end`` is earlier)."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        if not self.calendar_id:
            return (end - start).total_seconds() / 60.0
        hours = self.calendar_id.get_work_hours_count(start, end, compute_leaves=True)
        return round(hours * 60.0, 4)


def _round_second(dt):
    if dt.microsecond >= 500000:
        dt += timedelta(seconds=1)
    return dt.replace(microsecond=0)

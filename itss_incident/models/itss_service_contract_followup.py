import random
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

from .. import compat
from ..tools import run_locked_batch

FOLLOWUP_MODE_SELECTION = [
    ("all", "Every closed ticket"),
    ("sample", "Monthly sample"),
]
FOLLOWUP_SAMPLE_TYPE_SELECTION = [
    ("percent", "Share of the month's closed tickets (%)"),
    ("count", "Number of tickets"),
]


@compat.sql_constraints
class ItssServiceContract(models.Model):
    """Follow-up visits per contract (DESIGN.md "Follow-up visits"): every closed
    ticket, or a monthly sample drawn at random (003 §6.2.10: "服务台每月对事件处理
    结果对客户进行抽访")."""

    _inherit = "itss.service.contract"

    followup_mode = fields.Selection(
        FOLLOWUP_MODE_SELECTION,
        string="Follow-up Visits",
        required=True,
        default="all",
        tracking=True,
        help="Every closed ticket is visited (scheduled when it closes), or on the "
        "1st of each month a sample of the previous month's closed tickets is drawn "
        "at random and visited.",
    )
    followup_sample_type = fields.Selection(
        FOLLOWUP_SAMPLE_TYPE_SELECTION,
        string="Sample",
        default="percent",
        tracking=True,
    )
    followup_sample_value = fields.Integer(
        string="Sample Size",
        default=30,
        tracking=True,
        help="A share in percent (rounded up to whole tickets) or a number of "
        "tickets (all of them when the month closed fewer).",
    )
    followup_sampled_month = fields.Date(
        string="Last Month Sampled",
        readonly=True,
        copy=False,
        help="The first day of the last month whose closed tickets were drawn: each "
        "month is drawn once.",
    )

    _sql_constraints = [
        (
            "followup_sample",
            "CHECK(followup_mode != 'sample' OR (followup_sample_value > 0 AND "
            "(followup_sample_type != 'percent' OR followup_sample_value <= 100)))",
            "A follow-up sample is a share between 1 and 100 % or a positive number "
            "of tickets.",
        ),
    ]

    @api.constrains("followup_mode", "followup_sample_type", "followup_sample_value")
    def _check_followup_sample(self):
        for contract in self.filtered(lambda c: c.followup_mode == "sample"):
            value = contract.followup_sample_value
            if not contract.followup_sample_type or value <= 0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: state the follow-up sample, a share "
                        "in percent or a number of tickets.",
                        contract=contract.display_name,
                    )
                )
            if contract.followup_sample_type == "percent" and value > 100:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: a follow-up share is at most 100 %%.",
                        contract=contract.display_name,
                    )
                )

    @api.model
    def _cron_itss_followup_sample(self, batch_size=20, contract_ids=None):
        """On the 1st of the month: draw the follow-up sample of the previous month
        for each contract in sample mode not drawn for it yet (the contract's last
        month sampled is the stored fact: a second run draws nothing). Daily, so
        that a day the cron could not run is caught up. ``contract_ids``: only
        these (tests on a shared database)."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        query = SQL(
            """
            SELECT id FROM itss_service_contract
             WHERE active
               AND followup_mode = 'sample'
               AND (followup_sampled_month IS NULL OR followup_sampled_month < %s)
               AND date_start < %s
               AND (date_end IS NULL OR date_end >= %s)
               %s
             ORDER BY id
             LIMIT %s
            """,
            month,
            month + relativedelta(months=1),
            month,
            SQL("AND id = ANY(%s)", list(contract_ids))
            if contract_ids is not None
            else SQL(),
            batch_size + 1,
        )

        def skip(contract):
            # the month is left undrawn; the next run goes on with the others
            contract.followup_sampled_month = month
            contract.message_post(
                body=self.env._(
                    "The follow-up sample of %(month)s could not be drawn.",
                    month=format_date(self.env, month, date_format="MMMM y"),
                ),
                subtype_xmlid="mail.mt_note",
            )

        run_locked_batch(
            self, query, batch_size, lambda c: c._itss_followup_draw(month), skip
        )

    def _itss_followup_bounds(self, month):
        """The UTC bounds of ``month`` in the contract's time zone (``_itss_tz``)."""
        self.ensure_one()
        tz = timezone(self._itss_tz())
        return tuple(
            tz.localize(datetime.combine(day, time.min))
            .astimezone(utc)
            .replace(tzinfo=None)
            for day in (month, month + relativedelta(months=1))
        )

    def _itss_followup_sample_size(self, closed):
        """How many of ``closed`` tickets the sample draws: a share rounded up to
        whole tickets (30 % of 7 is 3), or the number stated, at most all."""
        self.ensure_one()
        value = self.followup_sample_value
        if self.followup_sample_type == "percent":
            return min(closed, -(-closed * value // 100))
        return min(closed, value)

    def _itss_followup_draw(self, month, rng=None):
        """Draw the follow-up sample of ``month`` (its first day) at random (``rng``:
        a ``random.Random``, the system's by default) among the contract's tickets
        closed in that month, and schedule their follow-up visits. Once per month."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        if self.followup_sampled_month and self.followup_sampled_month >= month:
            return Ticket
        start, stop = self._itss_followup_bounds(month)
        closed = Ticket.search(
            [
                ("itss_contract_id", "=", self.id),
                ("itss_state", "=", "closed"),
                ("closed_date", ">=", start),
                ("closed_date", "<", stop),
                ("itss_close_origin", "not in", ("duplicate", "alert", "rejected")),
                ("itss_followup_sampled", "=", False),
            ],
            order="id",
        )
        size = self._itss_followup_sample_size(len(closed))
        drawn = Ticket.browse(
            sorted((rng or random.SystemRandom()).sample(closed.ids, size))
        )
        self.followup_sampled_month = month
        drawn._itss_set_facts({"itss_followup_sampled": True})
        drawn._itss_schedule_followup()
        self.message_post(
            body=self.env._(
                "Follow-up sample of %(month)s: %(drawn)s of %(closed)s closed tickets "
                "drawn.",
                month=format_date(self.env, month, date_format="MMMM y"),
                drawn=len(drawn),
                closed=len(closed),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return drawn

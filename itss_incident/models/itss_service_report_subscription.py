import base64
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..tools import run_locked_batch


@compat.sql_constraints
class ItssServiceReportSubscription(models.Model):
    """Who gets the monthly or quarterly service report of a contract, of a customer
    or of all customers; a contract's report (or one to review) is generated as a
    draft ``itss.service.report.issue`` that its project manager approves before it
    goes out."""

    _name = "itss.service.report.subscription"
    _description = "ITSS Service Report Subscription"
    _order = "id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    contract_id = fields.Many2one(
        "itss.service.contract",
        string="Service Contract",
        check_company=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The report of this contract's customer, reviewed by the contract's "
        "project manager before it goes out.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('is_company', '=', True)]",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The report covers this customer's tickets; empty: all customers.",
    )
    frequency = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly")],
        required=True,
        default="monthly",
        help="Monthly: the report of each calendar month; quarterly: of each calendar "
        "quarter, in the contract's (else the company's) time zone.",
    )
    review_required = fields.Boolean(
        string="Review Before Sending",
        compute="_compute_review_required",
        store=True,
        readonly=False,
        precompute=True,
        help="The report is generated as a draft that the contract's project manager "
        "(without one: an incident manager) approves before it is sent. Always on for "
        "a contract's report.",
    )
    tz = fields.Char(
        string="Time Zone",
        compute="_compute_tz",
        store=True,
        help="The time zone of the periods: the contract's, else the company's.",
    )
    issue_ids = fields.One2many(
        "itss.service.report.issue", "subscription_id", string="Reports"
    )
    recipient_ids = fields.Many2many("res.partner", string="Recipients", required=True)
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        required=True,
        default=lambda self: self.env.lang or "en_US",
    )
    last_period_start = fields.Date(
        string="Last Period",
        readonly=True,
        copy=False,
        index=True,
        help="The first day of the last period whose report was sent (or generated "
        "for review).",
    )
    retry_after = fields.Datetime(
        readonly=True,
        copy=False,
        help="Sending failed: the scheduled action tries again after this moment (the "
        "others go first).",
    )

    _sql_constraints = [
        (
            "contract_review",
            "CHECK(contract_id IS NULL OR review_required)",
            "A contract's service report is reviewed by its project manager before "
            "it is sent.",
        ),
    ]

    @api.depends("contract_id")
    def _compute_partner_id(self):
        for subscription in self:
            if subscription.contract_id:
                subscription.partner_id = subscription.contract_id.partner_id

    @api.depends("contract_id")
    def _compute_review_required(self):
        for subscription in self:
            subscription.review_required = bool(subscription.contract_id) or (
                subscription.review_required
            )

    @api.depends("contract_id.calendar_id.tz", "company_id.partner_id.tz")
    def _compute_tz(self):
        for subscription in self:
            subscription.tz = (
                subscription.contract_id._itss_tz()
                if subscription.contract_id
                else subscription.company_id.partner_id.tz or "Asia/Shanghai"
            )

    @api.model
    def _cron_itss_send_service_reports(self, batch_size=20):
        """Send (or, to be reviewed, generate as a draft) the report of the period that
        ended last for each subscription that has not had it; once per subscription
        and period, whatever runs twice or at once."""
        now = fields.Datetime.now()
        # the period that ended last, in the subscription's time zone: the same as
        # _itss_due_period computes
        query = SQL(
            """
            SELECT id FROM itss_service_report_subscription
             WHERE active
               AND (retry_after IS NULL OR retry_after <= %(now)s)
               AND (last_period_start IS NULL OR last_period_start < (
                    date_trunc(
                        CASE frequency WHEN 'quarterly' THEN 'quarter' ELSE 'month' END,
                        (%(now)s AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(tz, 'UTC')
                    ) - CASE frequency WHEN 'quarterly' THEN interval '3 months'
                                       ELSE interval '1 month' END
                   )::date)
             ORDER BY id
             LIMIT %(limit)s
            """,
            now=now,
            limit=batch_size + 1,
        )

        def send(subscription):
            period_start = subscription._itss_due_period(now)
            if subscription.review_required:
                subscription._itss_make_draft(period_start)
            else:
                subscription._itss_send(period_start)
            if subscription.retry_after:
                subscription.retry_after = False

        def retry_later(subscription):
            # a subscription that keeps failing must not starve the others
            subscription.retry_after = now + timedelta(hours=1)

        run_locked_batch(self, query, batch_size, send, retry_later)

    def _itss_due_period(self, now):
        """The first day of the period (month or quarter) that ended last at ``now``
        (UTC), in the subscription's time zone."""
        self.ensure_one()
        today = utc.localize(now).astimezone(timezone(self.tz or "UTC")).date()
        if self.frequency == "quarterly":
            start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            return start - relativedelta(months=3)
        return today.replace(day=1) - relativedelta(months=1)

    def _itss_period_end(self, period_start):
        """The last day (included) of the period that starts on ``period_start``."""
        self.ensure_one()
        months = 3 if self.frequency == "quarterly" else 1
        return period_start + relativedelta(months=months, days=-1)

    def _itss_report_params(self, period_start):
        """The report of the period, as parameters of ``_itss_values``."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "period": "quarter" if self.frequency == "quarterly" else "month",
            "date_from": period_start,
            "date_to": self._itss_period_end(period_start),
            "lang": self.lang,
        }

    def _itss_make_draft(self, period_start):
        """The report of the period, as a draft to review (once per period)."""
        self.ensure_one()
        self.env["itss.service.report.issue"]._itss_generate(self, period_start)
        self.last_period_start = period_start

    def _itss_send(self, period_start):
        self.ensure_one()
        date_to = self._itss_period_end(period_start)
        Data = self.env["itss.service.report.data"].with_context(lang=self.lang)
        pdf = Data._itss_pdf(self._itss_report_params(period_start))
        attachment = self.env["ir.attachment"].create(
            {
                "name": Data._itss_file_name(period_start, date_to) + ".pdf",
                "datas": base64.b64encode(pdf),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        template = self.env.ref("itss_incident.mail_template_itss_service_report")
        template.with_context(lang=self.lang, itss_period=period_start).send_mail(
            self.id,
            email_values={
                "recipient_ids": [(6, 0, self.recipient_ids.ids)],
                "attachment_ids": [(4, attachment.id)],
            },
        )
        self.last_period_start = period_start

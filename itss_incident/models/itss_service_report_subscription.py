import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import run_locked_batch


class ItssServiceReportSubscription(models.Model):
    """Who gets the monthly service report of a customer (or of all customers)."""

    _name = "itss.service.report.subscription"
    _description = "ITSS Monthly Service Report Subscription"
    _order = "id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('is_company', '=', True)]",
        help="The report covers this customer's tickets; empty: all customers.",
    )
    recipient_ids = fields.Many2many("res.partner", string="Recipients", required=True)
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        required=True,
        default=lambda self: self.env.lang or "en_US",
    )
    last_period_start = fields.Date(
        string="Last Month Sent",
        readonly=True,
        copy=False,
        index=True,
        help="The first day of the last month whose report was sent.",
    )
    retry_after = fields.Datetime(
        readonly=True,
        copy=False,
        help="Sending failed: the scheduled action tries again after this moment (the "
        "others go first).",
    )

    @api.model
    def _cron_itss_send_service_reports(self, batch_size=20):
        """Send last month's report to each subscription that has not had it; once per
        subscription and month, whatever runs twice or at once."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        period_start = today.replace(day=1) - relativedelta(months=1)
        query = SQL(
            """
            SELECT id FROM itss_service_report_subscription
             WHERE active AND (last_period_start IS NULL OR last_period_start < %s)
               AND (retry_after IS NULL OR retry_after <= %s)
             ORDER BY id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            period_start,
            now,
            batch_size + 1,
        )

        def send(subscription):
            subscription._itss_send(period_start)
            if subscription.retry_after:
                subscription.retry_after = False

        def retry_later(subscription):
            # a subscription that keeps failing must not starve the others
            subscription.retry_after = now + timedelta(hours=1)

        run_locked_batch(self, query, batch_size, send, retry_later)

    def _itss_send(self, period_start):
        self.ensure_one()
        date_to = period_start + relativedelta(months=1, days=-1)
        Data = self.env["itss.service.report.data"].with_context(lang=self.lang)
        pdf = Data._itss_pdf(
            {
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "period": "month",
                "date_from": period_start,
                "date_to": date_to,
                "lang": self.lang,
            }
        )
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

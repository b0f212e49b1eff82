from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .. import compat

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@compat.sql_constraints
class ItssServiceReportIssue(models.Model):
    """One service report (服务报告) of a subscription and period, reviewed before it
    goes out (000 §9, 003 §6.2.11): the scheduled action generates it as a draft with
    its PDF and XLSX, the contract's project manager (without one: an incident
    manager) approves it, then it is mailed to the subscription's recipients."""

    _name = "itss.service.report.issue"
    _description = "ITSS Service Report Issue"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"
    # everyone who reads a report may discuss it; its facts change through the
    # actions only (no user writes it)
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    subscription_id = fields.Many2one(
        "itss.service.report.subscription",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="subscription_id.company_id", store=True, index=True
    )
    contract_id = fields.Many2one(
        related="subscription_id.contract_id", store=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index="btree_not_null"
    )
    frequency = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly")],
        required=True,
        readonly=True,
    )
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(
        string="Period End (included)", required=True, readonly=True
    )
    recipient_ids = fields.Many2many(related="subscription_id.recipient_ids")
    reviewer_id = fields.Many2one(
        "res.users",
        compute="_compute_reviewer_id",
        help="Who approves this report: the contract's project manager; empty: the "
        "company's incident managers.",
    )
    state = fields.Selection(
        [
            ("draft", "To Review"),
            ("approved", "Approved"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    generated_date = fields.Datetime(
        string="Figures Of",
        readonly=True,
        help="When the figures were computed (generated or regenerated).",
    )
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="XLSX", readonly=True)
    approver_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, tracking=True
    )
    approval_date = fields.Datetime(string="Approved On", readonly=True, tracking=True)
    mail_id = fields.Many2one("mail.mail", readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True, tracking=True)

    _sql_constraints = [
        (
            "subscription_period_uniq",
            "UNIQUE(subscription_id, period_start)",
            "A subscription has one report per period.",
        ),
    ]

    @api.depends("subscription_id.name", "period_start", "period_end", "frequency")
    def _compute_name(self):
        for issue in self:
            if not issue.period_start:
                issue.name = False
                continue
            issue.name = self.env._(
                "%(subscription)s: %(start)s - %(end)s",
                subscription=issue.subscription_id.name,
                start=format_date(self.env, issue.period_start),
                end=format_date(self.env, issue.period_end),
            )

    @api.depends("contract_id.user_id")
    def _compute_reviewer_id(self):
        for issue in self:
            issue.reviewer_id = issue.contract_id.user_id

    def action_approve(self):
        """The reviewer approves the report: it is recorded and sent."""
        self._itss_check_reviewer()
        for issue in self:
            if issue.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a report to review can be approved: %(report)s is "
                        "%(state)s.",
                        report=issue.display_name,
                        state=issue._itss_state_label(),
                    )
                )
        self.sudo().write(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "approval_date": fields.Datetime.now(),
            }
        )
        self.sudo().activity_feedback(
            ["itss_incident.mail_act_itss_service_report_review"]
        )
        self.sudo()._itss_mail()
        return True

    def action_send(self):
        """Send an approved report (again, if its mail could not be queued)."""
        self._itss_check_reviewer()
        for issue in self:
            if issue.state != "approved":
                raise UserError(
                    self.env._(
                        "Only an approved report is sent: %(report)s is %(state)s.",
                        report=issue.display_name,
                        state=issue._itss_state_label(),
                    )
                )
        self.sudo()._itss_mail()
        return True

    def action_regenerate(self):
        """Compute the figures of a draft again (as of now) before approving it."""
        self._itss_check_reviewer()
        for issue in self:
            if issue.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a report to review can be regenerated: %(report)s is "
                        "%(state)s.",
                        report=issue.display_name,
                        state=issue._itss_state_label(),
                    )
                )
        self.sudo()._itss_render()
        return True

    def action_cancel(self):
        """This report does not go out."""
        self._itss_check_reviewer()
        for issue in self:
            if issue.state not in ("draft", "approved"):
                raise UserError(
                    self.env._(
                        "A sent or cancelled report cannot be cancelled: %(report)s "
                        "is %(state)s.",
                        report=issue.display_name,
                        state=issue._itss_state_label(),
                    )
                )
        self.sudo().state = "cancelled"
        self.sudo().activity_unlink(
            ["itss_incident.mail_act_itss_service_report_review"]
        )
        return True

    @api.model
    def _itss_generate(self, subscription, period_start):
        """The draft report of ``subscription`` for the period starting on
        ``period_start``, with its files and a review activity; the existing one if
        it was generated already."""
        existing = self.sudo().search(
            [
                ("subscription_id", "=", subscription.id),
                ("period_start", "=", period_start),
            ]
        )
        if existing:
            return existing
        issue = self.sudo().create(
            {
                "subscription_id": subscription.id,
                "partner_id": subscription.partner_id.id,
                "frequency": subscription.frequency,
                "period_start": period_start,
                "period_end": subscription._itss_period_end(period_start),
            }
        )
        issue._itss_render()
        issue._itss_activity_schedule()
        return issue

    def _itss_render(self):
        """(Re)compute the PDF and the XLSX of the reports, figures as of now."""
        Attachment = self.env["ir.attachment"].sudo()
        for issue in self:
            subscription = issue.subscription_id
            params = dict(
                subscription._itss_report_params(issue.period_start),
                partner_id=issue.partner_id.id,
            )
            Data = (
                self.env["itss.service.report.data"]
                .sudo()
                .with_company(issue.company_id)
                .with_context(lang=subscription.lang)
            )
            file_name = Data._itss_file_name(issue.period_start, issue.period_end)
            pdf = Data._itss_pdf(params)
            xlsx = Data._itss_xlsx(Data._itss_values(**params))
            old = issue.pdf_attachment_id | issue.xlsx_attachment_id
            files = Attachment.create(
                [
                    {
                        "name": file_name + ".pdf",
                        "raw": pdf,
                        "res_model": issue._name,
                        "res_id": issue.id,
                        "mimetype": "application/pdf",
                    },
                    {
                        "name": file_name + ".xlsx",
                        "raw": xlsx,
                        "res_model": issue._name,
                        "res_id": issue.id,
                        "mimetype": XLSX_MIMETYPE,
                    },
                ]
            )
            issue.write(
                {
                    "pdf_attachment_id": files[0].id,
                    "xlsx_attachment_id": files[1].id,
                    "generated_date": fields.Datetime.now(),
                }
            )
            old.unlink()

    def _itss_mail(self):
        """Queue the mail of approved reports to their recipients, with the PDF and
        the XLSX; mark them sent."""
        template = self.env.ref("itss_incident.mail_template_itss_service_report_issue")
        for issue in self:
            recipients = issue.subscription_id.recipient_ids
            if not recipients.filtered("email"):
                raise UserError(
                    self.env._(
                        "%(report)s has no recipient with an email address: add one "
                        "to its subscription %(subscription)s, then send it.",
                        report=issue.display_name,
                        subscription=issue.subscription_id.display_name,
                    )
                )
            attachments = issue.pdf_attachment_id | issue.xlsx_attachment_id
            mail_id = template.with_context(lang=issue.subscription_id.lang).send_mail(
                issue.id,
                email_values={
                    "recipient_ids": [(6, 0, recipients.ids)],
                    "attachment_ids": [(6, 0, attachments.ids)],
                },
            )
            issue.write(
                {
                    "state": "sent",
                    "mail_id": mail_id,
                    "sent_date": fields.Datetime.now(),
                }
            )

    def _itss_check_reviewer(self):
        """Only the contract's project manager or an incident manager acts on a
        report."""
        user = self.env.user
        if self.env.su or user.has_group("itss_incident.group_itss_incident_manager"):
            return
        for issue in self:
            if issue.contract_id.user_id != user:
                raise AccessError(
                    self.env._(
                        "Only the project manager of the contract (%(manager)s) or an "
                        "incident manager reviews the service report %(report)s.",
                        manager=issue.contract_id.user_id.name
                        or self.env._("none set"),
                        report=issue.display_name,
                    )
                )

    def _itss_reviewers(self):
        """Who reviews the report: the contract's project manager, else the company's
        incident managers."""
        self.ensure_one()
        if self.contract_id.user_id:
            return self.contract_id.user_id
        group = self.env.ref("itss_incident.group_itss_incident_manager")
        return compat.users_of(group.sudo()).filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )

    def _itss_activity_schedule(self):
        for issue in self:
            for user in issue._itss_reviewers():
                issue.activity_schedule(
                    "itss_incident.mail_act_itss_service_report_review",
                    user_id=user.id,
                )

    def _itss_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

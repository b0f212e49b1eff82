from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import ItssCase

REVIEW = "itss_incident.mail_act_itss_service_report_review"


class TestServiceReportReview(ItssCase):
    """A contract's service report: generated as a draft at the end of its month or
    quarter, approved by the contract's project manager, then mailed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo's subscriptions send on their own: not in these tests
        cls.env["itss.service.report.subscription"].search([]).active = False
        cls.env["itss.service.report.issue"].search([]).unlink()
        cls.pm = new_test_user(
            cls.env,
            login="itss_report_pm",
            name="Report PM",
            email="pm@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Review Customer", "is_company": True}
        )
        cls.cio = cls.env["res.partner"].create(
            {"name": "Customer CIO", "email": "cio@review.example.com"}
        )
        cls.contract = (
            cls.env["itss.service.contract"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Review contract",
                    "code": "REV-1",
                    "partner_id": cls.customer.id,
                    "date_start": "2026-01-01",
                    "user_id": cls.pm.id,
                }
            )
        )
        Subscription = cls.env["itss.service.report.subscription"].with_user(
            cls.manager
        )
        cls.monthly, cls.quarterly = Subscription.create(
            [
                {
                    "name": "Review monthly",
                    "contract_id": cls.contract.id,
                    "recipient_ids": [(6, 0, cls.cio.ids)],
                    "lang": "en_US",
                },
                {
                    "name": "Review quarterly",
                    "contract_id": cls.contract.id,
                    "frequency": "quarterly",
                    "recipient_ids": [(6, 0, cls.cio.ids)],
                    "lang": "en_US",
                },
            ]
        )
        cls.Issue = cls.env["itss.service.report.issue"]

    def _cron(self, **kwargs):
        self.env["itss.service.report.subscription"]._cron_itss_send_service_reports(
            **kwargs
        )

    def _mails(self):
        return self.env["mail.mail"].search([("recipient_ids", "in", self.cio.ids)])

    def _draft(self):
        with freeze_time("2026-12-01 02:00:00"):
            self._cron()
        return self.monthly.issue_ids

    def test_subscription_of_a_contract(self):
        self.assertEqual(self.monthly.partner_id, self.customer)
        self.assertTrue(self.monthly.review_required)
        self.assertEqual(self.monthly.tz, "Asia/Shanghai")
        self.assertEqual(
            self.contract.report_subscription_ids.ids,
            [self.monthly.id, self.quarterly.id],
        )
        arch = self.contract.get_view(view_type="form")["arch"]
        self.assertIn('name="report_subscription_ids"', arch)
        self.assertIn('name="action_itss_report_issues"', arch)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.monthly.review_required = False
                self.env.flush_all()

    def test_cron_makes_drafts_of_months_and_quarters(self):
        with freeze_time("2026-12-01 02:00:00"):
            self._cron()
            self._cron()
        monthly = self.monthly.issue_ids
        quarterly = self.quarterly.issue_ids
        self.assertEqual(len(monthly), 1, "run twice: one draft")
        self.assertEqual(
            (monthly.state, monthly.period_start, monthly.period_end),
            ("draft", date(2026, 11, 1), date(2026, 11, 30)),
        )
        # a quarterly report: the calendar quarter that ended last
        self.assertEqual(
            (quarterly.state, quarterly.period_start, quarterly.period_end),
            ("draft", date(2026, 7, 1), date(2026, 9, 30)),
        )
        self.assertEqual(monthly.partner_id, self.customer)
        self.assertEqual(monthly.reviewer_id, self.pm)
        self.assertEqual(
            monthly.pdf_attachment_id.name,
            "Service report 2026-11-01 - 2026-11-30.pdf",
        )
        self.assertEqual(
            monthly.xlsx_attachment_id.name,
            "Service report 2026-11-01 - 2026-11-30.xlsx",
        )
        self.assertFalse(self._mails(), "a draft never goes out by itself")
        activity = monthly.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref(REVIEW))
        self.assertEqual(activity.user_id, self.pm)
        # 23:00 on 31 December in Shanghai: December has not ended there
        with freeze_time("2026-12-31 15:00:00"):
            self._cron()
        self.assertEqual(len(self.monthly.issue_ids), 1)
        self.assertEqual(len(self.quarterly.issue_ids), 1)
        # 00:30 on 1 January in Shanghai, still 31 December in UTC
        with freeze_time("2026-12-31 16:30:00"):
            self._cron()
            self._cron()
        self.assertEqual(
            sorted(self.monthly.issue_ids.mapped("period_start")),
            [date(2026, 11, 1), date(2026, 12, 1)],
        )
        fourth = self.quarterly.issue_ids.filtered(
            lambda i: i.period_start == date(2026, 10, 1)
        )
        self.assertEqual(len(self.quarterly.issue_ids), 2)
        self.assertEqual(fourth.period_end, date(2026, 12, 31))
        self.assertEqual(self.quarterly.last_period_start, date(2026, 10, 1))

    def test_project_manager_approves_and_it_is_sent(self):
        draft = self._draft()
        as_pm = draft.with_user(self.pm)
        self.assertEqual(as_pm.state, "draft", "the PM reads his contract's reports")
        with freeze_time("2026-12-02 01:00:00"):
            as_pm.action_approve()
        self.assertEqual(draft.state, "sent")
        self.assertEqual(draft.approver_id, self.pm)
        self.assertEqual(draft.approval_date, datetime(2026, 12, 2, 1, 0))
        self.assertEqual(draft.sent_date, datetime(2026, 12, 2, 1, 0))
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail, draft.mail_id)
        self.assertEqual(mail.state, "outgoing", "queued")
        self.assertEqual(mail.recipient_ids, self.cio)
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            [
                "Service report 2026-11-01 - 2026-11-30.pdf",
                "Service report 2026-11-01 - 2026-11-30.xlsx",
            ],
        )
        self.assertIn("2026-11-01", mail.subject)
        self.assertIn("Report PM", mail.body_html)
        self.assertFalse(draft.activity_ids, "the review is done")
        with self.assertRaisesRegex(UserError, "Only a report to review"):
            as_pm.action_approve()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            as_pm.action_cancel()
        with freeze_time("2026-12-03 02:00:00"):
            self._cron()
        self.assertEqual(len(self._mails()), 1, "sent once")

    def test_the_screens_open_for_who_acts_and_reads(self):
        draft = self._draft()
        for user in (self.pm, self.agent, self.manager):
            with self.subTest(user=user.name):
                Issue = self.Issue.with_user(user)
                views = Issue.get_views([(False, "list"), (False, "form")])
                form = views["views"]["form"]
                spec = {
                    name: {"fields": {"display_name": {}}}
                    if Issue._fields[name].type in ("many2one", "many2many")
                    else {}
                    for name in views["models"][Issue._name]["fields"]
                    if name in form["arch"]
                }
                [values] = draft.with_user(user).web_read(spec)
                self.assertEqual(values["state"], "draft")
                self.assertEqual(
                    values["subscription_id"]["display_name"], "Review monthly"
                )
                self.assertEqual(
                    values["pdf_attachment_id"]["display_name"],
                    "Service report 2026-11-01 - 2026-11-30.pdf",
                )
                self.assertEqual(
                    Issue.search_count([("state", "=", "draft")]),
                    2,
                    "he sees this month's and the quarter's drafts",
                )
        self.assertFalse(
            self.Issue.with_user(self.engineer).search([]),
            "an engineer sees no report of another's contract",
        )
        # the contract's form, for who reads contracts
        for user, count in ((self.engineer, 0), (self.pm, 2), (self.agent, 2)):
            with self.subTest(user=user.name):
                Contract = self.env["itss.service.contract"].with_user(user)
                view = Contract.get_views([(False, "form")])
                fields = view["models"][Contract._name]["fields"]
                spec = {
                    name: {"fields": {"display_name": {}}}
                    if fields[name]["type"] in ("many2one", "many2many", "one2many")
                    else {}
                    for name in fields
                }
                [values] = self.contract.with_user(user).web_read(spec)
                self.assertEqual(values["report_issue_count"], count)
                self.assertEqual(
                    "report_subscription_ids" in values, user == self.agent
                )
                if count:
                    action = self.contract.with_user(user).action_itss_report_issues()
                    self.assertEqual(
                        Contract.env[action["res_model"]].search_count(
                            action["domain"]
                        ),
                        count,
                    )

    def test_only_the_project_manager_or_an_incident_manager_approves(self):
        draft = self._draft()
        with self.assertRaises(AccessError):
            draft.with_user(self.engineer).action_approve()
        # the service desk reads every report but does not approve it
        self.assertEqual(draft.with_user(self.agent).state, "draft")
        for action in ("action_approve", "action_regenerate", "action_cancel"):
            with self.assertRaisesRegex(AccessError, "Only the project manager"):
                getattr(draft.with_user(self.agent), action)()
        self.assertEqual(draft.state, "draft")
        self.assertFalse(self._mails())
        # the facts change through the buttons only, whoever writes them
        for user in (self.manager, self.pm):
            with self.assertRaises(AccessError):
                draft.with_user(user).write({"state": "sent"})
        draft.with_user(self.pm).message_post(body="Figures checked")
        draft.with_user(self.manager).action_approve()
        self.assertEqual(draft.approver_id, self.manager)
        self.assertEqual(len(self._mails()), 1)

    def test_regenerate_and_cancel_a_draft(self):
        draft = self._draft()
        old_files = draft.pdf_attachment_id | draft.xlsx_attachment_id
        with freeze_time("2026-12-05 03:00:00"):
            draft.with_user(self.pm).action_regenerate()
        self.assertEqual(draft.generated_date, datetime(2026, 12, 5, 3, 0))
        self.assertFalse(old_files.exists(), "the files of the old figures are gone")
        self.assertTrue(draft.pdf_attachment_id and draft.xlsx_attachment_id)
        self.assertEqual(draft.state, "draft", "still to review")
        draft.with_user(self.pm).action_cancel()
        self.assertEqual(draft.state, "cancelled")
        self.assertFalse(draft.activity_ids)
        with self.assertRaisesRegex(UserError, "Only a report to review"):
            draft.with_user(self.pm).action_approve()
        with self.assertRaisesRegex(UserError, "Only a report to review"):
            draft.with_user(self.pm).action_regenerate()
        with self.assertRaisesRegex(UserError, "Only an approved report"):
            draft.with_user(self.pm).action_send()
        with freeze_time("2026-12-06 02:00:00"):
            self._cron()
        self.assertEqual(self.monthly.issue_ids, draft, "no new draft for the period")
        self.assertFalse(self._mails())

    def test_without_a_project_manager_the_incident_managers_review(self):
        self.quarterly.active = False
        self.monthly.active = False
        subscription = self.env["itss.service.report.subscription"].create(
            {
                "name": "Company-wide, reviewed",
                "review_required": True,
                "recipient_ids": [(6, 0, self.cio.ids)],
                "lang": "en_US",
            }
        )
        with freeze_time("2026-12-01 02:00:00"):
            self._cron()
        draft = subscription.issue_ids
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.partner_id, "all customers")
        self.assertIn(self.manager, draft.activity_ids.user_id)
        self.assertNotIn(self.pm, draft.activity_ids.user_id)
        with self.assertRaises(AccessError):
            draft.with_user(self.pm).action_approve()
        draft.with_user(self.manager).action_approve()
        self.assertEqual(len(self._mails()), 1)

    def test_no_recipient_address(self):
        draft = self._draft()
        self.cio.email = False
        with self.assertRaisesRegex(UserError, "no recipient with an email"):
            draft.with_user(self.pm).action_approve()

    @mute_logger("odoo.addons.itss_incident.tools.cron_batch")
    def test_a_failing_subscription_does_not_block_the_others(self):
        Subscription = type(self.env["itss.service.report.subscription"])
        original = Subscription._itss_make_draft
        broken = self.monthly

        def make_draft(subscription, period_start):
            if subscription == broken:
                raise ValueError("report engine down")
            return original(subscription, period_start)

        with patch.object(Subscription, "_itss_make_draft", make_draft):
            with freeze_time("2026-12-01 02:00:00"):
                self._cron(batch_size=1)
                self.assertTrue(broken.retry_after)
                self._cron(batch_size=1)
                self._cron(batch_size=1)
        self.assertFalse(broken.issue_ids)
        self.assertEqual(len(self.quarterly.issue_ids), 1, "the other got its draft")
        with freeze_time("2026-12-01 03:30:00"):
            self._cron()
        self.assertEqual(broken.issue_ids.period_start, date(2026, 11, 1))
        self.assertFalse(broken.retry_after)

"""Two workers generating the service reports at once, on committed data in separate
cursors (the test cursor is shared, so these tests open their own and clean up)."""

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestServiceReportConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            pm = env["res.users"].create(
                {"login": "itss_conc_report_pm", "name": "Concurrency report PM"}
            )
            customer = env["res.partner"].create(
                {"name": "Concurrency report customer", "is_company": True}
            )
            recipient = env["res.partner"].create(
                {"name": "Concurrency CIO", "email": "cio@conc.example.com"}
            )
            contract = env["itss.service.contract"].create(
                {
                    "name": "Concurrency report contract",
                    "partner_id": customer.id,
                    "date_start": "2026-01-01",
                    "user_id": pm.id,
                }
            )
            subscription = env["itss.service.report.subscription"].create(
                {
                    "name": "Concurrency monthly",
                    "contract_id": contract.id,
                    "recipient_ids": [(6, 0, recipient.ids)],
                    "lang": "en_US",
                }
            )
            self.ids = {
                "user": pm.id,
                "partners": (customer | recipient | pm.partner_id).ids,
                "contract": contract.id,
                "subscription": subscription.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            subscription = env["itss.service.report.subscription"].browse(
                self.ids["subscription"]
            )
            subscription.issue_ids.unlink()
            subscription.unlink()
            env["itss.service.contract"].browse(self.ids["contract"]).unlink()
            env["res.users"].browse(self.ids["user"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()

    def _drafts(self, env):
        return env["itss.service.report.issue"].search_count(
            [("subscription_id", "=", self.ids["subscription"])]
        )

    def test_two_workers_make_one_draft(self):
        """The first worker holds the subscription; the second skips it (it does
        not wait, nor make a second draft); the first one, run again, makes no
        second draft either. Nothing of the workers is committed."""
        with (
            freeze_time("2026-12-01 02:00:00"),
            self.registry.cursor() as cr_a,
            self.registry.cursor() as cr_b,
        ):
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # a worker that waited on a lock instead of skipping fails here
            cr_b.execute("SET LOCAL lock_timeout = '5s'")
            Subscription = "itss.service.report.subscription"
            env_a[Subscription]._cron_itss_send_service_reports()
            self.assertEqual(self._drafts(env_a), 1)
            env_b[Subscription]._cron_itss_send_service_reports()
            self.assertEqual(self._drafts(env_b), 0, "the second worker skipped it")
            self.assertFalse(
                env_b[Subscription].browse(self.ids["subscription"]).last_period_start
            )
            env_a[Subscription]._cron_itss_send_service_reports()
            self.assertEqual(self._drafts(env_a), 1, "one draft per period")
            cr_b.rollback()
            cr_a.rollback()

"""Two workers at once, on committed data in separate cursors.

TransactionCase and HttpCase share one test cursor, so these tests open their own
cursors from the registry, commit, and clean up after themselves.
"""

import threading
import time
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.itss_incident import compat


@tagged("post_install", "-at_install")
class TestCronConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # no major incident process for this P1 ticket (restored in the clean-up)
            self.major_priority = env.company.itss_major_priority
            env.company.itss_major_priority = "0"
            pm = env["res.users"].create(
                {
                    "login": "itss_conc_pm",
                    "name": "Concurrency PM",
                    "email": "pm@example.com",
                }
            )
            pm.partner_id[compat.MOBILE] = "+86 138 9999 0001"
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Concurrency L1",
                    "itss_tier": "1",
                    "itss_project_manager_id": pm.id,
                    "itss_director_id": pm.id,
                    "itss_leader_id": pm.id,
                }
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Concurrency P1",
                    "description": "<p>x</p>",
                    "team_id": team.id,
                    "user_id": False,
                    "itss_impact": "1",
                    "itss_urgency": "1",
                    "itss_logged_date": fields.Datetime.now() - timedelta(minutes=2),
                }
            )
            self.ids = {
                "user": pm.id,
                "partner": pm.partner_id.id,
                "team": team.id,
                "ticket": ticket.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(self.ids["ticket"])
            env["sms.sms"].search([("partner_id", "=", self.ids["partner"])]).unlink()
            env["mail.activity"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ).unlink()
            ticket.unlink()
            env["helpdesk.ticket.team"].browse(self.ids["team"]).unlink()
            user = env["res.users"].browse(self.ids["user"])
            partner = user.partner_id
            user.unlink()
            partner.unlink()
            env.company.itss_major_priority = self.major_priority

    def _log_count(self, cr):
        cr.execute(
            "SELECT count(*) FROM itss_escalation_log WHERE ticket_id = %s",
            [self.ids["ticket"]],
        )
        return cr.fetchone()[0]

    def test_two_cron_workers_at_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["helpdesk.ticket"]._cron_itss_escalate()
            # the second worker runs while the first holds the ticket: it skips it
            env2["helpdesk.ticket"]._cron_itss_escalate()
            self.assertEqual(self._log_count(cr2), 0)
            cr2.commit()
            cr1.commit()
            sent = self._log_count(cr1)
            self.assertEqual(sent, 6, "PM, D, L by SMS and phone")
            # and once the first has committed, nothing is left for the second
            env2.invalidate_all()
            env2["helpdesk.ticket"]._cron_itss_escalate()
            cr2.commit()
            self.assertEqual(self._log_count(cr2), sent)
            cr2.execute(
                "SELECT count(*) FROM sms_sms WHERE partner_id = %s",
                [self.ids["partner"]],
            )
            self.assertEqual(cr2.fetchone()[0], 3)

    def test_same_due_point_from_two_transactions(self):
        """Two transactions logging the same due point: the second waits for the first
        and then writes nothing. Under Odoo's REPEATABLE READ it may instead fail with a
        serialization error, which makes Odoo retry the whole transaction: either way
        there is one row and one effect."""
        result = {}
        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            ticket1 = env1["helpdesk.ticket"].browse(self.ids["ticket"])
            self.assertTrue(ticket1._itss_log("sla_breach", None, 2, "email", "first"))

            def second():
                with self.registry.cursor() as cr2:
                    env2 = api.Environment(cr2, SUPERUSER_ID, {})
                    ticket2 = env2["helpdesk.ticket"].browse(self.ids["ticket"])
                    try:
                        result["log"] = bool(
                            ticket2._itss_log("sla_breach", None, 2, "email", "second")
                        )
                        cr2.commit()
                    except SerializationFailure:
                        result["log"] = "retry"
                        cr2.rollback()
                    except Exception as error:  # noqa: BLE001 - reported below
                        result["error"] = repr(error)
                        cr2.rollback()

            worker = threading.Thread(target=second)
            worker.start()
            # wait (with a deadline) until the second transaction blocks on the index;
            # PostgreSQL keeps a transaction's first view of pg_stat_activity until it
            # ends, so every look is its own transaction
            deadline = time.monotonic() + 30
            with self.registry.cursor() as watch:
                while time.monotonic() < deadline:
                    watch.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND query LIKE "
                        "'%%itss_escalation_log%%'"
                    )
                    waiting = watch.fetchone()[0]
                    watch.rollback()
                    if waiting or not worker.is_alive():
                        break
                    time.sleep(0.05)
                else:
                    self.fail("the second transaction never waited")
            self.assertNotIn("error", result)
            self.assertTrue(worker.is_alive(), "the second transaction never waited")
            cr1.commit()
        worker.join(30)
        self.assertFalse(worker.is_alive())
        self.assertIn(result["log"], (False, "retry"))
        with self.registry.cursor() as cr:
            self.assertEqual(self._log_count(cr), 1)

    def test_a_ticket_changed_since_the_snapshot_is_left_for_the_next_run(self):
        """Under REPEATABLE READ, locking a due ticket that another worker updated
        after this transaction's snapshot fails the whole SELECT ... FOR UPDATE (seen
        under bin/bench --load: the run failed and waited a minute). The batch then
        locks its tickets one by one: the changed one is left to the next run, the
        others are handled now."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            first = env["helpdesk.ticket"].browse(self.ids["ticket"])
            other = first.copy(
                {
                    "name": "Concurrency P1, the other",
                    "itss_logged_date": first.itss_logged_date,
                }
            )
            other_id = other.id
        self.addCleanup(self._cleanup_ticket, other_id)
        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            cr1.execute("SELECT 1")  # the snapshot of the cron's transaction
            with self.registry.cursor() as cr2:
                cr2.execute(
                    "UPDATE helpdesk_ticket SET name = name || ' (edited)' "
                    "WHERE id = %s",
                    [self.ids["ticket"]],
                )
            env1["helpdesk.ticket"]._cron_itss_escalate()
            cr1.commit()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT ticket_id, count(*) FROM itss_escalation_log "
                "WHERE ticket_id IN %s GROUP BY ticket_id",
                [(self.ids["ticket"], other_id)],
            )
            counts = dict(cr.fetchall())
        self.assertNotIn(self.ids["ticket"], counts, "left to the next run")
        self.assertEqual(counts.get(other_id), 6, "the other is handled now")
        with self.registry.cursor() as cr3:
            env3 = api.Environment(cr3, SUPERUSER_ID, {})
            env3["helpdesk.ticket"]._cron_itss_escalate()
            cr3.commit()
            self.assertEqual(self._log_count(cr3), 6, "and the next run does it")

    def _cleanup_ticket(self, ticket_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(ticket_id)
            env["mail.activity"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id)]
            ).unlink()
            ticket.unlink()

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from datetime import timedelta

import requests
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

ALERTMANAGER = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
AMTOOL = shutil.which("amtool")


def alertmanager_payload(
    status="firing", fingerprint="fp1", labels=None, ends_at=None, group_key=None
):
    labels = labels or {
        "alertname": "DiskFull",
        "instance": "db01:9100",
        "severity": "critical",
    }
    return {
        "version": "4",
        "groupKey": group_key or '{}:{alertname="DiskFull"}',
        "status": status,
        "receiver": "odoo",
        "alerts": [
            {
                "status": status,
                "labels": labels,
                "annotations": {"summary": "Disk almost full"},
                "startsAt": "2026-11-20T08:00:00Z",
                "endsAt": ends_at or "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.example.com/graph?g0.expr=disk",
                "fingerprint": fingerprint,
            }
        ],
    }


class AlertMixin:
    @classmethod
    def _make_source(cls, env, company=None, **vals):
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Alert L1",
                "itss_tier": "1",
                **({"company_id": company.id} if company else {}),
            }
        )
        source = env["itss.alert.source"].create(
            dict(
                {
                    "name": "Test Alertmanager",
                    "team_id": team.id,
                    **({"company_id": company.id} if company else {}),
                },
                **vals,
            )
        )
        action = source.action_generate_token()
        token = env["itss.alert.source.token"].browse(action["res_id"]).token
        return source, token


@tagged("post_install", "-at_install")
class TestAlertIntake(AlertMixin, TransactionCase):
    """The model side: parsing, deduplication and the lifecycle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "0"  # no major incident process here
        cls.source, cls.token = cls._make_source(cls.env)

    def _ingest(self, payload, when="2026-11-20 08:01:00"):
        with freeze_time(when):
            counts = self.source._itss_ingest(self.source._itss_parse(payload))
            self.env.flush_all()
        return counts

    def _tickets(self):
        return self.env["helpdesk.ticket"].search(
            [("itss_alert_source_id", "=", self.source.id)], order="id"
        )

    def test_token_is_hashed_and_checked(self):
        self.assertTrue(self.source._itss_check_token(self.token))
        self.assertFalse(self.source._itss_check_token("wrong"))
        self.assertFalse(self.source._itss_check_token(None))
        self.assertNotIn(self.token, self.source.sudo().token_hash)
        self.assertEqual(self.source.token_hint, "…" + self.token[-4:])

    def test_new_alert_then_repeat_then_clear(self):
        self.assertEqual(self._ingest(alertmanager_payload())["created"], 1)
        ticket = self._tickets()
        self.assertTrue(ticket.itss_auto_generated)
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("itss_incident.helpdesk_ticket_channel_monitoring"),
        )
        self.assertEqual(ticket.itss_impact, "1", "severity critical")
        self.assertEqual(ticket.itss_priority, "1")
        self.assertIn("DiskFull", ticket.name)
        self.assertIn("Disk almost full", ticket.name)
        self.assertEqual(ticket.itss_alert_ci, "db01:9100")
        self.assertIn("db01:9100", ticket.description)
        self.assertIn("prometheus.example.com", ticket.description)
        self.assertEqual(ticket.itss_state, "new")
        # the same alert again: the same ticket
        counts = self._ingest(alertmanager_payload(), when="2026-11-20 08:06:00")
        self.assertEqual(counts, {"created": 0, "updated": 1, "resolved": 0})
        self.assertEqual(len(self._tickets()), 1)
        self.assertEqual(ticket.itss_alert_count, 2)
        # cleared: resolved at endsAt, closes after the quiet period without anyone
        self._ingest(
            alertmanager_payload("resolved", ends_at="2026-11-20T08:10:00Z"),
            when="2026-11-20 08:11:00",
        )
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(str(ticket.itss_recovery_date), "2026-11-20 08:10:00")
        self.assertIn("Alert cleared", ticket.itss_solution)
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-11-20 08:15:00"):
            Ticket._cron_itss_auto_close()
        self.assertEqual(ticket.itss_state, "resolved", "quiet period not over")
        with freeze_time("2026-11-20 08:22:00"):
            Ticket._cron_itss_auto_close()
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "alert")
        self.assertFalse(ticket.itss_satisfaction)
        # firing again after close: a new ticket that refers to the closed one
        self._ingest(alertmanager_payload(), when="2026-11-20 09:00:00")
        new = self._tickets() - ticket
        self.assertEqual(len(new), 1)
        self.assertEqual(new.itss_reopened_from_id, ticket)

    def test_flapping_goes_back_on_the_same_ticket(self):
        self._ingest(alertmanager_payload())
        ticket = self._tickets()
        self._ingest(
            alertmanager_payload("resolved", ends_at="2026-11-20T08:03:00Z"),
            when="2026-11-20 08:03:00",
        )
        self.assertEqual(ticket.itss_state, "resolved")
        self._ingest(alertmanager_payload(), when="2026-11-20 08:05:00")
        self.assertEqual(len(self._tickets()), 1)
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_auto_close_date)
        # it clears again, later than the first resolution (bin/bench --load found
        # the new recovery time checked against the first resolution's)
        self._ingest(
            alertmanager_payload("resolved", ends_at="2026-11-20T08:09:30Z"),
            when="2026-11-20 08:09:40",
        )
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(
            ticket.itss_recovery_date,
            fields.Datetime.to_datetime("2026-11-20 08:09:30"),
        )
        self.assertEqual(
            ticket.itss_resolved_date,
            fields.Datetime.to_datetime("2026-11-20 08:09:40"),
        )

    def test_worked_ticket_only_resolves(self):
        self._ingest(alertmanager_payload())
        ticket = self._tickets()
        engineer = self.env["res.users"].create(
            {
                "name": "Alert engineer",
                "login": "alert_engineer",
                compat.GROUPS: [
                    (6, 0, [self.env.ref("itss_incident.group_itss_engineer").id])
                ],
            }
        )
        ticket.team_id.user_ids = [(4, engineer.id)]
        ticket.with_user(engineer).action_itss_accept()
        self.assertTrue(ticket.itss_alert_touched)
        self._ingest(
            alertmanager_payload("resolved", ends_at="2026-11-20T08:10:00Z"),
            when="2026-11-20 08:11:00",
        )
        self.assertEqual(ticket.itss_state, "resolved")
        with freeze_time("2026-11-20 09:00:00"):
            self.env["helpdesk.ticket"]._cron_itss_auto_close()
        self.assertEqual(ticket.itss_state, "resolved", "waits for the normal close")

    def test_other_labels_other_ticket_and_group_key(self):
        self._ingest(alertmanager_payload())
        self._ingest(
            alertmanager_payload(
                fingerprint="fp2", labels={"alertname": "CPU", "severity": "warning"}
            )
        )
        tickets = self._tickets()
        self.assertEqual(len(tickets), 2)
        self.assertEqual(tickets[1].itss_impact, "3", "severity warning")
        grouped, _token = self._make_source(self.env, group_by_key=True)
        for fingerprint in ("a", "b", "c"):
            grouped._itss_ingest(
                grouped._itss_parse(alertmanager_payload(fingerprint=fingerprint))
            )
        self.assertEqual(grouped.ticket_count, 1, "one ticket per Alertmanager group")

    def test_generic_format(self):
        source, _token = self._make_source(self.env, kind="generic")
        alerts = source._itss_parse(
            {
                "title": "Backup failed",
                "status": "firing",
                "labels": {"job": "backup", "severity": "error"},
            }
        )
        source._itss_ingest(alerts)
        ticket = source.ticket_ids
        self.assertEqual(ticket.name, "Backup failed")
        self.assertEqual(ticket.itss_impact, "2")

    def test_no_query_per_label(self):
        self._ingest(alertmanager_payload())
        few = alertmanager_payload()
        many = alertmanager_payload(
            labels={f"label{i}": str(i) for i in range(50)} | {"alertname": "DiskFull"}
        )
        many["alerts"][0]["fingerprint"] = "fp1"
        self.env.flush_all()
        with self.assertQueryCount(__system__=40) as _count:
            self.source._itss_ingest(self.source._itss_parse(few))
            self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.source._itss_ingest(self.source._itss_parse(many))
        self.env.flush_all()
        many_queries = self.env.cr.sql_log_count - before
        before = self.env.cr.sql_log_count
        self.source._itss_ingest(self.source._itss_parse(few))
        self.env.flush_all()
        few_queries = self.env.cr.sql_log_count - before
        self.assertEqual(many_queries, few_queries)

    def test_bad_payloads(self):
        """Each malformed payload is refused with the reason the sender is told."""
        for payload, reason in (
            (None, "must be a JSON object"),
            ([], "must be a JSON object"),
            ({"alerts": "x"}, "has no alerts"),
            ({"alerts": []}, "has no alerts"),
            ({"alerts": [1]}, "Each alert must be a JSON object"),
            (
                {"alerts": [{"labels": "x"}]},
                "Labels and annotations must be JSON objects",
            ),
            (
                {"alerts": [{"status": "weird", "labels": {"a": "b"}}]},
                "Unknown alert status weird",
            ),
            ({"alerts": [{"status": "firing"}]}, "needs a fingerprint or labels"),
            (
                {"alerts": [{"labels": {"a": "b"}, "startsAt": "yesterday"}]},
                "Invalid time yesterday",
            ),
        ):
            with (
                self.subTest(payload=payload),
                self.assertRaisesRegex(UserError, reason),
            ):
                self.source._itss_parse(payload)
        self.assertFalse(self._tickets())


@tagged("post_install", "-at_install")
class TestAlertRace(AlertMixin, TransactionCase):
    """Two deliveries of the same new alert in two transactions at once: one ticket."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            source, _token = self._make_source(env)
            self.source_id, self.team_id = source.id, source.team_id.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["helpdesk.ticket"].search(
                [("itss_alert_source_id", "=", self.source_id)]
            ).unlink()
            env["itss.alert.source"].browse(self.source_id).unlink()
            env["helpdesk.ticket.team"].browse(self.team_id).unlink()

    def _deliver_twice_at_once(self, status="firing"):
        """Two deliveries of the Race alert, each in its own transaction whose snapshot
        is taken before the other commits; the (tickets, occurrences) counted then."""
        from ..controllers.alert import ItssAlertController

        barrier = threading.Barrier(2)
        errors = []

        def deliver():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    source = env["itss.alert.source"].browse(self.source_id)
                    alerts = source._itss_parse(
                        alertmanager_payload(
                            status,
                            fingerprint="race",
                            labels={"alertname": "Race", "severity": "warning"},
                        )
                    )
                    cr.execute("SELECT 1")  # take the snapshot before the other commits
                    barrier.wait(10)
                    ItssAlertController._itss_ingest(source, alerts)
                    # committed in this thread's own cursor: the other delivery's
                    # separate cursor must see this one's rows (the race under test)
                    cr.commit()  # pylint: disable=invalid-commit
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=deliver) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT count(DISTINCT t.id), count(f.id)
                  FROM helpdesk_ticket t
                  LEFT JOIN itss_alert_firing f ON f.ticket_id = t.id
                 WHERE t.itss_alert_source_id = %s
                """,
                [self.source_id],
            )
            return cr.fetchone()

    def test_parallel_deliveries(self):
        self.assertEqual(self._deliver_twice_at_once(), (1, 2))

    def test_parallel_resolves_and_flaps(self):
        """The same resolve on two nodes at once, then the alert firing again on both:
        one resolves (one reopens), the other starts again at once and sees it done,
        no error either time."""
        self.assertEqual(self._deliver_twice_at_once(), (1, 2))
        self._deliver_twice_at_once("resolved")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].search(
                [("itss_alert_source_id", "=", self.source_id)]
            )
            self.assertEqual(ticket.itss_state, "resolved")
            self.assertIn("Alert cleared", ticket.itss_solution)
        self.assertEqual(self._deliver_twice_at_once(), (1, 4))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].search(
                [("itss_alert_source_id", "=", self.source_id)]
            )
            self.assertEqual(ticket.itss_state, "in_progress")
            self.assertEqual(
                len(ticket.message_ids.filtered(lambda m: "flapping" in m.body)), 1
            )

    def test_parallel_repeats_wait_for_no_row(self):
        """Repeats of an open alert only insert their firing rows: two at once in
        transactions that cannot see each other both count, without a serialization
        failure (the controller's retry is for the ticket's unique index only)."""
        self.assertEqual(self._deliver_twice_at_once(), (1, 2))
        self.assertEqual(self._deliver_twice_at_once(), (1, 4))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].search(
                [("itss_alert_source_id", "=", self.source_id)]
            )
            self.assertEqual(ticket.itss_alert_count, 4)
            self.assertTrue(ticket.itss_alert_last_seen)
            self.assertEqual(
                len(ticket.message_ids.filtered(lambda m: "fired again" in m.body)), 3
            )


@tagged("post_install", "-at_install")
class TestAlertEndpoint(AlertMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "0"  # no major incident process here
        cls.source, cls.token = cls._make_source(cls.env)
        other_company = cls.env["res.company"].create({"name": "Other alert company"})
        cls.other_source, cls.other_token = cls._make_source(
            cls.env, company=other_company
        )

    def _post(self, source_id, body, token=None, headers=None):
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.url_open(
            f"/itss/alert/{source_id}",
            data=data,
            headers=headers,
            allow_redirects=False,
        )

    def _tickets(self, source):
        return self.env["helpdesk.ticket"].search(
            [("itss_alert_source_id", "=", source.id)]
        )

    @mute_logger("odoo.http", "werkzeug")
    def test_refused_requests_create_nothing(self):
        good = alertmanager_payload()
        self.assertEqual(self._post(self.source.id, good).status_code, 403, "no token")
        self.assertEqual(
            self._post(self.source.id, good, token="wrong").status_code, 403
        )
        self.assertEqual(self._post(999999, good, token=self.token).status_code, 403)
        self.assertEqual(
            self._post(self.other_source.id, good, token=self.token).status_code,
            403,
            "another company's source with this source's token",
        )
        self.assertEqual(
            self._post(self.source.id, b"{not json", token=self.token).status_code, 400
        )
        self.assertEqual(
            self._post(self.source.id, {"alerts": []}, token=self.token).status_code,
            400,
        )
        big = b'{"alerts": [' + b" " * (1024 * 1024 + 10) + b"]}"
        self.assertEqual(
            self._post(self.source.id, big, token=self.token).status_code, 400
        )
        get = self.url_open(
            f"/itss/alert/{self.source.id}",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        self.assertEqual(get.status_code, 405)
        self.assertFalse(self._tickets(self.source))
        self.assertFalse(self._tickets(self.other_source))

    @mute_logger("odoo.http", "werkzeug")
    def test_token_only_in_the_header_and_dedup(self):
        # a token in the URL would be kept by every access log: that form is gone
        response = self.url_open(
            f"/itss/alert/{self.source.id}/{self.token}",
            data=json.dumps(alertmanager_payload()),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._tickets(self.source))
        response = self._post(self.source.id, alertmanager_payload(), token=self.token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"created": 1, "updated": 0, "resolved": 0})
        self.assertEqual(
            self._post(self.source.id, alertmanager_payload(), token=self.token).json()[
                "updated"
            ],
            1,
        )
        self.assertEqual(len(self._tickets(self.source)), 1)

    def test_twenty_identical_posts_at_once(self):
        results = []
        # the test opener flushes the shared test cursor on each request, which is not
        # thread-safe: the threads use plain HTTP clients of their own
        self.env.flush_all()
        url = f"{self.base_url()}/itss/alert/{self.source.id}"
        body = json.dumps(alertmanager_payload(fingerprint="storm"))
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}",
        }

        def post():
            with requests.Session() as session:
                results.append(
                    session.post(
                        url, data=body, headers=headers, timeout=60
                    ).status_code
                )

        threads = [threading.Thread(target=post) for _i in range(20)]
        with compat.allow_requests(self):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual(results, [200] * 20)
        ticket = self._tickets(self.source)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.itss_alert_count, 20)

    def test_real_alertmanager(self):
        if not (ALERTMANAGER and AMTOOL):
            self.skipTest(
                "prometheus-alertmanager is not installed (apt-get install "
                "prometheus-alertmanager)"
            )
        self.enterContext(compat.allow_requests(self))
        port = self._free_port()
        odoo_port = self._odoo_port()
        workdir = tempfile.mkdtemp(prefix="itss-am-")
        self.addCleanup(shutil.rmtree, workdir, True)
        config = os.path.join(workdir, "alertmanager.yml")
        with open(config, "w") as handle:
            handle.write(
                "route:\n"
                "  receiver: odoo\n"
                "  group_by: ['alertname', 'instance']\n"
                "  group_wait: 1s\n"
                "  group_interval: 1s\n"
                "  repeat_interval: 1h\n"
                "receivers:\n"
                "  - name: odoo\n"
                "    webhook_configs:\n"
                f"      - url: 'http://127.0.0.1:{odoo_port}/itss/alert/{self.source.id}'\n"
                "        send_resolved: true\n"
                "        http_config:\n"
                "          authorization:\n"
                "            type: Bearer\n"
                f"            credentials: '{self.token}'\n"
            )
        process = subprocess.Popen(
            [
                ALERTMANAGER,
                f"--config.file={config}",
                f"--storage.path={workdir}/data",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
                "--log.level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.terminate)
        url = f"http://127.0.0.1:{port}"
        self._wait(lambda: self._ready(port), "Alertmanager up")

        def amtool_add(*args):
            subprocess.run(
                [AMTOOL, "--alertmanager.url", url, "alert", "add", *args],
                check=True,
                capture_output=True,
                timeout=30,
            )

        amtool_add(
            "alertname=DiskFull",
            "instance=db01",
            "severity=critical",
            "--annotation=summary=Disk almost full",
        )
        ticket = self._wait(
            lambda: self._tickets(self.source), "a ticket for the alert"
        )
        self._locked(
            lambda: (
                self.assertEqual(len(ticket), 1),
                self.assertTrue(ticket.itss_auto_generated),
                self.assertEqual(ticket.itss_priority, "1"),
            )
        )
        # the same alert again updates it
        amtool_add(
            "alertname=DiskFull",
            "instance=db01",
            "severity=critical",
            "--annotation=summary=Disk almost full",
        )
        # another alert with other labels: a second ticket
        amtool_add("alertname=HighCPU", "instance=app02", "severity=warning")
        self._wait(lambda: len(self._tickets(self.source)) == 2, "a second ticket")
        # resolving it (endsAt in the past) resolves the ticket
        past = (fields.Datetime.now() - timedelta(seconds=5)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        amtool_add(
            "alertname=DiskFull",
            "instance=db01",
            "severity=critical",
            "--annotation=summary=Disk almost full",
            f"--end={past}",
        )

        def resolved():
            ticket.invalidate_recordset()
            return ticket.itss_state == "resolved"

        self._wait(resolved, "the ticket resolved")
        process.terminate()
        process.wait(10)
        # a request Alertmanager sent before it stopped may still be served
        with compat.test_lock(self.registry):
            self.env.invalidate_all()
            self.assertEqual(len(self._tickets(self.source)), 2)
            # and, nobody having worked on it, closed once quiet
            later = fields.Datetime.now() + timedelta(
                minutes=self.source.quiet_minutes + 1
            )
            with freeze_time(later):
                self.env["helpdesk.ticket"]._cron_itss_auto_close()
            self.assertEqual(ticket.itss_state, "closed")
            self.assertEqual(ticket.itss_close_origin, "alert")

    # helpers

    @staticmethod
    def _free_port():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    @staticmethod
    def _odoo_port():
        from odoo.tools import config

        return int(config["http_port"])

    @staticmethod
    def _ready(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def _locked(self, function):
        """Run ``function`` on the test cursor while no request is served. The server
        threads answering Alertmanager's webhooks use this same connection (through
        test cursors that hold the registry's test lock while a request runs): a read
        from the test thread in the middle of a request breaks both."""
        with compat.test_lock(self.registry):
            self.env.invalidate_all()
            return function()

    def _wait(self, predicate, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self._locked(predicate)
            if result:
                return result
            time.sleep(0.2)
        self.fail(f"timed out waiting for {what}")

"""The KPI figures (``itss.incident.report.itss_kpis``) of a small month made by hand
through the buttons, against numbers worked out by hand; durations never negative
whatever the stored dates; the method public and read-only for who reads the report."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import new_test_user

from .common import ItssCase

# Every time below is UTC; the SLA calendar of the test policies works Mon-Fri
# 08:30-12:00 and 13:00-17:30 Shanghai, i.e. 00:30-04:00 and 05:00-09:30 UTC. All
# tickets are P3: response within 30 working minutes, resolution within 8 working
# hours.
DURATIONS = (
    "mean_response_minutes",
    "median_response_minutes",
    "mean_response_minutes_wall",
    "median_response_minutes_wall",
    "mean_acknowledge_minutes",
    "mean_resolve_hours",
    "median_resolve_hours",
    "mean_resolve_minutes",
    "median_resolve_minutes",
    "paused_minutes",
)


class TestReportKpis(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_customer = cls.env["res.partner"].create(
            {"name": "Test KPI customer", "is_company": True}
        )
        cls.Report = cls.env["itss.incident.report"]

    def _log(self, at):
        """A P3 incident the desk agent logs at ``at`` for the customer."""
        with freeze_time(at):
            return (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(
                    {
                        "name": "Test KPI ticket",
                        "description": "<p>Something broke</p>",
                        "team_id": self.team_l1.id,
                        "partner_id": self.kpi_customer.id,
                        "itss_impact": "3",
                        "itss_urgency": "3",
                    }
                )
            )

    def _accept(self, ticket, at):
        with freeze_time(at):
            ticket.with_user(self.engineer).action_itss_accept()

    def _resolve(self, ticket, at, recovery):
        with freeze_time(at):
            ticket = ticket.with_user(self.engineer)
            ticket.write(
                {
                    "itss_solution": "<p>Replaced the disk</p>",
                    "itss_closure_code_id": self.code_resolved.id,
                    "itss_recovery_date": recovery,
                }
            )
            ticket.action_itss_resolve()

    def _month(self):
        """The hand-made month (November 2026) and one ticket of October."""
        # t0: logged in October, resolved in November: counts in October only
        t0 = self._log("2026-10-30 01:00:00")
        self._accept(t0, "2026-10-30 01:05:00")
        self._resolve(t0, "2026-11-02 01:30:00", "2026-11-02 01:30:00")
        # t1: accepted after 10 min, resolved 2 h after logging (business recovered
        # after 1 h 50), closed by the customer's confirmation with 5
        t1 = self._log("2026-11-02 01:00:00")
        self._accept(t1, "2026-11-02 01:10:00")
        self._resolve(t1, "2026-11-02 03:00:00", "2026-11-02 02:50:00")
        with freeze_time("2026-11-02 04:00:00"):
            t1.with_user(self.agent).action_itss_confirm_resolution(satisfaction="5")
        # t2: escalated by the button after 5 min, accepted by the second line after
        # 20 min, resolved the next day at 03:00: 120 + 270 + 150 = 540 working
        # minutes > 8 h: late; wall-clock 25 h
        t2 = self._log("2026-11-02 02:00:00")
        with freeze_time("2026-11-02 02:05:00"):
            t2.with_user(self.agent).action_itss_escalate()
        self._accept(t2, "2026-11-02 02:20:00")
        self._resolve(t2, "2026-11-03 03:00:00", "2026-11-03 03:00:00")
        # t3: moved to the second-line team by editing the team, accepted after 60
        # working minutes (response late), resolved after 2 h (on time)
        t3 = self._log("2026-11-02 05:00:00")
        with freeze_time("2026-11-02 05:10:00"):
            t3.with_user(self.agent).write({"team_id": self.team_l2.id})
        self._accept(t3, "2026-11-02 06:00:00")
        self._resolve(t3, "2026-11-02 07:00:00", "2026-11-02 07:00:00")
        # t4: resolved, the customer rejects the resolution at 02:30: t4 closes
        # unsuccessful (neither resolved nor closed in the figures) and t5 continues
        # it (reopened), accepted after 10 min, resolved after 90 working minutes,
        # recovered after 80 min
        t4 = self._log("2026-11-03 01:00:00")
        self._accept(t4, "2026-11-03 01:05:00")
        self._resolve(t4, "2026-11-03 02:00:00", "2026-11-03 01:40:00")
        with freeze_time("2026-11-03 02:30:00"):
            t5 = t4.with_user(self.agent).action_itss_reject_resolution("Still down")
        self._accept(t5, "2026-11-03 02:40:00")
        self._resolve(t5, "2026-11-03 04:00:00", "2026-11-03 03:50:00")
        # t6: logged, still open, no response
        t6 = self._log("2026-11-04 01:00:00")
        return t0, t1, t2, t3, t4, t5, t6

    def test_hand_made_month(self):
        tickets = self._month()
        t4, t5 = tickets[4], tickets[5]
        self.assertEqual(t5.itss_reopened_from_id, t4)
        self.assertEqual(tickets[2].itss_escalation_count, 1, "by the button")
        self.assertEqual(tickets[3].itss_escalation_count, 1, "by a team change")
        Report = self.Report.with_user(self.manager)
        november = [
            ("commercial_partner_id", "=", self.kpi_customer.id),
            ("date", ">=", datetime(2026, 11, 1)),
            ("date", "<", datetime(2026, 12, 1)),
        ]
        kpi = Report.itss_kpis(november)
        # logged in November: t1..t6 (t0 was logged in October)
        self.assertEqual(kpi["logged"], 6)
        # responded: t1 t2 t3 t4 t5; within 30 working min: all but t3
        self.assertEqual(kpi["responded"], 5)
        self.assertEqual(kpi["response_in_sla"], 4)
        self.assertAlmostEqual(kpi["response_rate"], 4 / 6 * 100)
        # resolved: t1 t2 t3 t5 (t4's resolution was rejected); closed: t1
        self.assertEqual(kpi["resolved"], 4)
        self.assertEqual(kpi["closed"], 1)
        self.assertAlmostEqual(kpi["resolution_rate"], 1 / 6 * 100)
        # first contact: t1 and t5 (t2 and t3 went to the second line)
        self.assertEqual(kpi["first_contact_resolved"], 2)
        self.assertAlmostEqual(kpi["fcr_rate"], 2 / 6 * 100)
        self.assertAlmostEqual(kpi["fcr_rate_resolved"], 2 / 4 * 100)
        self.assertEqual(kpi["counts"]["fcr_rate"], {"numerator": 2, "denominator": 6})
        # on time: t1, t3, t5 (t2 took 540 working minutes)
        self.assertEqual(kpi["resolve_in_sla"], 3)
        self.assertAlmostEqual(kpi["ontime_rate"], 3 / 6 * 100)
        self.assertAlmostEqual(kpi["ontime_rate_resolved"], 3 / 4 * 100)
        # reopened: t5 of 6
        self.assertEqual(kpi["reopened"], 1)
        self.assertAlmostEqual(kpi["reopen_rate"], 1 / 6 * 100)
        self.assertEqual(kpi["escalations"], 2)
        # response, working = wall-clock here: 10, 20, 60, 5, 10 -> mean 21, median 10
        self.assertAlmostEqual(kpi["mean_response_minutes"], 21.0, places=1)
        self.assertAlmostEqual(kpi["median_response_minutes"], 10.0, places=1)
        self.assertAlmostEqual(kpi["mean_response_minutes_wall"], 21.0, places=3)
        self.assertAlmostEqual(kpi["median_response_minutes_wall"], 10.0, places=3)
        self.assertAlmostEqual(kpi["mean_acknowledge_minutes"], 21.0, places=3)
        # resolution, wall-clock to the business recovery: t1 1 h 50, t2 25 h, t3 2 h,
        # t5 1 h 20 (02:30 -> 03:50): mean 30.1667 / 4, median (1.8333 + 2) / 2
        self.assertAlmostEqual(kpi["mean_resolve_hours"], (11 / 6 + 25 + 2 + 4 / 3) / 4)
        self.assertAlmostEqual(kpi["median_resolve_hours"], (11 / 6 + 2) / 2)
        # working minutes to the resolution: 120, 540, 120, 90
        self.assertAlmostEqual(kpi["mean_resolve_minutes"], 217.5, places=1)
        self.assertAlmostEqual(kpi["median_resolve_minutes"], 120.0, places=1)
        self.assertEqual(kpi["satisfaction"], 5.0)
        self.assertEqual(kpi["counts"]["satisfaction"]["denominator"], 1)
        # October: t0 alone, resolved on time at first contact
        october = Report.itss_kpis(
            [
                ("commercial_partner_id", "=", self.kpi_customer.id),
                ("date", ">=", datetime(2026, 10, 1)),
                ("date", "<", datetime(2026, 11, 1)),
            ]
        )
        self.assertEqual((october["logged"], october["resolved"]), (1, 1))
        self.assertEqual(october["fcr_rate"], 100.0)
        # the report shows these figures: the preview, the PDF's values, the XLSX
        values = (
            self.env["itss.service.report.data"]
            .with_user(self.manager)
            ._itss_values(
                date(2026, 11, 1),
                date(2026, 11, 30),
                partner_id=self.kpi_customer.id,
                period="month",
            )
        )
        current = dict(values["current"])
        current.pop("label")
        self.assertEqual(current, kpi)
        by_team = {row["key"]: row for row in values["breakdowns"]["team"]}
        # t3 and t2 sit with the second line now; t1, t4 (unsuccessful), t5, t6
        # with the first
        self.assertEqual(by_team[self.team_l2.id]["logged"], 2)
        self.assertEqual(by_team[self.team_l2.id]["fcr_rate"], 0.0)
        self.assertEqual(by_team[self.team_l1.id]["logged"], 4)
        self.assertEqual(by_team[self.team_l1.id]["fcr_rate"], 50.0)
        by_tier = {row["key"]: row["logged"] for row in values["breakdowns"]["tier"]}
        self.assertEqual(by_tier, {"1": 4, "2": 2})
        # the pivot's measures sum to the same counts
        groups = Report.read_group(
            november, ["nbr:sum", "first_contact_resolved:sum", "closed:sum"], []
        )
        self.assertEqual(
            (
                groups[0]["nbr"],
                groups[0]["first_contact_resolved"],
                groups[0]["closed"],
            ),
            (6, 2, 1),
        )

    def test_no_duration_is_negative(self):
        """Stored dates out of order (written as the superuser, in SQL: resolved and
        recovered before logging, responded before logging, negative working
        minutes) give no negative duration in any figure."""
        tickets = self._month()
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket
               SET itss_resolved_date = itss_logged_date - interval '3 hours',
                   itss_recovery_date = itss_logged_date - interval '5 hours',
                   itss_first_response_date = itss_logged_date - interval '1 hour',
                   itss_resolve_minutes = -120,
                   itss_response_minutes = -30,
                   itss_paused_minutes = -10
             WHERE id IN %s
            """,
            [tuple(t.id for t in tickets[:4])],
        )
        self.env.invalidate_all()
        domain = [("commercial_partner_id", "=", self.kpi_customer.id)]
        kpi = self.Report.itss_kpis(domain)
        for key in DURATIONS:
            self.assertGreaterEqual(kpi[key], 0.0, key)
        rows = self.Report.search_read(
            domain, ["response_minutes", "response_minutes_wall", "resolve_hours_wall"]
        )
        for row in rows:
            for key in ("response_minutes", "response_minutes_wall"):
                self.assertGreaterEqual(row[key] or 0.0, 0.0, key)
            self.assertGreaterEqual(row["resolve_hours_wall"] or 0.0, 0.0)
        values = self.env["itss.service.report.data"]._itss_values(
            date(2026, 10, 1),
            date(2026, 11, 30),
            partner_id=self.kpi_customer.id,
        )
        for name, lines in values["breakdowns"].items():
            for line in lines:
                for key in DURATIONS:
                    if line[key] is not None:
                        self.assertGreaterEqual(line[key], 0.0, f"{name} {key}")

    def test_one_query_forms_give_the_same_figures(self):
        """The service report reads all its breakdowns in one query, and the earlier
        periods of its trend without medians: the same figures and counts as one
        query per field, or with the medians."""
        self._month()
        Report = self.Report.with_user(self.manager)
        domain = [("commercial_partner_id", "=", self.kpi_customer.id)]
        with_medians = Report._itss_period_kpis(
            datetime(2026, 11, 1), datetime(2026, 12, 1), domain
        )
        without = Report._itss_period_kpis(
            datetime(2026, 11, 1), datetime(2026, 12, 1), domain, medians=False
        )
        medians = [key for key in with_medians if key.startswith("median_")]
        self.assertTrue(medians)
        for key in medians:
            self.assertIsNotNone(with_medians[key], key)
            self.assertIsNone(without[key], key)
        self.assertEqual(
            {k: v for k, v in without.items() if k not in medians},
            {k: v for k, v in with_medians.items() if k not in medians},
        )
        november = domain + [
            ("date", ">=", datetime(2026, 11, 1)),
            ("date", "<", datetime(2026, 12, 1)),
        ]
        fields = ["team_id", "tier", "user_id", "itss_priority", "ci_id"]
        with self.assertQueryCount(1):
            by_fields = Report._itss_kpis_by_fields(november, fields)
        for field in fields:
            self.assertEqual(by_fields[field], Report._itss_kpis_by(november, field))
        self.assertEqual(
            {key: row["logged"] for key, row in by_fields["tier"].items()},
            {"1": 4, "2": 2},
        )
        self.assertEqual(by_fields["ci_id"][None]["logged"], 6)
        portal = new_test_user(
            self.env, login="itss_kpi_portal2", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(portal)._itss_period_kpis(
                datetime(2026, 11, 1), datetime(2026, 12, 1)
            )
        with self.assertRaises(AccessError):
            self.Report.with_user(portal)._itss_kpis_by_fields([], fields)

    def test_public_read_only_for_report_readers(self):
        """Over RPC: a public method; who may read the report gets the figures, a
        portal user does not."""
        self.assertTrue(get_public_method(self.Report, "itss_kpis"))
        empty = self.Report.with_user(self.manager).itss_kpis(
            [("date", "<", datetime(2000, 1, 1))]
        )
        self.assertEqual(empty["logged"], 0)
        for key in ("fcr_rate", "ontime_rate", "resolution_rate", "response_rate"):
            self.assertIsNone(empty[key], key)
        # one query (the rows are flushed first: nothing pending here)
        domain = [("date", ">=", datetime(2026, 11, 1))]
        self.Report.with_user(self.manager).itss_kpis(domain)
        with self.assertQueryCount(1):
            self.Report.with_user(self.manager).itss_kpis(domain)
        portal = new_test_user(
            self.env, login="itss_kpi_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(portal).itss_kpis([])

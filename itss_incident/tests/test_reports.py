import io
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.tools import mute_logger

from odoo.addons.itss_incident.tools import linear_forecast

from .common import ItssCase


class TestReports(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.cust_a = Partner.create({"name": "Report Customer A", "is_company": True})
        cls.cust_b = Partner.create({"name": "Report Customer B", "is_company": True})
        facts = {
            # logged, first response, response min, response breached, resolved,
            # resolve min, resolve breached, escalations, paused, satisfaction
            "t1": (
                "2026-11-02 01:00",
                "2026-11-02 01:10",
                10,
                False,
                "2026-11-02 03:00",
                60,
                False,
                0,
                0,
                "5",
            ),
            "t2": (
                "2026-11-03 01:00",
                "2026-11-03 01:30",
                30,
                True,
                "2026-11-05 01:00",
                600,
                True,
                1,
                120,
                "3",
            ),
            "t3": (
                "2026-11-10 01:00",
                "2026-11-10 01:20",
                20,
                False,
                None,
                0,
                False,
                0,
                0,
                None,
            ),
            "t4": (
                "2026-10-28 01:00",
                "2026-10-28 01:05",
                5,
                False,
                "2026-11-01 01:00",
                240,
                False,
                0,
                0,
                None,
            ),
            "t5": ("2026-11-20 01:00", None, 0, False, None, 0, False, 0, 0, None),
            "t6": ("2026-11-15 01:00", None, 0, False, None, 0, False, 0, 0, None),
        }
        cls.tickets = {}
        for key, row in facts.items():
            partner = cls.cust_b if key == "t6" else cls.cust_a
            state = "resolved" if row[4] else "in_progress"
            ticket = cls._ticket(
                state, partner_id=partner.id, itss_impact="3", itss_urgency="3"
            )
            cls.tickets[key] = ticket
            cls.env.cr.execute(
                """
                UPDATE helpdesk_ticket
                   SET itss_logged_date = %s, itss_first_response_date = %s,
                       itss_response_minutes = %s, itss_response_breached = %s,
                       itss_resolved_date = %s, itss_recovery_date = %s,
                       itss_resolve_minutes = %s,
                       itss_resolve_breached = %s, itss_escalation_count = %s,
                       itss_paused_minutes = %s, itss_satisfaction = %s
                 WHERE id = %s
                """,
                list(row[:5]) + [row[4]] + list(row[5:]) + [ticket.id],
            )
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET itss_reopened_from_id = %s WHERE id = %s",
            [cls.tickets["t1"].id, cls.tickets["t5"].id],
        )
        cls.env.invalidate_all()
        cls.Report = cls.env["itss.incident.report"]

    def _wizard(self, **vals):
        values = {
            "period": "custom",
            "date_from": date(2026, 11, 1),
            "date_to": date(2026, 11, 30),
            "lang": "en_US",
        }
        values.update(vals)
        return self.env["itss.service.report"].create(values)

    def test_period_figures(self):
        """Every figure over the tickets logged in November: t1, t2, t3, t5, t6 (t4,
        logged in October and resolved in November, counts in October)."""
        domain = [("commercial_partner_id", "in", (self.cust_a | self.cust_b).ids)]
        kpi = self.Report._itss_period_kpis(
            datetime(2026, 11, 1), datetime(2026, 12, 1), domain
        )
        self.assertEqual(kpi["logged"], 5)
        self.assertEqual(kpi["responded"], 3)
        self.assertEqual(kpi["response_in_sla"], 2)
        # t1 and t3 responded in time, of 5 logged
        self.assertAlmostEqual(kpi["response_rate"], 40.0)
        self.assertEqual(
            kpi["counts"]["response_rate"], {"numerator": 2, "denominator": 5}
        )
        self.assertAlmostEqual(kpi["mean_response_minutes"], 20.0)
        self.assertAlmostEqual(kpi["median_response_minutes"], 20.0)
        # wall clock: 10, 30 and 20 minutes after logging
        self.assertAlmostEqual(kpi["mean_response_minutes_wall"], 20.0)
        self.assertAlmostEqual(kpi["median_response_minutes_wall"], 20.0)
        self.assertAlmostEqual(kpi["mean_acknowledge_minutes"], 20.0)
        self.assertEqual(kpi["reopened"], 1)
        self.assertAlmostEqual(kpi["reopen_rate"], 20.0)
        self.assertEqual(kpi["escalations"], 1)
        # resolved of those logged: t1 (first contact, on time) and t2 (escalated,
        # late)
        self.assertEqual(kpi["resolved"], 2)
        self.assertEqual(kpi["closed"], 0)
        self.assertEqual(kpi["resolution_rate"], 0.0)
        self.assertEqual(kpi["first_contact_resolved"], 1)
        self.assertAlmostEqual(kpi["fcr_rate"], 20.0)
        self.assertAlmostEqual(kpi["fcr_rate_resolved"], 50.0)
        self.assertAlmostEqual(kpi["ontime_rate"], 20.0)
        self.assertAlmostEqual(kpi["ontime_rate_resolved"], 50.0)
        self.assertAlmostEqual(kpi["mean_resolve_minutes"], 330.0)
        self.assertAlmostEqual(kpi["median_resolve_minutes"], 330.0)
        # wall clock: 2 h, 48 h
        self.assertAlmostEqual(kpi["mean_resolve_hours"], 25.0)
        self.assertAlmostEqual(kpi["median_resolve_hours"], 25.0)
        self.assertAlmostEqual(kpi["paused_minutes"], 120.0)
        self.assertAlmostEqual(kpi["satisfaction"], 4.0)

    def test_customer_and_empty_period(self):
        only_a = [("commercial_partner_id", "=", self.cust_a.id)]
        kpi = self.Report._itss_period_kpis(
            datetime(2026, 11, 1), datetime(2026, 12, 1), only_a
        )
        self.assertEqual(kpi["logged"], 4)
        empty = self.Report._itss_period_kpis(
            datetime(2025, 1, 1), datetime(2025, 2, 1), only_a
        )
        self.assertEqual(empty["logged"], 0)
        self.assertEqual(empty["resolved"], 0)
        for key in ("fcr_rate", "ontime_rate", "resolution_rate", "response_rate"):
            self.assertIsNone(empty[key], key)
        self.assertIsNone(empty["mean_resolve_hours"])
        wizard = self._wizard(
            partner_id=self.cust_a.id,
            date_from=date(2025, 1, 1),
            date_to=date(2025, 1, 31),
        )
        self.assertIn("Tickets logged", wizard.kpi_html)

    def test_breakdown_trend_and_forecast(self):
        wizard = self._wizard(partner_id=self.cust_a.id, period="month")
        wizard.write({"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)})
        data = self.env["itss.service.report.data"]._itss_values(
            **wizard._itss_report_params()
        )
        self.assertEqual(data["current"]["logged"], 4)
        self.assertEqual(data["previous"]["logged"], 1, "t4 was logged in October")
        self.assertEqual(len(data["history"]), 7)
        by_priority = {row["label"]: row for row in data["breakdowns"]["priority"]}
        self.assertEqual(by_priority["P3 - Medium"]["logged"], 4)
        # of the 4 logged in November, t1 and t2 are resolved (t4 counts in October)
        self.assertEqual(by_priority["P3 - Medium"]["resolved"], 2)
        # every breakdown on the same definitions as the period's figures
        for name in ("team", "tier", "engineer", "category", "ci", "vendor"):
            rows = data["breakdowns"][name]
            self.assertEqual(sum(row["logged"] for row in rows), 4, name)
            self.assertEqual(sum(row["resolved"] for row in rows), 2, name)
        self.assertEqual(sum(row["logged"] for row in data["breakdowns"]["channel"]), 4)
        self.assertEqual(linear_forecast([1, 2, 3]), 4)
        self.assertEqual(linear_forecast([5, 3, 1]), 0)
        self.assertIn("<svg", data["chart_weekly"])
        self.assertIn("<rect", data["chart_priority"])

    def test_figures_without_a_wizard(self):
        """The incident manager's figures of a period come from the engine, given plain
        values: no wizard record is made; more filters (a team) narrow them."""
        wizards = self.env["itss.service.report"].search_count([])
        Data = self.env["itss.service.report.data"].with_user(self.manager)
        values = Data._itss_values(
            date(2026, 11, 1),
            date(2026, 11, 30),
            partner_id=self.cust_a.id,
            period="month",
            lang="en_US",
        )
        self.assertEqual(values["company"], self.env.company)
        self.assertEqual(values["customer"], self.cust_a)
        self.assertEqual(values["current"]["label"], "Nov 2026")
        self.assertEqual(values["current"]["logged"], 4)
        self.assertEqual(values["current"]["resolved"], 2)
        self.assertEqual(values["previous"]["label"], "Oct 2026")
        self.assertEqual(values["previous"]["logged"], 1, "t4 was logged in October")
        self.assertEqual(values["history"][0]["label"], "May 2026")
        by_team = {row["label"]: row["logged"] for row in values["breakdowns"]["team"]}
        self.assertEqual(
            by_team,
            {f"{self.team_l1.display_name} (Tier 1 - Service desk / first line)": 4},
            "a team's row names its tier",
        )
        self.assertEqual(
            values["forecast"], 1, "May to October: one ticket, in October"
        )
        self.assertIn("<rect", values["chart_sla"])
        other_team = Data._itss_values(
            "2026-11-01",
            "2026-11-30",
            partner_id=self.cust_a.id,
            period="month",
            domain=[("team_id", "=", self.team_l2.id)],
            charts=False,
        )
        self.assertEqual(other_team["current"]["logged"], 0)
        self.assertFalse(other_team["chart_weekly"], "no chart asked for")
        # every customer: t6 is customer B's
        everyone = Data._itss_values(
            date(2026, 11, 1),
            date(2026, 11, 30),
            period="month",
            # the fixtures' teams: a database with demo data has more customers
            domain=[("team_id", "in", (self.team_l1 | self.team_l2).ids)],
        )
        self.assertEqual(everyone["current"]["logged"] - values["current"]["logged"], 1)
        self.assertEqual(self.env["itss.service.report"].search_count([]), wizards)

    def test_report_from_plain_values(self):
        """The QWeb report takes its figures from the engine, for a wizard or for
        plain values (as the monthly sending gives them), in the report's language."""
        report = self.env.ref("itss_incident.action_report_itss_service")
        params = {
            "partner_id": self.cust_a.id,
            "period": "month",
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
            "lang": "zh_CN",
        }
        wizards = self.env["itss.service.report"].search_count([])
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(report, [], data={"itss_params": params})
        )
        html = html.decode()
        self.assertIn("服务报告", html)
        self.assertIn("Report Customer A", html)
        self.assertIn("每周登记事件单数", html, "the charts' titles are translated")
        self.assertIn("<svg", html)
        self.assertEqual(self.env["itss.service.report"].search_count([]), wizards)
        # the XLSX speaks the language of who exports it
        Data = self.env["itss.service.report.data"].with_user(self.manager)
        chinese = Data.with_context(lang="zh_CN")
        book = load_workbook(
            io.BytesIO(chinese._itss_xlsx(chinese._itss_values(**params)))
        )
        # (the new breakdowns' titles are translated at merge: tr_kpi.json)
        for name in ("汇总", "按支持组", "按分类", "按优先级"):
            self.assertIn(name, book.sheetnames)
        self.assertEqual(len(book.sheetnames), 9)
        self.assertEqual(
            book.worksheets[0]["A1"].value, "服务报告 2026-11-01 - 2026-11-30"
        )
        self.assertEqual(book.worksheets[0]["A5"].value, "登记事件单数")
        self.assertEqual(book.worksheets[0]["B5"].value, 4)
        self.assertEqual(book.worksheets[1]["B1"].value, "登记数")

    def test_kpi_colours_against_targets(self):
        wizard = self._wizard(partner_id=self.cust_a.id)
        self.assertIn(
            "table-danger", wizard.kpi_html, "25 % < 80 % first-contact target"
        )
        # 1 of the 4 tickets logged is resolved at first contact and on time
        self.env.company.itss_kpi_fcr_target = 25
        self.env.company.itss_kpi_ontime_target = 25
        wizard.invalidate_recordset(["kpi_html"])
        self.assertIn("table-success", wizard.kpi_html)
        self.assertNotIn("table-danger", wizard.kpi_html)

    def test_pdf_and_html_rendering(self):
        wizard = self._wizard(partner_id=self.cust_a.id)
        report = self.env.ref("itss_incident.action_report_itss_service")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            report, wizard.ids
        )
        self.assertIn(b"Service Report", html)
        self.assertIn(b"Report Customer A", html)
        self.assertIn(b"<svg", html)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # the test database has Chinese installed: no silent skip without it
        self.assertTrue(
            self.env["res.lang"]._lang_get("zh_CN").active, "Chinese is installed"
        )
        chinese = self._wizard(partner_id=self.cust_a.id, lang="zh_CN")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            report, chinese.ids
        )
        self.assertIn("服务报告", html.decode())
        self.assertNotIn("Service Report", html.decode())

    def test_xlsx(self):
        wizard = self._wizard(partner_id=self.cust_a.id)
        Data = self.env["itss.service.report.data"]
        content = Data._itss_xlsx(Data._itss_values(**wizard._itss_report_params()))
        book = load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        values = {
            row[0].value: row[1].value
            for row in sheet.iter_rows(min_row=5)
            if row[0].value
        }
        self.assertEqual(values["Tickets logged"], 4)
        self.assertEqual(values["Tickets resolved"], 2)
        self.assertEqual(len(book.worksheets), 9, "a summary and 8 breakdowns")
        action = wizard.action_xlsx()
        self.assertIn("/web/content/", action["url"])

    def test_monthly_sending_once_per_period(self):
        recipient = self.env["res.partner"].create(
            {"name": "CIO", "email": "cio@example.com"}
        )
        subscription = self.env["itss.service.report.subscription"].create(
            {
                "name": "Customer A monthly",
                "partner_id": self.cust_a.id,
                "recipient_ids": [(6, 0, recipient.ids)],
                "lang": "en_US",
            }
        )
        Mail = self.env["mail.mail"]

        def sent():
            return Mail.search([("recipient_ids", "in", recipient.ids)])

        with freeze_time("2026-12-01 02:00:00"):
            subscription._cron_itss_send_service_reports()
            subscription._cron_itss_send_service_reports()
        self.assertEqual(len(sent()), 1)
        self.assertEqual(subscription.last_period_start, date(2026, 11, 1))
        self.assertEqual(len(sent().attachment_ids), 1)
        self.assertIn("2026-11", sent().subject)
        with freeze_time("2026-12-20 02:00:00"):
            subscription._cron_itss_send_service_reports()
        self.assertEqual(len(sent()), 1)
        with freeze_time("2027-01-02 02:00:00"):
            subscription._cron_itss_send_service_reports()
        self.assertEqual(len(sent()), 2)
        self.assertEqual(subscription.last_period_start, date(2026, 12, 1))

    def test_monthly_sending_makes_no_wizard(self):
        """The scheduled action sends the PDF of the engine's figures: no wizard."""
        recipient = self.env["res.partner"].create(
            {"name": "CFO", "email": "cfo@example.com"}
        )
        self.env["itss.service.report.subscription"].search([]).active = False
        subscription = self.env["itss.service.report.subscription"].create(
            {
                "name": "All customers monthly",
                "recipient_ids": [(6, 0, recipient.ids)],
                "lang": "en_US",
            }
        )
        wizards = self.env["itss.service.report"].search_count([])
        with freeze_time("2026-12-01 02:00:00"):
            subscription._cron_itss_send_service_reports()
        self.assertEqual(self.env["itss.service.report"].search_count([]), wizards)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", recipient.ids)])
        self.assertEqual(
            mail.attachment_ids.name, "Service report 2026-11-01 - 2026-11-30.pdf"
        )
        # in tests, reports render as HTML: November against October
        content = mail.attachment_ids.raw.decode()
        self.assertIn("Service Report", content)
        self.assertIn("Nov 2026", content)
        self.assertIn("Oct 2026", content)

    @mute_logger("odoo.addons.itss_incident.tools.cron_batch")
    def test_a_failing_subscription_does_not_starve_the_others(self):
        recipient = self.env["res.partner"].create(
            {"name": "CIO", "email": "cio@example.com"}
        )
        Subscription = self.env["itss.service.report.subscription"]
        self.env["itss.service.report.subscription"].search([]).active = False
        subscriptions = Subscription.create(
            [
                {
                    "name": f"Monthly {i}",
                    "partner_id": self.cust_a.id,
                    "recipient_ids": [(6, 0, recipient.ids)],
                    "lang": "en_US",
                }
                for i in range(3)
            ]
        )
        broken = subscriptions[0]
        original = type(Subscription)._itss_send

        def send(self, period_start):
            if self == broken:
                raise ValueError("mail server refused")
            return original(self, period_start)

        with patch.object(type(Subscription), "_itss_send", send):
            with freeze_time("2026-12-01 02:00:00"):
                Subscription._cron_itss_send_service_reports(batch_size=1)
                self.assertTrue(broken.retry_after, "the failure is recorded")
                Subscription._cron_itss_send_service_reports(batch_size=1)
                Subscription._cron_itss_send_service_reports(batch_size=1)
        self.assertEqual(
            (subscriptions - broken).mapped("last_period_start"),
            [date(2026, 11, 1)] * 2,
        )
        self.assertFalse(broken.last_period_start)
        with freeze_time("2026-12-01 03:30:00"):
            Subscription._cron_itss_send_service_reports(batch_size=1)
        self.assertEqual(
            broken.last_period_start, date(2026, 11, 1), "sent at the retry"
        )
        self.assertFalse(broken.retry_after)

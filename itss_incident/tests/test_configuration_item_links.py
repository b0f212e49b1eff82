"""Configuration items (配置项) linked by monitoring alerts and chosen by customers on
the portal (the item of a ticket); the desk agent's pick on the form, as a tour."""

from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItssCase
from .test_alerts import AlertMixin, alertmanager_payload
from .test_configuration_items import CiMixin


@tagged("post_install", "-at_install")
class TestAlertLinksItem(CiMixin, AlertMixin, ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._items(cls.env)
        cls.source, cls.token = cls._make_source(cls.env)
        other_company = cls.env["res.company"].create({"name": "CI alert company"})
        cls.foreign = cls.env["itss.configuration.item"].create(
            {"name": "Foreign app", "code": "app09", "company_id": other_company.id}
        )

    def _alert(self, instance, fingerprint):
        payload = alertmanager_payload(
            fingerprint=fingerprint,
            labels={"alertname": "Down", "instance": instance, "severity": "error"},
        )
        with freeze_time("2026-11-20 08:01:00"):
            self.source._itss_ingest(self.source._itss_parse(payload))
        return self.env["helpdesk.ticket"].search(
            [("itss_alert_fingerprint", "=", fingerprint)]
        )

    def test_alert_links_the_item_by_code_then_name(self):
        self.assertEqual(self.source.ci_label, "instance")
        ticket = self._alert("db01", "fp-db01")
        self.assertEqual(ticket.itss_ci_id, self.db01)
        self.assertEqual(ticket.itss_ci_type, "database")
        # a Prometheus instance names the host and port
        self.assertEqual(self._alert("db01:9100", "fp-port").itss_ci_id, self.db01)
        self.assertEqual(
            self._alert("Core switch", "fp-name").itss_ci_id, self.bank_switch
        )
        # the outage starts when the alert started
        self.assertEqual(
            fields.Datetime.to_string(ticket.itss_occurred_date), "2026-11-20 08:00:00"
        )

    def test_alert_matching_nothing_links_nothing(self):
        self.assertFalse(self._alert("web42:9100", "fp-none").itss_ci_id)
        # an item of another company is not the source's
        self.assertFalse(self._alert("app09", "fp-foreign").itss_ci_id)
        # the label is configurable on the source
        self.source.ci_label = "host"
        payload = alertmanager_payload(
            fingerprint="fp-host",
            labels={"alertname": "Down", "instance": "x:1", "host": "BANK-SW"},
        )
        with freeze_time("2026-11-20 08:01:00"):
            self.source._itss_ingest(self.source._itss_parse(payload))
        ticket = self.env["helpdesk.ticket"].search(
            [("itss_alert_fingerprint", "=", "fp-host")]
        )
        self.assertEqual(ticket.itss_ci_id, self.bank_switch)


@tagged("post_install", "-at_install")
class TestPortalItems(CiMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._items(cls.env)
        cls.env.company.itss_major_priority = "0"
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "CI Portal L1", "itss_tier": "1"}
        )
        cls.env.company.itss_default_team_id = cls.team
        cls.user_metro = new_test_user(
            cls.env, login="ci_metro", groups="base.group_portal", email="m@example.com"
        )
        cls.user_metro.partner_id.parent_id = cls.metro
        cls.user_bank = new_test_user(
            cls.env, login="ci_bank", groups="base.group_portal", email="b@example.com"
        )
        cls.user_bank.partner_id.parent_id = cls.bank

    def test_customer_reads_only_own_items(self):
        Item = self.env["itss.configuration.item"].with_user(self.user_metro)
        self.assertEqual(Item.search([]), self.afc | self.db01)
        with self.assertRaises(AccessError):
            self.bank_switch.with_user(self.user_metro).read(["name"])
        with self.assertRaises(AccessError):
            self.shared.with_user(self.user_metro).read(["name"])
        with self.assertRaises(AccessError):
            self.db01.with_user(self.user_metro).write({"name": "Mine now"})

    def test_customer_picks_only_own_items(self):
        self.authenticate("ci_metro", "ci_metro")
        page = self.url_open("/new/ticket")
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="itss_ci"', page.text)
        self.assertIn("[db01] Ticketing database", page.text)
        self.assertNotIn("Core switch", page.text)
        self.assertNotIn("Shared mail relay", page.text)
        csrf = http.Request.csrf_token(self)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "CI portal: ticketing database slow",
                "description": "Queries take minutes",
                "itss_ci": str(self.db01.id),
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "CI portal: ticketing database slow")]
        )
        self.assertEqual(ticket.itss_ci_id, self.db01)
        self.assertEqual(ticket.itss_ci_type, "database")
        # the ticket page names it
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertIn("[db01] Ticketing database", page.text)

    @mute_logger("odoo.http", "werkzeug")
    def test_another_customers_item_is_refused(self):
        self.authenticate("ci_metro", "ci_metro")
        csrf = http.Request.csrf_token(self)
        for item in (self.bank_switch, self.shared):
            response = self.url_open(
                "/submitted/ticket",
                data={
                    "csrf_token": csrf,
                    "subject": f"CI portal crafted {item.code}",
                    "description": "Crafted",
                    "itss_ci": str(item.id),
                },
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "like", "CI portal crafted")])
        )

    def test_desk_agent_picks_the_item_tour(self):
        new_test_user(
            self.env,
            login="ci_agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        gateway = self.env["itss.configuration.item"].create(
            {
                "name": "Station gateway",
                "code": "CITOUR-GW",
                "ci_type": "network",
                "partner_id": self.metro.id,
            }
        )
        self.env["itss.configuration.item"].create(
            {
                "name": "Other gateway",
                "code": "CITOUR-OTHER",
                "ci_type": "network",
                "partner_id": self.bank.id,
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "CI tour: station gateway down",
                "description": "<p>No traffic</p>",
                "team_id": self.team.id,
                "partner_id": self.user_metro.partner_id.id,
            }
        )
        self.start_tour(
            f"/odoo/itss-incidents/{ticket.id}", "itss_ci_desk_pick", login="ci_agent"
        )
        self.assertEqual(ticket.itss_ci_id, gateway)

"""Configuration items (配置项): the register and its import, the item of a ticket
(desk, portal, alerts), the resolution's requirements and to-do, availability."""

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields, http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItssCase
from .test_alerts import AlertMixin, alertmanager_payload


class CiMixin:
    @classmethod
    def _items(cls, env):
        Partner = env["res.partner"]
        cls.metro = Partner.create({"name": "CI Test Metro", "is_company": True})
        cls.bank = Partner.create({"name": "CI Test Bank", "is_company": True})
        Item = env["itss.configuration.item"]
        # a demo database has its own db01: the fixtures' codes are theirs
        for item in Item.with_context(active_test=False).search(
            [("code", "in", ("db01", "CI-AFC", "BANK-SW", "MAIL-RELAY"))]
        ):
            item.code = f"{item.code}-demo"
        env.flush_all()
        cls.afc = Item.create(
            {"name": "Ticketing system", "code": "CI-AFC", "partner_id": cls.metro.id}
        )
        cls.db01 = Item.create(
            {
                "name": "Ticketing database",
                "code": "db01",
                "ci_type": "database",
                "parent_id": cls.afc.id,
                "partner_id": cls.metro.id,
            }
        )
        cls.bank_switch = Item.create(
            {
                "name": "Core switch",
                "code": "BANK-SW",
                "ci_type": "network",
                "partner_id": cls.bank.id,
            }
        )
        cls.shared = Item.create(
            {"name": "Shared mail relay", "code": "MAIL-RELAY", "ci_type": "server"}
        )


@tagged("post_install", "-at_install")
class TestConfigurationItems(CiMixin, ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._items(cls.env)
        cls.metro_contact = cls.env["res.partner"].create(
            {"name": "CI metro contact", "parent_id": cls.metro.id}
        )

    # The register

    def test_hierarchy_code_and_names(self):
        self.assertEqual(self.db01.display_name, "[db01] Ticketing database")
        self.assertEqual(
            self.db01.complete_name, "Ticketing system / Ticketing database"
        )
        self.assertEqual(self.afc.child_ids, self.db01)
        self.assertEqual(
            self.env["itss.configuration.item"].search(
                [("parent_id", "child_of", self.afc.id)]
            ),
            self.afc | self.db01,
        )
        with self.assertRaisesRegex(ValidationError, "component of itself"):
            self.afc.parent_id = self.db01
        with self.assertRaisesRegex(ValidationError, "component of itself"):
            self.afc.parent_id = self.afc
        found = self.env["itss.configuration.item"].name_search("db01", operator="=")
        self.assertEqual([item_id for item_id, _name in found], self.db01.ids)
        with self.assertRaisesRegex(ValidationError, "code must not be empty"):
            self.db01.code = " db01"

    def test_code_unique_per_company(self):
        other_company = self.env["res.company"].create({"name": "CI other company"})
        twin = self.env["itss.configuration.item"].create(
            {"name": "Other db01", "code": "db01", "company_id": other_company.id}
        )
        self.assertTrue(twin, "the same code in another company")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["itss.configuration.item"].create(
                    {"name": "Second db01", "code": "db01"}
                )

    def test_who_edits_the_register(self):
        for user in (self.engineer, self.agent):
            item = self.db01.with_user(user)
            self.assertEqual(item.name, "Ticketing database", "everybody reads")
            with self.assertRaises(AccessError):
                item.write({"name": "Renamed"})
            with self.assertRaises(AccessError):
                self.env["itss.configuration.item"].with_user(user).create(
                    {"name": "New", "code": "NEW"}
                )
        self.db01.with_user(self.manager).write({"user_id": self.engineer.id})
        self.assertEqual(self.db01.user_id, self.engineer)

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "CI other company"})
        foreign = self.env["itss.configuration.item"].create(
            {"name": "Foreign", "code": "FOREIGN", "company_id": other_company.id}
        )
        Item = self.env["itss.configuration.item"].with_user(self.manager)
        self.assertFalse(Item.search([("id", "=", foreign.id)]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.manager).read(["name"])

    def test_import_a_spreadsheet_as_incident_manager(self):
        """The web client's importer (base_import) with a CSV whose relations name
        the parent by its code, the customer and the manager by their names."""
        self.engineer.name = "CI Test Engineer"
        csv = (
            b"code,name,ci_type,parent_id,partner_id,user_id\n"
            b"db02,Standby database,Database,db01,CI Test Metro,CI Test Engineer\n"
            b"GATE-01,Station gates,Other,CI-AFC,CI Test Metro,\n"
        )
        columns = ["code", "name", "ci_type", "parent_id", "partner_id", "user_id"]
        options = {"quoting": '"', "separator": ",", "has_headers": True}

        def run(user):
            wizard = (
                self.env["base_import.import"]
                .with_user(user)
                .create(
                    {
                        "res_model": "itss.configuration.item",
                        "file": csv,
                        "file_type": "text/csv",
                        "file_name": "items.csv",
                    }
                )
            )
            preview = wizard.parse_preview(options)
            self.assertFalse(preview.get("error"), preview)
            return wizard.execute_import(columns, columns, options)

        with mute_logger("odoo.sql_db"):
            refused = run(self.engineer)
        self.assertTrue(refused["messages"], "an engineer cannot import items")
        result = run(self.manager)
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["itss.configuration.item"].browse(result["ids"])
        db02, gates = imported
        self.assertEqual(db02.parent_id, self.db01)
        self.assertEqual(db02.ci_type, "database")
        self.assertEqual(db02.partner_id, self.metro)
        self.assertEqual(db02.user_id, self.engineer)
        self.assertEqual(gates.parent_id, self.afc)
        self.assertEqual(gates.ci_type, "other")

    # The ticket's item

    def test_desk_agent_sets_the_item(self):
        ticket = self._ticket("in_progress", partner_id=self.metro_contact.id)
        form = Form(ticket.with_user(self.agent))
        form.itss_ci_id = self.db01
        self.assertEqual(form.itss_ci_type, "database")
        form.save()
        self.assertEqual(ticket.itss_ci_id, self.db01)
        self.assertEqual(ticket.itss_ci_type, "database")
        self.assertEqual(self.db01.ticket_ids, ticket)
        self.assertEqual(self.db01.ticket_count, 1)
        # the form offers the customer's items and the shared ones
        domain = [
            ("company_id", "=", ticket.company_id.id),
            "|",
            ("partner_id", "=", False),
            ("partner_id", "=", ticket.commercial_partner_id.id),
        ]
        offered = self.env["itss.configuration.item"].with_user(self.agent)
        self.assertEqual(
            offered.search(domain) & self.items(), self.afc | self.db01 | self.shared
        )
        ticket.with_user(self.agent).itss_ci_id = self.shared
        # another customer's item is refused, whatever the path
        with self.assertRaisesRegex(
            ValidationError, "belongs to customer CI Test Bank"
        ):
            ticket.with_user(self.agent).itss_ci_id = self.bank_switch
        # and a customer change that no longer fits the item too
        ticket.with_user(self.agent).itss_ci_id = self.db01
        with self.assertRaisesRegex(ValidationError, "belongs to customer"):
            ticket.with_user(self.agent).partner_id = self.bank

    def items(self):
        return self.afc | self.db01 | self.bank_switch | self.shared

    def test_engineer_sees_but_cannot_change_items_on_ticket(self):
        ticket = self._ticket("in_progress", partner_id=self.metro_contact.id)
        ticket.with_user(self.engineer).itss_ci_id = self.db01
        self.assertEqual(ticket.itss_ci_id, self.db01, "engineers set it on tickets")
        with self.assertRaises(AccessError):
            self.db01.with_user(self.engineer).unlink()

    # Resolution

    def _resolve(self, ticket, user, **vals):
        wizard = (
            self.env["itss.ticket.resolve"]
            .with_user(user)
            .create(
                dict(
                    {
                        "ticket_id": ticket.id,
                        "solution": "<p>Restarted the database</p>",
                        "recovery_date": fields.Datetime.now(),
                    },
                    **vals,
                )
            )
        )
        return wizard.action_resolve()

    def test_required_to_resolve_an_incident_only(self):
        self.env.company.itss_ci_required = True
        incident = self._ticket("in_progress", partner_id=self.metro_contact.id)
        with self.assertRaisesRegex(
            ValidationError, "cannot be resolved without: Configuration Item"
        ):
            self._resolve(incident, self.agent)
        self.assertEqual(incident.itss_state, "in_progress")
        # nor through a plain write of the stage
        with self.assertRaisesRegex(ValidationError, "Configuration Item"):
            incident.with_user(self.agent).write(
                dict(
                    self._requirements("resolved"), stage_id=self.stages["resolved"].id
                )
            )
        request = self._ticket(
            "in_progress",
            partner_id=self.metro_contact.id,
            itss_ticket_type="service_request",
        )
        self._resolve(request, self.agent, recovery_date=False)
        self.assertEqual(request.itss_state, "resolved", "a service request needs none")
        # the dialog shows the item and its type, and sets it
        wizard = (
            self.env["itss.ticket.resolve"]
            .with_user(self.agent)
            .create({"ticket_id": incident.id})
        )
        self.assertTrue(wizard.ci_required)
        wizard.ci_id = self.db01
        self.assertEqual(wizard.ci_type, "database")
        wizard.write(
            {
                "solution": "<p>Restarted the database</p>",
                "recovery_date": fields.Datetime.now(),
            }
        )
        wizard.action_resolve()
        self.assertEqual(incident.itss_state, "resolved")
        self.assertEqual(incident.itss_ci_id, self.db01)
        # the item cannot be taken off a resolved incident
        with self.assertRaisesRegex(ValidationError, "Configuration Item"):
            incident.with_user(self.agent).itss_ci_id = False
        self.env.company.itss_ci_required = False
        incident.with_user(self.agent).itss_ci_id = False

    def test_configuration_needs_updating_gives_the_manager_a_todo(self):
        activity_type = self.env.ref("itss_incident.mail_act_itss_ci_update")
        self.db01.user_id = self.engineer
        ticket = self._ticket(
            "in_progress", partner_id=self.metro_contact.id, itss_ci_id=self.db01.id
        )
        self._resolve(ticket, self.agent, ci_update_needed=True)
        self.assertTrue(ticket.itss_ci_update_needed)
        todo = self.db01.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.activity_type_id, activity_type)
        self.assertEqual(todo.user_id, self.engineer)
        self.assertIn(ticket.number, todo.summary)
        self.assertIn("Restarted the database", str(todo.note))
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "has a to-do to update configuration item" in str(m.body)
            )
        )
        # the manager sees it among their to-dos and marks it done
        todo.with_user(self.engineer).action_feedback(feedback="Updated")
        self.assertFalse(self.db01.activity_ids)
        # without a resolution that says so: nothing
        other = self._ticket(
            "in_progress", partner_id=self.metro_contact.id, itss_ci_id=self.db01.id
        )
        self._resolve(other, self.agent)
        self.assertFalse(self.db01.activity_ids)
        # ticked later on the resolved ticket's form: the to-do comes then, once
        other.with_user(self.agent).itss_ci_update_needed = True
        self.assertEqual(len(self.db01.activity_ids), 1)
        other.with_user(self.agent).itss_ci_update_needed = False
        other.with_user(self.agent).itss_ci_update_needed = True
        self.assertEqual(len(self.db01.activity_ids), 1, "one to-do per ticket")

    def test_item_without_manager_goes_to_the_incident_manager(self):
        ticket = self._ticket(
            "in_progress", partner_id=self.metro_contact.id, itss_ci_id=self.afc.id
        )
        self._resolve(ticket, self.agent, ci_update_needed=True)
        self.assertEqual(self.afc.activity_ids.user_id, self.manager)

    # Availability

    def _outage(self, item, occurred, recovered, **vals):
        return self._ticket(
            "resolved",
            partner_id=self.metro_contact.id,
            itss_ci_id=item.id,
            itss_logged_date=occurred,
            itss_occurred_date=occurred,
            itss_recovery_date=recovered,
            **vals,
        )

    @freeze_time("2026-12-01 00:00:00")
    def test_availability_over_a_month_to_the_minute(self):
        # 10:00-12:00 and 11:00-13:30 overlap: one outage of 210 minutes
        self._outage(self.db01, "2026-11-03 10:00:00", "2026-11-03 12:00:00")
        self._outage(self.db01, "2026-11-03 11:00:00", "2026-11-03 13:30:00")
        moved = self._outage(self.db01, "2026-11-20 08:00:00", "2026-11-20 08:45:00")
        # what does not count: a service request, a cancelled ticket, another item
        self._outage(
            self.db01,
            "2026-11-10 00:00:00",
            "2026-11-11 00:00:00",
            itss_ticket_type="service_request",
        )
        self._ticket(
            "cancelled",
            partner_id=self.metro_contact.id,
            itss_ci_id=self.db01.id,
            itss_logged_date="2026-11-12 00:00:00",
            itss_occurred_date="2026-11-12 00:00:00",
            itss_closure_code_id=self.env.ref(
                "itss_incident.closure_code_cancelled"
            ).id,
        )
        self._outage(self.afc, "2026-11-05 00:00:00", "2026-11-05 01:00:00")
        # an outage begun before the month counts from its first minute
        self._outage(self.db01, "2026-10-31 23:50:00", "2026-11-01 00:10:00")
        Item = self.env["itss.configuration.item"].with_user(self.manager)
        month = 30 * 24 * 60
        figures = Item.browse(self.db01.id).itss_availability(
            "2026-11-01 00:00:00", "2026-12-01 00:00:00"
        )
        self.assertEqual(
            figures,
            {
                self.db01.id: {
                    "outage_minutes": 265.0,
                    "availability": round(100 * (month - 265) / month, 4),
                }
            },
        )
        self.assertEqual(figures[self.db01.id]["availability"], 99.3866)
        # the ticket moved to another item takes its outage along
        moved.with_user(self.agent).itss_ci_id = self.afc
        figures = (self.db01 | self.afc).itss_availability(
            "2026-11-01 00:00:00", "2026-12-01 00:00:00"
        )
        self.assertEqual(figures[self.db01.id]["outage_minutes"], 220.0)
        self.assertEqual(figures[self.afc.id]["outage_minutes"], 105.0)
        # the form's figure: the last 30 days
        self.db01.invalidate_recordset()
        self.assertEqual(
            self.db01.availability_30d, round(100 * (month - 220) / month, 3)
        )
        self.assertEqual(self.db01.outage_minutes_30d, 220.0)
        self.assertEqual(self.db01.outage_count, 3)
        self.assertNotIn(moved, self.db01.outage_ids)

    def test_open_incident_counts_until_now(self):
        with freeze_time("2026-11-30 22:00:00"):
            ticket = self._ticket(
                "in_progress",
                partner_id=self.metro_contact.id,
                itss_ci_id=self.db01.id,
                itss_logged_date="2026-11-30 22:00:00",
                itss_occurred_date="2026-11-30 21:30:00",
            )
        with freeze_time("2026-12-01 00:00:00"):
            figures = self.db01.itss_availability(
                "2026-11-30 00:00:00", "2026-12-02 00:00:00"
            )
            # the period ends now: 24 hours, 150 minutes of them down
            self.assertEqual(figures[self.db01.id]["outage_minutes"], 150.0)
            self.assertEqual(
                figures[self.db01.id]["availability"],
                round(100 * (1440 - 150) / 1440, 4),
            )
            ticket.invalidate_recordset(["itss_outage_minutes"])
            self.assertEqual(ticket.itss_outage_minutes, 150.0)


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

"""Configuration items (配置项): the register and its import, the item of a ticket
(desk, portal, alerts), the resolution's requirements and to-do, availability."""

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ItssCase


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
        # the form offers the customer's items and the shared ones; a ticket without
        # a customer (an alert's) all of them
        self.assertEqual(
            self._offered(ticket) & self.items(), self.afc | self.db01 | self.shared
        )
        alert_ticket = self._ticket("in_progress", partner_id=False)
        self.assertEqual(self._offered(alert_ticket) & self.items(), self.items())
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

    def _offered(self, ticket):
        """The items the ticket form's field offers (its domain, evaluated)."""
        domain = safe_eval(
            ticket._fields["itss_ci_id"].domain,
            {
                "company_id": ticket.company_id.id,
                "commercial_partner_id": ticket.commercial_partner_id.id,
            },
        )
        return self.env["itss.configuration.item"].with_user(self.agent).search(domain)

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
        # an engineer of another team, who reads none of these tickets, reads the
        # same figures (the item's, not those of the tickets they see)
        outsider = new_test_user(
            self.env,
            login="ci_outsider",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .with_user(outsider)
            .search([("itss_ci_id", "=", self.db01.id)])
        )
        self.assertEqual(
            self.db01.with_user(outsider).itss_availability(
                "2026-11-01 00:00:00", "2026-12-01 00:00:00"
            ),
            figures,
        )
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
class TestConfigurationItemDemo(ItssCase):
    """The demo's items (a demo database): the customers' systems, linked to the demo
    tickets, with plausible availability figures."""

    def test_demo_items(self):
        ref = self.env.ref
        items = self.env["itss.configuration.item"].search(
            [("partner_id", "!=", False), ("code", "not like", "CI-%")]
        )
        self.assertGreaterEqual(len(items), 12)
        db01 = ref("itss_incident.itss_ci_metro_db01_demo")
        self.assertEqual(db01.code, "db01")
        self.assertEqual(db01.parent_id, ref("itss_incident.itss_ci_metro_afc_demo"))
        self.assertEqual(
            ref("itss_incident.itss_ci_metro_storage_demo").vendor_id,
            ref("itss_incident.res_partner_vendor_demo"),
        )
        self.assertEqual(
            ref("itss_incident.helpdesk_ticket_itss_major_demo").itss_ci_id,
            ref("itss_incident.itss_ci_metro_afc_central_demo"),
        )
        for item in items:
            with self.subTest(item=item.code):
                self.assertTrue(item.user_id, "each has a configuration manager")
                self.assertTrue(0 <= item.availability_30d <= 100)
        self.assertTrue(
            any(item.outage_count for item in items), "the history has outages"
        )

import importlib.util
import os

from freezegun import freeze_time

from odoo.modules.module import get_module_path

from .common import ItssCase
from .test_sla import local


def _migration(version):
    """The post-migrate module of ``version``, imported from its file."""
    path = os.path.join(
        get_module_path("itss_incident"), "migrations", version, "post-migrate.py"
    )
    spec = importlib.util.spec_from_file_location(f"itss_migrate_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ShippedCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls.env.ref("itss_incident.resource_calendar_itss_standard")
        cls.shipped = {
            priority: cls.env.ref(f"itss_incident.sla_policy_p{priority}")
            for priority in "1234"
        }
        # the shipped policies decide, not the fixtures' own
        for policy in cls.policies.values():
            policy.active = False


class TestShippedDefaults(ShippedCase):
    """The shipped SLA policies and threshold match the seeds (DESIGN.md, "Service
    contracts"): P1 and P2 round the clock, P3 and P4 on ITSS standard hours, major
    incidents from P1 only."""

    def _activate_shipped(self):
        for policy in self.shipped.values():
            policy.active = True

    def test_shipped_calendars(self):
        self.assertFalse(self.shipped["1"].calendar_id)
        self.assertFalse(self.shipped["2"].calendar_id)
        self.assertEqual(self.shipped["3"].calendar_id, self.standard)
        self.assertEqual(self.shipped["4"].calendar_id, self.standard)

    def test_p1_friday_evening_due_that_evening(self):
        self._activate_shipped()
        with freeze_time(local("2026-11-20 20:00")):
            p1 = self._ticket(itss_impact="1", itss_urgency="1")
            p3 = self._ticket(itss_impact="3", itss_urgency="3")
        self.assertEqual(p1.itss_sla_policy_id, self.shipped["1"])
        self.assertEqual(p1.itss_response_deadline, local("2026-11-20 20:10"))
        self.assertEqual(p1.itss_resolve_deadline, local("2026-11-20 22:00"))
        # a P3 waits for Monday's standard hours: 08:30 + 8 working hours
        self.assertEqual(p3.itss_sla_policy_id, self.shipped["3"])
        self.assertEqual(p3.itss_resolve_deadline, local("2026-11-23 17:30"))

    def test_major_threshold_default_p1_only(self):
        defaults = self.env["res.company"].default_get(["itss_major_priority"])
        self.assertEqual(defaults["itss_major_priority"], "1")
        company = self.env["res.company"].create({"name": "Test new company"})
        self.assertEqual(company.itss_major_priority, "1")


class TestMigration140(ShippedCase):
    """18.0.1.4.0 moves the shipped P1/P2 policies of an existing database to 24x7 when
    nobody changed them; a changed one keeps its calendar; the stored threshold
    stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = _migration("1.4.0")
        # the state of a database installed before 1.4.0, as the installer (the
        # superuser) left it
        for priority in "12":
            cls.shipped[priority].write(
                {"calendar_id": cls.standard.id, "active": True}
            )
        cls.env.company.itss_major_priority = "2"

    def test_unchanged_moved_changed_kept(self):
        for priority in "34":
            self.shipped[priority].active = True
        # an incident manager changed P2 and changed it back: still a change
        p2 = (
            self.shipped["2"]
            .with_user(self.manager)
            .with_context(tracking_disable=False, mail_notrack=False)
        )
        p2.resolve_hours = 6
        p2.resolve_hours = 5
        self.env.cr.flush()  # the tracking messages
        with freeze_time(local("2026-11-20 20:00")):
            ticket = self._ticket(itss_impact="1", itss_urgency="1")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 10:30"))
        moved = self.migration.move_shipped_policies_to_24x7(self.env)
        self.assertEqual(moved, self.shipped["1"])
        self.assertFalse(self.shipped["1"].calendar_id)
        self.assertEqual(self.shipped["2"].calendar_id, self.standard)
        self.assertEqual(self.shipped["3"].calendar_id, self.standard)
        self.assertEqual(self.env.company.itss_major_priority, "2", "kept")
        # the open ticket is re-targeted by the scheduled action
        self.assertTrue(ticket.itss_retarget)
        with freeze_time(local("2026-11-20 20:30")):
            self.env["helpdesk.ticket"]._cron_itss_retarget()
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-20 22:00"))
        # run again: nothing left to move
        self.assertFalse(self.migration.move_shipped_policies_to_24x7(self.env))

    def test_changed_values_or_calendar_kept(self):
        self.shipped["1"].response_minutes = 15
        other = self.env["resource.calendar"].create({"name": "Test other hours"})
        self.shipped["2"].calendar_id = other
        self.assertFalse(self.migration.move_shipped_policies_to_24x7(self.env))
        self.assertEqual(self.shipped["1"].calendar_id, self.standard)
        self.assertEqual(self.shipped["2"].calendar_id, other)

    def test_copies_of_other_companies(self):
        company = self.env["res.company"].create({"name": "Test subsidiary"})
        # copies made before 1.4.0 carried the standard hours
        copies = (
            self.env["itss.sla.policy"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("priority", "in", ["1", "2"])])
        )
        self.assertEqual(len(copies), 2)
        copies.write({"calendar_id": self.standard.id})
        manual = self.env["itss.sla.policy"].create(
            {
                "name": "Test main company P1 of a user",
                "priority": "1",
                "response_minutes": 10,
                "resolve_hours": 2,
                "calendar_id": self.standard.id,
            }
        )
        moved = self.migration.move_shipped_policies_to_24x7(self.env)
        self.assertEqual(moved, self.shipped["1"] | self.shipped["2"] | copies)
        self.assertEqual(manual.calendar_id, self.standard, "not a shipped policy")

    def test_migrate_adds_china_holidays_to_the_shipped_calendar(self):
        self.standard.itss_china_holidays = False
        with freeze_time("2026-03-01 02:00:00"):
            self.migration.migrate(self.env.cr, "18.0.1.3.0")
        self.assertTrue(self.standard.itss_china_holidays)
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.standard.id), ("itss_china_holiday", "=", True)]
        )
        self.assertIn("春节 / Spring Festival", leaves.mapped("name"))

"""A major incident manager's first use: the emergency plan proposed at declaration,
clear guidance without one, plan versions that cannot be approved empty or extended
once approved, statements drafted from the communication plan."""

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from .common import ItssMajorCase


class TestMajorFirstUse(ItssMajorCase):
    major_priority = "1"
    prefix = "fu"
    label = "FU"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parent_category = cls.env["helpdesk.ticket.category"].create(
            {"name": "FU billing"}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "FU invoices", "parent_id": cls.parent_category.id}
        )
        cls.plan = cls.env["itss.emergency.plan"].create(
            {
                "name": "Billing outage",
                "system": "Billing",
                "category_ids": [(6, 0, cls.parent_category.ids)],
                "step_ids": [(0, 0, {"name": "Fail over"}), (0, 0, {"name": "Verify"})],
            }
        )

    def _system_ticket(self, category=None, impact="3"):
        """A ticket of the billing system (its category), P3 unless ``impact``."""
        return self._ticket(impact, impact, category_id=(category or self.category).id)

    def test_emergency_plan_of_the_system_is_proposed_at_declaration(self):
        ticket = self._system_ticket()
        wizard = (
            self.env["itss.major.declare"]
            .with_user(self.major_manager)
            .create({"ticket_id": ticket.id, "reason": "All invoices fail"})
        )
        self.assertEqual(
            wizard.emergency_plan_id, self.plan, "the parent category's plan"
        )
        wizard.action_confirm()
        self.assertEqual(ticket.itss_major_incident_id.emergency_plan_id, self.plan)
        # a ticket reaching the major priority declares one itself, with its plan too
        automatic = self._system_ticket(impact="1")
        self.assertEqual(automatic.itss_major_incident_id.emergency_plan_id, self.plan)
        other = self._system_ticket(
            self.env["helpdesk.ticket.category"].create({"name": "FU other"})
        )
        wizard = (
            self.env["itss.major.declare"]
            .with_user(self.major_manager)
            .create({"ticket_id": other.id, "reason": "x"})
        )
        self.assertFalse(wizard.emergency_plan_id)

    def test_follow_emergency_plan_without_one_says_where_to_look(self):
        ticket = self._system_ticket(
            self.env["helpdesk.ticket.category"].create({"name": "FU other"})
        )
        ticket.with_user(self.major_manager).action_itss_declare_major(reason="down")
        incident = ticket.itss_major_incident_id.with_user(self.major_manager)
        self.assertFalse(incident.emergency_plan_id)
        with self.assertRaisesRegex(
            UserError, r"Configuration > ITSS > Emergency Plans"
        ):
            incident.action_activate_emergency_plan()
        self.assertFalse(incident.recovery_plan_ids, "nothing created")
        incident.emergency_plan_id = self.plan
        incident.action_activate_emergency_plan()
        self.assertEqual(
            incident.recovery_plan_ids.action_ids.mapped("name"),
            ["Fail over", "Verify"],
        )

    def test_plan_version_without_action_cannot_be_approved(self):
        ticket = self._system_ticket(impact="1")
        incident = ticket.itss_major_incident_id.with_user(self.major_manager)
        incident.action_new_recovery_plan()
        plan = incident.recovery_plan_ids
        with self.assertRaisesRegex(UserError, "no action"):
            plan.action_approve()
        self.assertEqual(plan.state, "draft")
        plan.action_ids = [(0, 0, {"name": "Restart", "user_id": self.engineer.id})]
        plan.action_approve()
        self.assertEqual(plan.state, "approved")

    def test_approved_version_offers_no_new_line(self):
        ticket = self._system_ticket(impact="1")
        incident = ticket.itss_major_incident_id.with_user(self.major_manager)
        incident.action_new_recovery_plan()
        plan = incident.recovery_plan_ids
        plan.action_ids = [(0, 0, {"name": "Restart", "user_id": self.engineer.id})]
        arch = etree.fromstring(plan.get_view(view_type="form")["arch"])
        (field,) = arch.xpath("//field[@name='action_ids']")
        options = safe_eval(field.get("options", "{}"))
        for name in ("create", "delete"):
            self.assertEqual(
                plan.filtered_domain(options[name]), plan, "draft: lines added"
            )
        plan.action_approve()
        for name in ("create", "delete"):
            with self.subTest(option=name):
                self.assertFalse(
                    plan.filtered_domain(options[name]), "approved: no Add a line"
                )

    def test_statement_audiences_work_before_the_first_save(self):
        """New Statement (a button, which saves the major incident first) opens the
        statement on the saved incident: the audiences just added are there."""
        ticket = self._system_ticket(impact="1")
        incident = ticket.itss_major_incident_id.with_user(self.major_manager)
        with self.assertRaisesRegex(UserError, "audiences of the communication plan"):
            incident.action_new_statement()
        incident.communication_line_ids = [
            (
                0,
                0,
                {
                    "audience": "customers",
                    "contact_ids": [(6, 0, self.customer.ids)],
                    "approver_id": self.major_manager.id,
                },
            )
        ]
        action = incident.action_new_statement()
        self.assertEqual(action["res_model"], "itss.communication.update")
        with Form(
            self.env["itss.communication.update"]
            .with_user(self.major_manager)
            .with_context(**action["context"])
        ) as form:
            self.assertEqual(form.major_incident_id, incident)
            self.assertEqual(form.line_ids[:], incident.communication_line_ids)
            form.name = "Billing disrupted"
        self.assertEqual(
            incident.communication_update_ids.line_ids, incident.communication_line_ids
        )
        arch = etree.fromstring(incident.get_view(view_type="form")["arch"])
        (lst,) = arch.xpath("//field[@name='communication_update_ids']/list")
        self.assertEqual(lst.get("create"), "0", "no Add a line on an unsaved plan")
        self.assertTrue(arch.xpath("//button[@name='action_new_statement']"))

    def test_next_update_due_refreshes_after_sending(self):
        ticket = self._system_ticket(impact="1")
        incident = ticket.itss_major_incident_id.with_user(self.major_manager)
        incident.communication_line_ids = [
            (
                0,
                0,
                {
                    "audience": "customers",
                    "contact_ids": [(6, 0, self.customer.ids)],
                    "approver_id": self.major_manager.id,
                    "frequency_minutes": 30,
                },
            )
        ]
        line = incident.communication_line_ids
        update = (
            self.env["itss.communication.update"]
            .with_user(self.major_manager)
            .create(
                {
                    "major_incident_id": incident.id,
                    "name": "Update",
                    "body": "<p>Working</p>",
                    "line_ids": [(6, 0, line.ids)],
                }
            )
        )
        update.action_approve()
        before = line.next_update_due
        result = update.action_send()
        # the form is reloaded so the line shows its new due time
        self.assertEqual(result, {"type": "ir.actions.client", "tag": "soft_reload"})
        self.assertGreater(line.next_update_due, before)
        self.assertEqual(
            line.next_update_due, line.read(["next_update_due"])[0]["next_update_due"]
        )

    def test_landing_page_counts_open_major_incidents(self):
        def tile(user):
            queues = self.env["helpdesk.ticket"].with_user(user).itss_queue_counts()
            return next(q for q in queues if q["key"] == "major_incidents")

        open_domain = [("state", "in", ("declared", "recovering", "resolved"))]
        before = tile(self.major_manager)["count"]
        ticket = self._system_ticket()
        ticket.with_user(self.major_manager).action_itss_declare_major(
            reason="Billing down"
        )
        queue = tile(self.major_manager)
        self.assertEqual(queue["count"], before + 1)
        self.assertEqual(
            queue["count"],
            self.env["itss.major.incident"]
            .with_user(self.major_manager)
            .search_count(open_domain),
        )
        self.assertEqual(queue["action"]["res_model"], "itss.major.incident")
        # an engineer counts only the major incidents they may read
        self.assertEqual(
            tile(self.engineer)["count"],
            self.env["itss.major.incident"]
            .with_user(self.engineer)
            .search_count(open_domain),
        )

    def test_declare_from_the_gear_menu_refused_twice(self):
        ticket = self._system_ticket()
        ticket.with_user(self.major_manager).action_itss_declare_major(
            reason="Billing down"
        )
        with self.assertRaisesRegex(UserError, "already part of major incident"):
            ticket.with_user(self.major_manager).action_itss_open_major_declare()

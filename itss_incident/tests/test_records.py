"""Records an auditor can trust: closed tickets, their notifications and pauses are
kept, and read only by who reads the ticket (DESIGN.md, second edition)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import ItssCase


class TestRecords(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env,
            login="itss_employee",
            name="Plain Employee",
            groups="base.group_user",
        )
        cls.portal = new_test_user(
            cls.env,
            login="itss_portal_rec",
            name="Portal Rec",
            groups="base.group_portal",
        )
        cls.other_engineer = new_test_user(
            cls.env,
            login="itss_other_eng",
            name="Other Engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Other L2",
                "itss_tier": "2",
                "user_ids": [(6, 0, cls.other_engineer.ids)],
            }
        )

    def _with_history(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.engineer).write({"itss_wait_code_id": self.wait_code.id})
        ticket.with_user(self.engineer).action_itss_pend()
        ticket.with_user(self.engineer).action_itss_resume()
        ticket._itss_notify(
            "sla_warning", None, 1, "email", self.engineer, "Half the time used"
        )
        return ticket

    def test_closed_tickets_are_kept(self):
        for state in ("closed", "cancelled"):
            ticket = self._ticket(state)
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    ticket.with_user(self.manager).unlink()
                with self.assertRaisesRegex(UserError, "cannot be archived"):
                    ticket.with_user(self.manager).write({"active": False})
                self.assertTrue(ticket.exists() and ticket.active)
        # the superuser (no RPC call is) stays exempt: helpdesk_mgmt's suite archives
        ticket = self._ticket("closed")
        ticket.sudo().write({"active": False})
        self.assertFalse(ticket.active)
        # open tickets keep helpdesk_mgmt's rights
        open_ticket = self._ticket("new")
        open_ticket.with_user(self.manager).write({"active": False})
        self.assertFalse(open_ticket.active)

    @mute_logger("odoo.models")
    def test_history_is_not_deleted(self):
        ticket = self._with_history()
        for model in ("itss.escalation.log", "itss.sla.pause"):
            records = self.env[model].search([("ticket_id", "=", ticket.id)])
            self.assertTrue(records)
            with self.subTest(model=model), self.assertRaises(AccessError):
                records.with_user(self.manager).unlink()
        # nor rewritten: the model writes the pauses, an incident manager reads them
        pauses = self.env["itss.sla.pause"].search([("ticket_id", "=", ticket.id)])
        kept = pauses.mapped("working_minutes")
        with self.assertRaisesRegex(AccessError, "not allowed to modify"):
            pauses.with_user(self.manager).write({"working_minutes": 12345.0})
        self.assertEqual(pauses.mapped("working_minutes"), kept)
        for model in ("itss.escalation.log", "itss.sla.pause"):
            records = self.env[model].search([("ticket_id", "=", ticket.id)])
            # even with a right to delete given by an administrator
            self.env["ir.model.access"].create(
                {
                    "name": "test unlink",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "group_id": self.env.ref(
                        "itss_incident.group_itss_incident_manager"
                    ).id,
                    "perm_read": True,
                    "perm_unlink": True,
                }
            )
            with (
                self.subTest(model=model, granted=True),
                self.assertRaisesRegex(UserError, "kept"),
            ):
                records.with_user(self.manager).unlink()
            self.assertEqual(len(records.exists()), len(records))

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_history_read_by_who_reads_the_ticket(self):
        ticket = self._with_history()
        for model in ("itss.escalation.log", "itss.sla.pause"):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertTrue(
                    Model.with_user(self.engineer).search(
                        [("ticket_id", "=", ticket.id)]
                    )
                )
                self.assertTrue(
                    Model.with_user(self.agent).search([("ticket_id", "=", ticket.id)])
                )
                self.assertFalse(
                    Model.with_user(self.employee).search(
                        [("ticket_id", "=", ticket.id)]
                    ),
                    "an employee without helpdesk rights reads nothing",
                )
                self.assertFalse(
                    Model.with_user(self.other_engineer).search(
                        [("ticket_id", "=", ticket.id)]
                    ),
                    "an engineer of another team reads nothing",
                )
                with self.assertRaises(AccessError):
                    Model.with_user(self.portal).search([("ticket_id", "=", ticket.id)])
        # an employee who follows the ticket reads its history, as the ticket
        ticket.message_subscribe(partner_ids=self.employee.partner_id.ids)
        self.assertTrue(
            self.env["itss.escalation.log"]
            .with_user(self.employee)
            .search([("ticket_id", "=", ticket.id)])
        )

    def test_solution_category_vendor_logged_time_tracked(self):
        fields = self.env["helpdesk.ticket"]._fields
        for name in ("category_id", "itss_fault_vendor_id", "itss_logged_date"):
            self.assertTrue(fields[name].tracking, f"{name} is tracked")
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.engineer).write(
            {"itss_solution": "<p>Swapped the power supply</p>"}
        )
        ticket.with_user(self.engineer).write(
            {"itss_solution": "<p>Swapped it again</p>"}
        )
        bodies = " ".join(ticket.message_ids.mapped("body"))
        self.assertIn(
            "Swapped the power supply", bodies, "each version of the solution is kept"
        )
        self.assertIn("Swapped it again", bodies)

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user


class TestKnowledge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="kb_engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "KB team",
                "itss_tier": "1",
                "user_ids": [(6, 0, cls.engineer.ids)],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "KB printers", "itss_team_id": cls.team.id}
        )

    def _ticket(self, state):
        now = fields.Datetime.now()
        return self.env["helpdesk.ticket"].create(
            {
                "itss_logged_date": now,
                "name": "Printer jams",
                "description": "<p>Paper jams on every job</p>",
                "category_id": self.category.id,
                "user_id": False,
                "stage_id": self.env.ref(
                    f"itss_incident.helpdesk_ticket_stage_itss_{state}"
                ).id,
                "itss_solution": "<p>Replace the pick-up roller</p>",
                "itss_closure_code_id": self.env.ref(
                    "itss_incident.closure_code_resolved"
                ).id,
                "itss_recovery_date": now,
                "itss_satisfaction": "5",
            }
        )

    def test_publish_and_suggest(self):
        ticket = self._ticket("resolved")
        action = ticket.with_user(self.engineer).action_itss_publish_solution()
        page = ticket.itss_knowledge_page_id
        self.assertEqual(action["res_id"], page.id)
        self.assertEqual(page.itss_category_id, self.category)
        self.assertIn("pick-up roller", page.content)
        self.assertIn("Paper jams", page.content)
        # publishing again opens the same article
        self.assertEqual(ticket.action_itss_publish_solution()["res_id"], page.id)
        # a new ticket of the category gets it suggested
        new = self.env["helpdesk.ticket"].create(
            {
                "name": "Jam again",
                "description": "<p>x</p>",
                "category_id": self.category.id,
            }
        )
        self.assertIn(page, new.itss_suggested_page_ids)
        other = self.env["helpdesk.ticket"].create(
            {"name": "Other", "description": "<p>x</p>"}
        )
        self.assertNotIn(page, other.itss_suggested_page_ids)

    def test_publish_from_a_closed_ticket(self):
        ticket = self._ticket("closed")
        ticket.action_itss_publish_solution()
        self.assertTrue(ticket.itss_knowledge_page_id)

    def test_only_resolved_solutions(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Open", "description": "<p>x</p>", "category_id": self.category.id}
        )
        with self.assertRaisesRegex(UserError, "Only a resolved"):
            ticket.action_itss_publish_solution()

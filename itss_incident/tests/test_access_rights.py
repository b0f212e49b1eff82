from odoo.exceptions import AccessError
from odoo.tests import users

from odoo.addons.itss_incident import compat

from .common import ItssCase


class TestAccessRights(ItssCase):
    @users("itss_engineer", "itss_agent")
    def test_only_incident_managers_edit_the_matrix(self):
        cell = self.env["itss.priority.matrix"].search([], limit=1)
        self.assertTrue(cell.priority, "everyone internal reads the matrix")
        with self.assertRaises(AccessError):
            cell.write({"priority": "1"})
        with self.assertRaises(AccessError):
            self.env["itss.priority.matrix"].create(
                {"impact": "1", "urgency": "1", "priority": "1"}
            )
        with self.assertRaises(AccessError):
            cell.unlink()

    @users("itss_engineer", "itss_agent")
    def test_only_incident_managers_edit_codes(self):
        for model in ("itss.closure.code", "itss.wait.code"):
            record = self.env[model].search([], limit=1)
            self.assertTrue(record.name)
            with self.assertRaises(AccessError):
                record.write({"name": "Changed"})
            with self.assertRaises(AccessError):
                self.env[model].create({"name": "New", "code": "NEW"})

    @users("itss_manager")
    def test_incident_manager_edits_matrix_and_codes(self):
        cell = self.env["itss.priority.matrix"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("impact", "=", "3"),
                ("urgency", "=", "3"),
            ]
        )
        self.assertEqual(cell.priority, "3")
        cell.priority = "2"
        code = self.env["itss.wait.code"].create(
            {"name": "Waiting for power", "code": "POWER"}
        )
        # what the others see once saved: read back from the database, not the cache
        self.env.flush_all()
        self.env.invalidate_all()
        ticket = self._ticket(itss_impact="3", itss_urgency="3")
        self.assertEqual(
            ticket.itss_priority, "2", "new tickets get the manager's priority"
        )
        self.assertEqual(
            self.env["itss.wait.code"]
            .with_user(self.agent)
            .search([("code", "=", "POWER")]),
            code,
            "the desk picks the new wait code",
        )

    def test_engineer_works_own_team_tickets_only(self):
        ticket = self._ticket(team_id=self.team_l2.id)
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Other team",
                "description": "<p>x</p>",
                "team_id": self.team_plain.id,
            }
        )
        as_engineer = self.env["helpdesk.ticket"].with_user(self.engineer)
        self.assertIn(ticket, as_engineer.search([]))
        self.assertNotIn(other, as_engineer.search([]))
        as_engineer.browse(ticket.id).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertEqual(ticket.user_id, self.engineer)

    def test_portal_user_cannot_write_itss_codes(self):
        portal = self.env["res.users"].create(
            {
                "name": "Test portal",
                "login": "itss_portal",
                compat.GROUPS: [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["itss.closure.code"].with_user(portal).search([], limit=1).write(
                {"name": "x"}
            )
        with self.assertRaises(AccessError):
            self.env["itss.priority.matrix"].with_user(portal).search([])

    def test_portal_customer_cannot_write_ticket_fields(self):
        portal = self.env["res.users"].create(
            {
                "name": "Test portal writer",
                "login": "itss_portal_writer",
                compat.GROUPS: [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        ticket = self._ticket("resolved", partner_id=portal.partner_id.id)
        as_portal = ticket.with_user(portal)
        self.assertEqual(
            as_portal.itss_priority, ticket.itss_priority, "reads its own ticket"
        )
        for vals in (
            {"itss_priority": "1"},
            {"itss_satisfaction": "5"},
            {"stage_id": self.stages["closed"].id},
        ):
            with self.assertRaises(AccessError):
                as_portal.write(vals)
        self.assertEqual(ticket.itss_state, "resolved")
        other = self._ticket("new", partner_id=self.customer.id)
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["name"])

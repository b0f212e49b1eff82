from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

from .common import ItssCase

# The shipped matrix: MATRIX[impact][urgency] -> priority.
MATRIX = {
    "1": {"1": "1", "2": "1", "3": "2", "4": "3"},
    "2": {"1": "1", "2": "2", "3": "2", "4": "3"},
    "3": {"1": "2", "2": "2", "3": "3", "4": "4"},
    "4": {"1": "3", "2": "3", "3": "4", "4": "4"},
}


class TestPriority(ItssCase):
    def test_all_sixteen_cells(self):
        for impact, row in MATRIX.items():
            for urgency, priority in row.items():
                with self.subTest(impact=impact, urgency=urgency):
                    ticket = self._ticket(itss_impact=impact, itss_urgency=urgency)
                    self.assertEqual(ticket.itss_priority, priority)
                    self.assertEqual(
                        ticket.priority,
                        {"1": "3", "2": "2", "3": "1", "4": "0"}[priority],
                    )

    def test_admin_edits_a_cell(self):
        cell = self.env["itss.priority.matrix"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("impact", "=", "4"),
                ("urgency", "=", "4"),
            ]
        )
        old_ticket = self._ticket(itss_impact="4", itss_urgency="4")
        cell.with_user(self.manager).priority = "2"
        ticket = self._ticket(itss_impact="4", itss_urgency="4")
        self.assertEqual(ticket.itss_priority, "2")
        self.assertEqual(ticket.priority, "2")
        # tickets logged before keep the priority they were given
        self.assertEqual(old_ticket.itss_priority, "4")

    def test_impact_change_recomputes_over_hand_set_priority(self):
        ticket = self._ticket(itss_impact="4", itss_urgency="4")
        ticket.itss_priority = "1"
        self.assertEqual(ticket.itss_priority, "1")
        self.assertEqual(ticket.priority, "3", "helpdesk priority follows")
        ticket.itss_impact = "2"
        self.assertEqual(ticket.itss_priority, "3")
        ticket.itss_urgency = "1"
        self.assertEqual(ticket.itss_priority, "1")
        # the helpdesk priority stays writable
        ticket.priority = "0"
        self.assertEqual(ticket.priority, "0")
        self.assertEqual(ticket.itss_priority, "1")

    def test_default_urgency_vip(self):
        plain = self._ticket()
        self.assertEqual(plain.itss_urgency, "3")
        self.assertEqual(plain.itss_impact, "4")
        self.assertEqual(plain.itss_priority, "4")
        vip = self._ticket(partner_id=self.vip_contact.id)
        self.assertEqual(vip.itss_urgency, "2", "VIP commercial partner: high")
        self.assertEqual(vip.itss_priority, "3")
        explicit = self._ticket(partner_id=self.vip_contact.id, itss_urgency="4")
        self.assertEqual(explicit.itss_urgency, "4")

    def test_reporter_details_from_contact(self):
        ticket = self._ticket(partner_id=self.vip_contact.id)
        self.assertEqual(ticket.itss_reporter_org, "Test VIP Metro")
        # 19.0 has one phone field: there the phone is the mobile
        phone = "+86 138 1111" if compat.V19 else "+86 21 1111"
        self.assertEqual(ticket.itss_reporter_phone, phone)
        self.assertEqual(
            ticket.itss_reporter_mobile, False if compat.V19 else "+86 138 1111"
        )

    def test_plain_helpdesk_ticket_keeps_its_priority(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain",
                "description": "<p>x</p>",
                "team_id": self.team_plain.id,
                "itss_impact": "1",
                "itss_urgency": "1",
            }
        )
        self.assertEqual(ticket.priority, "1", "helpdesk_mgmt's default")
        self.assertEqual(ticket.itss_priority, "1")
        self.assertFalse(ticket.stage_id.itss_state)

    def test_missing_cell_is_a_clear_error(self):
        self.env.cr.execute(
            "DELETE FROM itss_priority_matrix WHERE company_id = %s AND impact = '2' "
            "AND urgency = '2'",
            [self.env.company.id],
        )
        self.env.invalidate_all()
        # the matrix is cached (issue 18); cells are never deleted through the ORM
        self.env.registry.clear_cache()
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRaisesRegex(UserError, "no cell for impact 2 and urgency 2"):
            self._ticket(itss_impact="2", itss_urgency="2")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)

    def test_unknown_selection_value(self):
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRaisesRegex(
            ValueError, "Wrong value for helpdesk.ticket.itss_impact"
        ):
            self._ticket(itss_impact="9")
        ticket = self._ticket()
        with self.assertRaisesRegex(
            ValueError, "Wrong value for helpdesk.ticket.itss_urgency"
        ):
            ticket.itss_urgency = "0"
        self.assertEqual(ticket.itss_urgency, "3")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count + 1)

    @mute_logger("odoo.sql_db")
    def test_duplicate_cell_refused(self):
        with self.assertRaises(IntegrityError):
            self.env["itss.priority.matrix"].create(
                {"impact": "1", "urgency": "1", "priority": "4"}
            )

    def test_cells_cannot_be_deleted(self):
        cell = self.env["itss.priority.matrix"].search([], limit=1)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            cell.with_user(self.manager).unlink()
        self.assertTrue(cell.exists())

    def test_new_company_gets_a_copy(self):
        company = self.env["res.company"].create({"name": "Test Subsidiary"})
        cells = self.env["itss.priority.matrix"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(cells), 16)
        got = {(c.impact, c.urgency): c.priority for c in cells}
        self.assertEqual(
            got, {(i, u): p for i, row in MATRIX.items() for u, p in row.items()}
        )
        rules = (
            self.env["itss.escalation.rule"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        self.assertEqual(
            len(rules.filtered("active")), 29, "the ITSS escalation timetable (003)"
        )
        self.assertEqual(
            set(rules.filtered(lambda r: not r.active).mapped("rule_set")),
            {"000"},
            "000's P1 timetable, archived beside it",
        )
        policies = (
            self.env["itss.sla.policy"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        self.assertEqual(sorted(policies.mapped("priority")), ["1", "2", "3", "4"])

    def test_major_priority_setting(self):
        defaults = self.env["res.company"].default_get(["itss_major_priority"])
        self.assertEqual(defaults["itss_major_priority"], "1", "P1 only by default")
        with self.assertRaises(ValueError):
            self.env.company.itss_major_priority = "5"

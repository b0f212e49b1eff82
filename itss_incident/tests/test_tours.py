from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import STAGE_XMLIDS


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def _ticket(self, state, **vals):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Tour L1", "itss_tier": "1"}
        )
        values = {
            "name": "Tour ticket",
            "description": "<p>Broken</p>",
            "team_id": team.id,
            "user_id": False,
            "stage_id": self.env.ref(STAGE_XMLIDS[state]).id,
            # logged before the recovery time a test gives (now, a moment later)
            "itss_logged_date": fields.Datetime.now(),
        }
        values.update(vals)
        if state in ("resolved", "closed"):
            values.setdefault("itss_recovery_date", fields.Datetime.now())
        return self.env["helpdesk.ticket"].create(values)

    def test_closed_ticket_form_is_read_only(self):
        ticket = self._ticket(
            "closed",
            itss_solution="<p>Fixed</p>",
            itss_closure_code_id=self.env.ref("itss_incident.closure_code_resolved").id,
            itss_satisfaction="5",
        )
        self.start_tour(
            f"/odoo/itss-incidents/{ticket.id}",
            "itss_closed_ticket_readonly",
            login="admin",
        )

    def test_accept_from_the_form(self):
        ticket = self._ticket("assigned")
        self.start_tour(
            f"/odoo/itss-incidents/{ticket.id}",
            "itss_open_ticket_accept",
            login="admin",
        )
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertEqual(ticket.user_id, self.env.ref("base.user_admin"))

    def test_desk_corrects_the_contract(self):
        agent = new_test_user(
            self.env,
            login="tour_contract_agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        office = self.env["res.partner"].create(
            {"name": "Tour Office Group", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Tour office clerk", "parent_id": office.id}
        )
        ticket = self._ticket("assigned", partner_id=contact.id, itss_impact="3")
        self.assertFalse(ticket.itss_contract_id)
        contract = self.env["itss.service.contract"].create(
            {"name": "Tour 5x8", "partner_id": office.id, "date_start": "2020-01-01"}
        )
        policy = self.env["itss.sla.policy"].create(
            {
                "name": "Tour office P3",
                "contract_id": contract.id,
                "priority": ticket.itss_priority,
                "response_minutes": 45,
                "resolve_hours": 30,
                "calendar_id": False,
            }
        )
        self.start_tour(
            f"/odoo/itss-incidents/{ticket.id}",
            "itss_desk_corrects_contract",
            login=agent.login,
        )
        self.assertEqual(ticket.itss_contract_id, contract)
        self.assertEqual(ticket.itss_sla_policy_id, policy)
        self.assertEqual(
            ticket.itss_resolve_deadline,
            ticket.itss_logged_date + timedelta(hours=30),
            "re-targeted from the logging",
        )

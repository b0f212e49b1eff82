"""Cross-addon flow: a P1 ticket becomes a major incident whose customer statement
reaches the customer on the ticket."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("standard", "post_install", "-at_install")
class TestItssFlowMajor(TransactionCase):
    def test_p1_to_customer_statement(self):
        self.env.company.itss_major_priority = "1"
        manager = new_test_user(
            self.env,
            login="flow_mi",
            email="flow_mi@example.com",
            groups="base.group_user,itss_incident_major.group_itss_major_incident_manager",
        )
        customer = new_test_user(
            self.env, login="flow_customer", groups="base.group_portal"
        )
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Flow major",
                "itss_tier": "1",
                "itss_incident_manager_id": manager.id,
            }
        )
        p2 = self.env["helpdesk.ticket"].create(
            {
                "name": "Slow",
                "description": "<p>x</p>",
                "team_id": team.id,
                "partner_id": customer.partner_id.id,
                "itss_impact": "2",
                "itss_urgency": "2",
            }
        )
        self.assertFalse(
            p2.itss_major_incident_id, "P2 is not major with the P1-only setting"
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "All stations down",
                "description": "<p>x</p>",
                "team_id": team.id,
                "partner_id": customer.partner_id.id,
                "itss_impact": "1",
                "itss_urgency": "1",
            }
        )
        incident = ticket.itss_major_incident_id
        self.assertEqual(incident.manager_ids, manager)
        line = self.env["itss.communication.plan.line"].create(
            {
                "major_incident_id": incident.id,
                "audience": "customers",
                "channel": "portal",
                "approver_id": manager.id,
            }
        )
        update = self.env["itss.communication.update"].create(
            {
                "major_incident_id": incident.id,
                "name": "We are on it",
                "line_ids": [(6, 0, line.ids)],
                "body": "<p>Engineers are restoring the service.</p>",
            }
        )
        update.with_user(manager).action_approve()
        update.action_send()
        seen = ticket.with_user(customer).message_ids.filtered(
            lambda m: "restoring the service" in (m.body or "")
        )
        self.assertTrue(seen, "the customer reads the statement on the ticket")

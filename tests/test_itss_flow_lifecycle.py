"""Cross-addon flows on a database with both addons (pytest-odoo)."""

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("standard", "post_install", "-at_install")
class TestItssFlowLifecycle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "0"  # the major process is tested apart
        cls.agent = new_test_user(
            cls.env,
            login="flow_agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        cls.engineer = new_test_user(
            cls.env,
            login="flow_engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Flow L1",
                "itss_tier": "1",
                "user_ids": [(6, 0, [cls.agent.id, cls.engineer.id])],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Flow application fault", "itss_team_id": cls.team.id}
        )
        cls.vip = cls.env["res.partner"].create(
            {"name": "Flow VIP Ltd", "is_company": True, "itss_vip": True}
        )

    def test_both_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["itss_incident", "itss_incident_major"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_incident_from_logging_to_close_is_tracked(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        ticket = Ticket.create(
            {
                "name": "ERP login fails",
                "description": "<p>Every user gets an error</p>",
                "category_id": self.category.id,
                "partner_id": self.vip.id,
                "user_id": False,
                "itss_impact": "2",
            }
        )
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(ticket.itss_urgency, "2")
        self.assertEqual(ticket.itss_priority, "2")
        # mail.thread tracks no change of a record created in the same transaction:
        # end the creation's transaction work as a commit would
        self.env.cr.precommit.run()
        ticket.action_itss_assign()
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer).write({"itss_impact": "1"})
        self.assertEqual(ticket.itss_priority, "1")
        ticket.with_user(self.engineer).write(
            {
                "itss_solution": "<p>Restarted the session service</p>",
                "itss_closure_code_id": self.env.ref(
                    "itss_incident.closure_code_resolved"
                ).id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        ticket.with_user(self.engineer).action_itss_resolve()
        ticket.write({"itss_satisfaction": "5"})
        ticket.action_itss_close()
        self.assertEqual(ticket.itss_state, "closed")
        self.env.cr.precommit.run()  # tracking is written before commit
        tracked = ticket.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        for field in (
            "stage_id",
            "itss_priority",
            "itss_impact",
            "itss_closure_code_id",
        ):
            self.assertIn(field, tracked)

    def test_chinese_names(self):
        stage = self.env.ref("itss_incident.helpdesk_ticket_stage_itss_pending")
        self.assertEqual(stage.with_context(lang="zh_CN").name, "挂起")
        code = self.env.ref("itss_incident.closure_code_workaround")
        # the glossary's word for Workaround (itss_incident/i18n/glossary.csv)
        self.assertIn("替代方案", code.with_context(lang="zh_CN").name)

"""The records whose fields differ between Odoo 18.0 and 19.0 (written by itss.compat
from the data files) are as on the other series."""

from odoo.tests.common import TransactionCase, tagged

from odoo.addons.itss_incident import compat


@tagged("post_install", "-at_install")
class TestSeriesRecords(TransactionCase):
    def test_roles_in_the_user_form(self):
        category = self.env.ref("itss_incident.module_category_itss_incident")
        for xmlid in (
            "itss_incident.group_itss_engineer",
            "itss_incident.group_itss_service_desk",
            "itss_incident.group_itss_incident_manager",
        ):
            group = self.env.ref(xmlid)
            if compat.V19:
                self.assertEqual(
                    group.privilege_id,
                    self.env.ref("itss_incident.res_groups_privilege_itss"),
                )
                self.assertEqual(group.privilege_id.category_id, category)
            else:
                self.assertEqual(group.category_id, category)

    def test_admin_is_incident_manager(self):
        group = self.env.ref("itss_incident.group_itss_incident_manager")
        self.assertIn(self.env.ref("base.user_admin"), compat.users_of(group))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "itss_incident.group_itss_incident_manager"
            )
        )

    def test_actions_and_reports_keep_their_groups(self):
        engineer = self.env.ref("itss_incident.group_itss_engineer")
        desk = self.env.ref("itss_incident.group_itss_service_desk")
        manager = self.env.ref("itss_incident.group_itss_incident_manager")
        dispatch = self.env.ref(
            "itss_incident.helpdesk_ticket_action_server_itss_dispatch"
        )
        take_over = self.env.ref(
            "itss_incident.helpdesk_ticket_action_server_itss_take_over"
        )
        self.assertEqual(dispatch[compat.GROUPS], engineer)
        self.assertEqual(take_over[compat.GROUPS], desk)
        audit = self.env.ref("itss_incident.action_report_itss_audit_record")
        self.assertEqual(audit[compat.GROUPS], manager)
        work_order = self.env.ref("itss_incident.action_report_itss_work_order")
        self.assertEqual(work_order[compat.GROUPS], engineer | desk | manager)

    def test_done_escalation_calls_stay(self):
        call = self.env.ref("itss_incident.mail_act_itss_escalation_call")
        if not compat.V19:
            self.assertTrue(call.keep_done)

    def test_demo_people(self):
        desk = self.env.ref("itss_incident.user_itss_desk_demo")
        self.assertTrue(desk.has_group("itss_incident.group_itss_service_desk"))
        self.assertFalse(desk.has_group("itss_incident.group_itss_incident_manager"))
        contact = self.env.ref("itss_incident.res_partner_metro_contact_demo")
        self.assertEqual(compat.mobile(contact), "+86 138 0000 0101")

"""A Chinese-speaking service desk sees Chinese: the labels of the ticket kanban, list
and form (every tab), the configuration menus, the portal pages and the service report
hold no Latin word outside a short allowlist (itss_zh_cn_tour.js). Records are our own,
with Chinese data; no demo record is used."""

import re

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

LATIN = re.compile(r"[A-Za-z][A-Za-z'-]*")
ALLOWED = {
    "SLA",
    "ITSS",
    "KPI",
    "VIP",
    "OA",
    "IT",
    "ID",
    "PDF",
    "URL",
    "P1",
    "P2",
    "P3",
    "P4",
    "P",
    "min",
    "h",
    "Odoo",
}


@tagged("post_install", "-at_install")
class TestZhCn(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lang = cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt", "itss_incident"], [lang.code], overwrite=True
        )
        cls.company = cls.env.company
        cls.company.itss_major_priority = "0"
        cls.company.name = "上海测试信息技术有限公司"
        common = {"lang": "zh_CN", "tz": "Asia/Shanghai"}
        cls.agent = new_test_user(
            cls.env,
            login="zh_agent",
            name="李娜（测试）",
            email="zh_agent@example.com",
            groups="base.group_user,itss_incident.group_itss_service_desk",
            **common,
        )
        cls.manager = new_test_user(
            cls.env,
            login="zh_manager",
            name="赵敏（测试）",
            email="zh_manager@example.com",
            groups="base.group_user,itss_incident.group_itss_incident_manager",
            **common,
        )
        cls.customer_company = cls.env["res.partner"].create(
            {"name": "上海测试地铁有限公司", "is_company": True, "lang": "zh_CN"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="zh_customer",
            name="黄磊（测试）",
            email="zh_customer@example.com",
            groups="base.group_portal",
            **common,
        )
        cls.portal_user.partner_id.parent_id = cls.customer_company
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "测试服务台",
                "itss_tier": "1",
                "user_ids": [(6, 0, (cls.agent | cls.manager).ids)],
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "测试：OA 系统无法登录",
                "description": "<p>今天上午起无法登录。</p>",
                "team_id": cls.team.id,
                "partner_id": cls.portal_user.partner_id.id,
            }
        )

    def _tour(self, url, tour, login):
        self.start_tour(url, tour, login=login, timeout=120)

    def test_backend_ticket_views(self):
        self._tour(
            "/odoo/action-itss_incident.helpdesk_ticket_action_itss?view_type=kanban",
            "itss_zh_cn_kanban",
            "zh_agent",
        )
        self._tour(
            "/odoo/action-itss_incident.helpdesk_ticket_action_itss?view_type=list",
            "itss_zh_cn_list",
            "zh_agent",
        )
        self._tour(
            f"/odoo/action-itss_incident.helpdesk_ticket_action_itss/{self.ticket.id}",
            "itss_zh_cn_form",
            "zh_agent",
        )

    def test_configuration(self):
        actions = [
            "helpdesk_mgmt.helpdesk_ticket_team_action",
            "helpdesk_mgmt.helpdesk_ticket_category_action",
            "helpdesk_mgmt.helpdesk_ticket_stage_action",
            "helpdesk_mgmt.helpdesk_ticket_channel_action",
            "helpdesk_mgmt.helpdesk_ticket_tag_action",
            "itss_incident.itss_closure_code_action",
            "itss_incident.itss_wait_code_action",
            "itss_incident.itss_sla_policy_action",
            "itss_incident.itss_escalation_rule_action",
            "itss_incident.itss_alert_source_action",
        ]
        for xmlid in actions:
            with self.subTest(action=xmlid):
                self._tour(f"/odoo/action-{xmlid}", "itss_zh_cn_config", "zh_manager")
        self._tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_team_action/{self.team.id}",
            "itss_zh_cn_config",
            "zh_manager",
        )

    def test_portal(self):
        self._tour("/my/tickets", "itss_zh_cn_portal", "zh_customer")
        self._tour(f"/my/ticket/{self.ticket.id}", "itss_zh_cn_portal", "zh_customer")
        self._tour("/new/ticket", "itss_zh_cn_portal", "zh_customer")

    def test_service_report_html(self):
        wizard = (
            self.env["itss.service.report"]
            .with_user(self.manager)
            .create({"lang": "zh_CN"})
        )
        self.authenticate("zh_manager", "zh_manager")
        response = self.url_open(
            f"/report/html/itss_incident.report_itss_service/{wizard.id}"
        )
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        labels = tree.xpath(
            "//main//*[self::th or self::h1 or self::h2 or self::h3 or self::h4 or "
            "self::strong or self::caption or self::dt]"
        )
        offenders = []
        for element in labels:
            text = " ".join(element.text_content().split())
            words = [w for w in LATIN.findall(text) if w not in ALLOWED]
            if words:
                offenders.append(text)
        self.assertFalse(
            offenders,
            "English left in the zh_CN service report:\n" + "\n".join(offenders),
        )

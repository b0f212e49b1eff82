from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.itss_incident import compat

STAGE_XMLIDS = {
    "new": "itss_incident.helpdesk_ticket_stage_itss_new",
    "assigned": "itss_incident.helpdesk_ticket_stage_itss_assigned",
    "in_progress": "itss_incident.helpdesk_ticket_stage_itss_in_progress",
    "pending": "itss_incident.helpdesk_ticket_stage_itss_pending",
    "resolved": "itss_incident.helpdesk_ticket_stage_itss_resolved",
    "closed": "itss_incident.helpdesk_ticket_stage_itss_closed",
    "cancelled": "itss_incident.helpdesk_ticket_stage_itss_cancelled",
}


class ItssCase(BaseCommon):
    """Fixtures of our own: users per role, ITSS teams of two tiers, a plain
    helpdesk team, a category mapped to a team, a VIP and a plain customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # these tests cover itss_incident alone: no major incident process (an
        # installed itss_incident_major would declare one for P1/P2 tickets)
        cls.env.company.itss_major_priority = "0"
        # the fixtures plan their own duty roster (a demo database has one)
        cls.env["itss.duty.shift"].search([]).unlink()
        cls.stages = {
            state: cls.env.ref(xmlid) for state, xmlid in STAGE_XMLIDS.items()
        }
        cls.agent = new_test_user(
            cls.env,
            login="itss_agent",
            name="Desk Agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        cls.engineer = new_test_user(
            cls.env,
            login="itss_engineer",
            name="Line Engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.manager = new_test_user(
            cls.env,
            login="itss_manager",
            name="Incident Manager",
            groups="base.group_user,itss_incident.group_itss_incident_manager",
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_l2 = Team.create(
            {
                "name": "Test L2 experts",
                "itss_tier": "2",
                "user_ids": [(6, 0, [cls.engineer.id])],
            }
        )
        cls.team_l1 = Team.create(
            {
                "name": "Test L1 group",
                "itss_tier": "1",
                "itss_escalation_team_id": cls.team_l2.id,
                "itss_incident_manager_id": cls.manager.id,
                "user_ids": [(6, 0, [cls.agent.id, cls.engineer.id])],
            }
        )
        cls.team_plain = Team.create({"name": "Test plain helpdesk team"})
        Category = cls.env["helpdesk.ticket.category"]
        cls.category_parent = Category.create(
            {"name": "Test servers", "itss_team_id": cls.team_l1.id}
        )
        cls.category_child = Category.create(
            {"name": "Test disk fault", "parent_id": cls.category_parent.id}
        )
        cls.category_l2 = Category.create(
            {
                "name": "Test database fault",
                "parent_id": cls.category_parent.id,
                "itss_team_id": cls.team_l2.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.vip_company = Partner.create(
            {"name": "Test VIP Metro", "is_company": True, "itss_vip": True}
        )
        cls.vip_contact = Partner.create(
            {
                "name": "Test VIP contact",
                "parent_id": cls.vip_company.id,
                "phone": "+86 21 1111",
                compat.MOBILE: "+86 138 1111",
            }
        )
        cls.customer = Partner.create({"name": "Test plain customer"})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test Mon-Fri 08:30-17:30 Shanghai",
                "tz": "Asia/Shanghai",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for start, end, period in (
                        (8.5, 12.0, "morning"),
                        (13.0, 17.5, "afternoon"),
                    )
                ],
            }
        )
        # a public holiday: Thursday 2026-12-31 (local time)
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Test New Year's Eve",
                "calendar_id": cls.calendar.id,
                "date_from": "2026-12-30 16:00:00",
                "date_to": "2026-12-31 15:59:59",
            }
        )
        Policy = cls.env["itss.sla.policy"]
        Policy.search([("company_id", "=", cls.env.company.id)]).active = False
        cls.policies = {
            priority: Policy.create(
                {
                    "name": f"Test P{priority}",
                    "priority": priority,
                    "response_minutes": response,
                    "resolve_hours": resolve,
                    "calendar_id": cls.calendar.id,
                }
            )
            for priority, response, resolve in (
                ("1", 10, 2),
                ("2", 20, 5),
                ("3", 30, 8),
                ("4", 60, 24),
            )
        }
        cls.wait_code = cls.env.ref("itss_incident.wait_code_vendor")
        cls.code_resolved = cls.env.ref("itss_incident.closure_code_resolved")

    @classmethod
    def _ticket(cls, state="new", **vals):
        """An ITSS ticket of team_l1 created directly in ``state``, with what the
        state requires."""
        values = {
            "name": "Test ticket",
            "description": "<p>Something broke</p>",
            "team_id": cls.team_l1.id,
            "partner_id": cls.customer.id,
            "user_id": False,
            "stage_id": cls.stages[state].id,
            # logged before the recovery time the requirements give (now, a moment
            # later)
            "itss_logged_date": fields.Datetime.now(),
        }
        values.update(cls._requirements(state))
        values.update(vals)
        return cls.env["helpdesk.ticket"].create(values)

    @classmethod
    def _requirements(cls, state):
        """What entering ``state`` requires (besides the transition being allowed)."""
        if state == "pending":
            return {"itss_wait_code_id": cls.wait_code.id}
        if state == "resolved":
            return {
                "itss_solution": "<p>Replaced the disk</p>",
                "itss_closure_code_id": cls.code_resolved.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        if state == "closed":
            return {
                "itss_solution": "<p>Replaced the disk</p>",
                "itss_closure_code_id": cls.code_resolved.id,
                "itss_recovery_date": fields.Datetime.now(),
                "itss_satisfaction": "4",
            }
        return {}

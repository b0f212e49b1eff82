from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.itss_incident import compat

MAJOR_MANAGER_GROUPS = (
    "base.group_user,itss_incident_major.group_itss_major_incident_manager"
)
ENGINEER_GROUPS = "base.group_user,itss_incident.group_itss_engineer"


class ItssMajorFixtures:
    """The people of a major incident, shared by the TransactionCase and HttpCase
    classes: a major incident manager, an engineer of a tier-2 team whose incident
    manager the major incident manager is, a director (a plain internal user, the
    approver of statements) and a customer. ``prefix`` and ``label`` make the logins
    and names of each class (a tour picks people by name)."""

    major_priority = "2"
    prefix = "mi"
    label = "MI"

    @classmethod
    def _setup_major_fixtures(cls):
        cls.env.company.itss_major_priority = cls.major_priority
        cls.major_manager = new_test_user(
            cls.env,
            login=f"{cls.prefix}_mim",
            name=f"{cls.label} Major Manager",
            email=f"{cls.prefix}.mim@example.com",
            tz="Asia/Shanghai",
            groups=MAJOR_MANAGER_GROUPS,
        )
        cls.major_manager.partner_id[compat.MOBILE] = "+86 138 0000 7001"
        cls.engineer = new_test_user(
            cls.env,
            login=f"{cls.prefix}_engineer",
            name=f"{cls.label} Engineer",
            tz="Asia/Shanghai",
            groups=ENGINEER_GROUPS,
        )
        cls.director = new_test_user(
            cls.env,
            login=f"{cls.prefix}_director",
            name=f"{cls.label} Director",
            email=f"{cls.prefix}.director@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": f"{cls.label} Customer",
                "email": f"{cls.prefix}.customer@example.com",
                compat.MOBILE: "+86 139 0000 0001",
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": f"{cls.label} team",
                "itss_tier": "2",
                "itss_incident_manager_id": cls.major_manager.id,
                "user_ids": [(6, 0, cls.engineer.ids)],
            }
        )

    @classmethod
    def _ticket(cls, impact="1", urgency="1", **vals):
        """A ticket of the team for the customer, with the engineer; at the default
        P1 a major incident is declared for it."""
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Billing down",
                    "description": "<p>No invoices</p>",
                    "team_id": cls.team.id,
                    "user_id": cls.engineer.id,
                    "partner_id": cls.customer.id,
                    "itss_impact": impact,
                    "itss_urgency": urgency,
                },
                **vals,
            )
        )

    @classmethod
    def _incident(cls):
        ticket = cls._ticket()
        return ticket, ticket.itss_major_incident_id


class ItssMajorCase(ItssMajorFixtures, BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_major_fixtures()

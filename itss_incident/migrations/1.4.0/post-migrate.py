"""18.0.1.4.0: the shipped P1 and P2 policies count round the clock (DESIGN.md, "Service
contracts"), where nobody changed them; the shipped calendar gets China's statutory
holidays. The company's major-incident threshold keeps the value it stores."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# the shipped values of the policies that move to 24x7 (data/itss_sla_policy_data.xml)
SHIPPED_24X7 = {
    "itss_incident.sla_policy_p1": {
        "name": "P1 - respond in 10 min, resolve in 2 h",
        "priority": "1",
        "response_minutes": 10,
        "resolve_hours": 2.0,
    },
    "itss_incident.sla_policy_p2": {
        "name": "P2 - respond in 20 min, resolve in 5 h",
        "priority": "2",
        "response_minutes": 20,
        "resolve_hours": 5.0,
    },
}


def _unchanged(policy, values, calendar):
    """Whether ``policy`` is as shipped (or as copied for a new company): the shipped
    values with the shipped calendar, no teams or categories, active, never edited
    since its creation but by the superuser, no tracked change by a user in its
    chatter."""
    policy = policy.with_context(lang="en_US")
    if (
        policy.calendar_id != calendar
        or not policy.active
        or policy.team_ids
        or policy.category_ids
        or policy.sequence != 10
        or any(policy[name] != value for name, value in values.items())
    ):
        return False
    if policy.write_uid.id != SUPERUSER_ID and policy.write_date != policy.create_date:
        return False
    tracked = policy.env["mail.tracking.value"].search_count(
        [
            ("mail_message_id.model", "=", policy._name),
            ("mail_message_id.res_id", "=", policy.id),
            ("mail_message_id.create_uid", "!=", SUPERUSER_ID),
        ],
        limit=1,
    )
    return not tracked


def move_shipped_policies_to_24x7(env):
    """Move the shipped P1/P2 policies, and the unchanged copies other companies got
    of them, to 24x7 through the ORM: their open tickets are re-targeted by the
    scheduled action (itss.retarget.mixin). Returns the policies moved."""
    Policy = env["itss.sla.policy"].with_context(active_test=False)
    calendar = env.ref(
        "itss_incident.resource_calendar_itss_standard", raise_if_not_found=False
    )
    moved = Policy.browse()
    if not calendar:
        return moved
    for xmlid, values in SHIPPED_24X7.items():
        shipped = env.ref(xmlid, raise_if_not_found=False)
        candidates = Policy.search(
            [
                ("priority", "=", values["priority"]),
                ("calendar_id", "=", calendar.id),
            ]
        )
        for policy in candidates:
            is_shipped = policy == shipped
            if not is_shipped and (
                not shipped or policy.company_id == shipped.company_id
            ):
                continue  # a policy of the main company made by a user
            if _unchanged(policy, values, calendar):
                moved |= policy
            else:
                _logger.info(
                    "SLA policy %s (%s) was changed: it keeps its calendar",
                    policy.id,
                    policy.display_name,
                )
    moved.write({"calendar_id": False})
    return moved


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    moved = move_shipped_policies_to_24x7(env)
    _logger.info("SLA policies moved to 24x7: %s", moved.ids)
    calendar = env.ref(
        "itss_incident.resource_calendar_itss_standard", raise_if_not_found=False
    )
    if calendar:
        calendar.itss_china_holidays = True
    env["resource.calendar"]._itss_install_china_holidays()

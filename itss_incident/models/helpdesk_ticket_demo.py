"""Demo data: six months of ITSS tickets a newcomer can judge the product by.

Called once from ``demo/helpdesk_ticket_history_demo.xml`` (demo data loads as the
superuser). Each ticket is logged in the past and moved through its lifecycle by the
ticket's own transitions; the facts those transitions date "now" (first response,
pauses, resolution, closing, follow-up) are then written with their historical
moments, computed on the SLA policy's working calendar, so that every fact is
consistent: nothing happens before the logging, in the future, or twice. The
notifications already due for the open tickets are logged as sent at their due
moments, so that the first run of the escalation cron sends nothing for them.
"""

import random
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.demo_samples import (
    DEMO_FOLLOWUP_NOTES,
    DEMO_KINDS,
    DEMO_SOLUTIONS,
    DEMO_TZ,
)
from .helpdesk_ticket import _ITSS_HISTORY


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _itss_demo_set_history(self, vals):
        """Write the generated history of a demo ticket (its dates and derived facts as
        they were), closed tickets included, with the generator's private pass."""
        return self.with_context(itss_history=_ITSS_HISTORY).write(vals)

    @api.model
    def _itss_demo_generate_history(self, count=96, months=6, seed=28827):
        """Demo only: ``count`` ITSS tickets logged over the last ``months`` months,
        moved through their lifecycle, then the open demo tickets' past due points
        logged. Deterministic for a given day (seeded)."""
        if not self.env.su:
            return False
        rng = random.Random(seed)
        now = fields.Datetime.now().replace(microsecond=0)
        self = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            mail_auto_subscribe_no_notify=True,
        )
        ref = self.env.ref
        partners = [
            partner
            for partner in (
                ref(f"itss_incident.{xmlid}", raise_if_not_found=False)
                for xmlid in (
                    "res_partner_metro_contact_demo",
                    "res_partner_bank_contact_demo",
                    "res_partner_water_contact_demo",
                )
            )
            if partner
        ]
        channels = {
            "phone": ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
            "email": ref("helpdesk_mgmt.helpdesk_ticket_channel_email"),
            "web": ref("helpdesk_mgmt.helpdesk_ticket_channel_web"),
            "im": ref("itss_incident.helpdesk_ticket_channel_im"),
            "onsite": ref("itss_incident.helpdesk_ticket_channel_onsite"),
            "monitoring": ref("itss_incident.helpdesk_ticket_channel_monitoring"),
        }
        start = now - timedelta(days=round(months * 30.5))
        moments = sorted(self._itss_demo_moment(rng, start, now) for _i in range(count))
        tickets = self.browse()
        for index, logged in enumerate(moments):
            kind = rng.choice(DEMO_KINDS)
            ticket = self._itss_demo_ticket(
                rng, index, kind, logged, now, partners, channels
            )
            tickets |= ticket
        self._itss_demo_age_xml_tickets(now)
        self._itss_demo_prelog_due_points(now)
        return tickets.ids

    @api.model
    def _itss_demo_moment(self, rng, start, now):
        """A logging moment between ``start`` and ``now``: mostly office hours on
        working days in Shanghai, sometimes any time; a little more recent volume (the
        trend has a slope)."""
        span = (now - start).total_seconds()
        for _attempt in range(50):
            share = rng.random() ** 0.85  # later months a little busier
            moment = start + timedelta(seconds=span * share)
            local = pytz.utc.localize(moment).astimezone(DEMO_TZ)
            if rng.random() < 0.85:
                if local.weekday() >= 5:
                    continue
                day = local.date()
                local = DEMO_TZ.localize(
                    datetime.combine(day, time(8, 30))
                    + timedelta(minutes=rng.randint(0, 570))
                )
            moment = local.astimezone(pytz.utc).replace(tzinfo=None, microsecond=0)
            if moment < now - timedelta(hours=1):
                return moment
        return now - timedelta(hours=2)

    def _itss_demo_unanswered(self, engineer, cancelled, dispatched, facts):
        """A demo ticket cancelled, or not answered yet: cancelled, assigned to
        ``engineer`` if ``dispatched`` by now, or still new."""
        self.user_id = engineer
        if cancelled:
            self._itss_move_to(
                "cancelled",
                {
                    "itss_closure_code_id": self.env.ref(
                        "itss_incident.closure_code_cancelled"
                    ).id,
                },
            )
        elif dispatched:
            self._itss_move_to("assigned")
        self._itss_demo_set_history(facts)

    def _itss_demo_pause(self, rng, policy, paused_from, paused_to, now):
        """Put the demo ticket on hold from ``paused_from`` (and back in progress at
        ``paused_to`` if that has come); its paused working minutes."""
        wait_code = self.env.ref(
            "itss_incident."
            + rng.choice(["wait_code_vendor", "wait_code_customer", "wait_code_parts"])
        )
        self.itss_wait_code_id = wait_code
        self._itss_move_to("pending")
        pause_rec = self.itss_sla_pause_ids.filtered(lambda p: not p.date_end)[:1]
        if paused_to > now:
            pause_rec.write({"date_start": paused_from})
            return 0.0
        self._itss_move_to("in_progress")
        paused_minutes = policy._itss_working_minutes(paused_from, paused_to)
        pause_rec.write(
            {
                "date_start": paused_from,
                "date_end": paused_to,
                "working_minutes": paused_minutes,
            }
        )
        return paused_minutes

    @api.model
    def _itss_demo_ticket(self, rng, index, kind, logged, now, partners, channels):
        ref = self.env.ref
        category_xmlid, ticket_type, kind_channels, impacts, titles = kind
        category = ref("itss_incident." + category_xmlid)
        team = category._itss_get_team()
        channel_code = rng.choice(kind_channels)
        partner = rng.choice(partners)
        impact = rng.choice(impacts)
        urgency = rng.choice(["2", "3", "3", "3", "4"])
        if partner.commercial_partner_id.itss_vip and urgency in ("3", "4"):
            urgency = "2" if rng.random() < 0.5 else "3"
        engineer = (team.user_id | team.user_ids)[:1]
        desk = ref("itss_incident.helpdesk_team_service_desk_demo")
        owner = self.env["itss.duty.shift"]._itss_on_duty(
            desk.company_id, logged, desk
        )[:1]
        ticket = self.create(
            {
                "name": rng.choice(titles),
                "description": Markup("<p>%s</p>") % "报告人：%s。" % partner.name,
                "category_id": category.id,
                "team_id": team.id,
                "stage_id": ref("itss_incident.helpdesk_ticket_stage_itss_new").id,
                "partner_id": partner.id,
                "channel_id": channels[channel_code].id,
                "itss_ticket_type": ticket_type,
                "itss_impact": impact,
                "itss_urgency": urgency,
                "itss_logged_date": logged,
                "itss_auto_generated": channel_code == "monitoring",
                "user_id": False,
                # who was on duty when it was logged
                "itss_owner_id": (owner or desk.user_id).id,
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "itss_incident",
                "name": f"helpdesk_ticket_itss_history_{index + 1:03d}_demo",
                "model": ticket._name,
                "res_id": ticket.id,
                "noupdate": True,
            }
        )
        policy = ticket.itss_sla_policy_id
        if not policy:
            return ticket
        # working-minute offsets from the logging
        response_target = policy.response_minutes
        resolve_target = policy.resolve_hours * 60.0
        late_response = rng.random() < 0.08
        response = response_target * (
            rng.uniform(1.1, 2.5) if late_response else rng.uniform(0.1, 0.9)
        )
        late_resolution = rng.random() < 0.07
        work = resolve_target * (
            rng.uniform(1.05, 1.6) if late_resolution else rng.uniform(0.1, 0.85)
        )
        work = max(work, response + 10)
        escalate = (
            ticket_type == "incident"
            and team.itss_escalation_team_id
            and team.itss_tier == "1"
            and rng.random() < 0.18
        )
        escalated_at = response + (work - response) * rng.uniform(0.2, 0.4)
        pause_at = response + (work - response) * rng.uniform(0.5, 0.7)
        pause = rng.uniform(30, 600) if rng.random() < 0.2 else 0.0
        offsets = [
            0.0,
            response,
            escalated_at,
            pause_at,
            pause_at + pause,
            work + pause,
        ]
        dates = policy._itss_add_minutes(logged, offsets)
        if not all(dates):
            return ticket
        _start, responded, escalated, paused_from, paused_to, resolved = dates
        dispatched = logged + timedelta(minutes=rng.randint(1, 6))
        facts = {"itss_dispatch_date": min(dispatched, now)}
        cancelled = rng.random() < 0.03
        if cancelled or responded > now:
            ticket._itss_demo_unanswered(engineer, cancelled, dispatched <= now, facts)
            return ticket
        ticket.user_id = engineer
        ticket._itss_move_to("in_progress")
        facts.update(
            {
                "itss_first_response_date": responded,
                "itss_response_minutes": policy._itss_working_minutes(
                    logged, responded
                ),
                "itss_response_breached": bool(
                    responded > ticket.itss_response_deadline
                ),
            }
        )
        if escalate and escalated <= now:
            ticket.action_itss_escalate()
            expert = (ticket.team_id.user_id | ticket.team_id.user_ids)[:1]
            ticket.user_id = expert
            ticket._itss_move_to("in_progress")
            facts["itss_dispatch_date"] = escalated
        paused_minutes = 0.0
        if pause and paused_from <= now:
            paused_minutes = ticket._itss_demo_pause(
                rng, policy, paused_from, paused_to, now
            )
        facts["itss_paused_minutes"] = paused_minutes
        ticket._itss_demo_set_history(facts)
        if resolved > now or ticket.itss_state == "pending":
            return ticket
        recovery = max(logged, resolved - timedelta(minutes=rng.randint(0, 25)))
        ticket.write(
            {
                "itss_solution": Markup("<p>%s</p>") % rng.choice(DEMO_SOLUTIONS),
                "itss_closure_code_id": ref(
                    "itss_incident.closure_code_workaround"
                    if rng.random() < 0.1
                    else "itss_incident.closure_code_resolved"
                ).id,
                "itss_recovery_date": recovery if ticket_type == "incident" else False,
            }
        )
        ticket._itss_move_to("resolved")
        days = ticket.company_id.itss_auto_close_days
        reminder = resolved + timedelta(days=1)
        while reminder <= now:
            reminder += timedelta(days=1)
        ticket._itss_demo_set_history(
            {
                "itss_resolved_date": resolved,
                "itss_completion_date": recovery,
                "itss_resolve_minutes": max(
                    policy._itss_working_minutes(logged, resolved) - paused_minutes, 0.0
                ),
                "itss_resolve_breached": ticket._itss_resolve_breached_at(resolved),
                "itss_auto_close_date": resolved + timedelta(days=days),
                "itss_reminder_date": reminder,
            }
        )
        # closing: by the customer in the portal, by the service desk with the
        # satisfaction given by phone, or automatically after the confirmation period
        roll = rng.random()
        satisfaction = rng.choice(["5", "5", "5", "4", "4", "4", "3", "2"])
        if ticket.itss_auto_generated:
            origin, closed = "auto", resolved + timedelta(days=days)
        elif roll < 0.45:
            origin, closed = (
                "customer",
                resolved + timedelta(hours=rng.uniform(0.5, 30)),
            )
        elif roll < 0.85:
            origin, closed = "desk", resolved + timedelta(hours=rng.uniform(1, 48))
        else:
            origin, closed = (
                "auto",
                resolved + timedelta(days=days, minutes=rng.randint(1, 60)),
            )
        if closed > now:
            return ticket
        if origin == "auto":
            ticket._itss_move_to(
                "closed",
                {
                    "itss_close_origin": "auto",
                    "itss_closure_code_id": ref(
                        "itss_incident.closure_code_auto_closed"
                    ).id,
                },
            )
        else:
            ticket._itss_move_to(
                "closed",
                {"itss_close_origin": origin, "itss_satisfaction": satisfaction},
            )
        ticket._itss_demo_set_history(
            {"closed_date": closed, "last_stage_update": closed}
            if "closed_date" in ticket._fields
            else {}
        )
        followup_due = closed + timedelta(days=3)
        if followup_due <= now:
            result = rng.choice(
                ["satisfied", "satisfied", "satisfied", "unreachable", "not_satisfied"]
            )
            ticket.write(
                {
                    "itss_followup_result": result,
                    "itss_followup_note": rng.choice(DEMO_FOLLOWUP_NOTES),
                }
            )
            ticket._itss_demo_set_history({"itss_followup_date": followup_due})
            ticket.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == ref("itss_incident.mail_act_itss_followup")
                )
            ).unlink()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                logged,
                ticket.id,
            )
        )
        return ticket

"""Demo data: the one-per-state tickets of ``demo/helpdesk_ticket_demo.xml`` dated a
little before now, and the notifications already due for the open demo tickets logged
as sent (models/helpdesk_ticket_demo.py generates the history)."""

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES
from .itss_escalation_log import CALL_ACTIVITY_TYPE


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itss_demo_age_xml_tickets(self, now):
        """The one-per-state demo tickets of helpdesk_ticket_demo.xml: logged a little
        before now, with the facts of the states they were loaded in."""
        ages = {
            "helpdesk_ticket_itss_new_demo": 12,
            "helpdesk_ticket_itss_assigned_demo": 45,
            "helpdesk_ticket_itss_in_progress_demo": 150,
            "helpdesk_ticket_itss_pending_demo": 26 * 60,
            "helpdesk_ticket_itss_major_demo": 50,
            "helpdesk_ticket_itss_cancelled_demo": 30,
        }
        for xmlid in [
            "helpdesk_ticket_itss_new_demo",
            "helpdesk_ticket_itss_assigned_demo",
            "helpdesk_ticket_itss_in_progress_demo",
            "helpdesk_ticket_itss_pending_demo",
            "helpdesk_ticket_itss_resolved_demo",
            "helpdesk_ticket_itss_closed_demo",
            "helpdesk_ticket_itss_major_demo",
            "helpdesk_ticket_itss_cancelled_demo",
        ]:
            ticket = self.env.ref("itss_incident." + xmlid, raise_if_not_found=False)
            if not ticket:
                continue
            logged = ticket.itss_logged_date
            policy = ticket.itss_sla_policy_id
            state = ticket.itss_state
            # the loaded ticket's facts follow its new logging moment (in one write:
            # the recovery time stays between logging and resolution)
            if xmlid in ages:
                logged = now - timedelta(minutes=ages[xmlid])
                ticket._itss_demo_set_history({"itss_logged_date": logged})
            elif policy and state in ("resolved", "closed"):
                logged, resolved = self._itss_demo_last_working_span(policy, now, 150)
                dates = {"itss_logged_date": logged, "itss_resolved_date": resolved}
                if ticket.itss_recovery_date:
                    dates["itss_recovery_date"] = resolved - timedelta(minutes=10)
                ticket._itss_demo_set_history(dates)
            facts = {"itss_dispatch_date": logged + timedelta(minutes=2)}
            if policy and state in ("in_progress", "pending", "resolved", "closed"):
                responded = min(
                    policy._itss_add_minutes(logged, [policy.response_minutes * 0.5])[0]
                    or now,
                    logged + timedelta(minutes=5),
                    now,
                )
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
            if state == "pending" and not ticket.itss_sla_pause_ids:
                self.env["itss.sla.pause"].create(
                    {
                        "ticket_id": ticket.id,
                        "date_start": logged + timedelta(hours=2),
                        "wait_code_id": ticket.itss_wait_code_id.id,
                    }
                )
            if policy and state in ("resolved", "closed") and ticket.itss_resolved_date:
                resolved = max(ticket.itss_resolved_date, logged)
                facts.update(
                    {
                        "itss_resolved_date": resolved,
                        "itss_completion_date": min(
                            ticket.itss_recovery_date or resolved, resolved
                        ),
                        "itss_resolve_minutes": max(
                            policy._itss_working_minutes(logged, resolved)
                            - ticket.itss_paused_minutes,
                            0.0,
                        ),
                        "itss_resolve_breached": ticket._itss_resolve_breached_at(
                            resolved
                        ),
                    }
                )
                if state == "resolved":
                    days = ticket.company_id.itss_auto_close_days
                    facts.update(
                        {
                            "itss_auto_close_date": resolved + timedelta(days=days),
                            "itss_reminder_date": resolved + timedelta(days=1),
                        }
                    )
                if state == "closed" and not ticket.itss_close_origin:
                    facts["itss_close_origin"] = "desk"
            ticket._itss_demo_set_history(facts)
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                    logged,
                    ticket.id,
                )
            )

    @api.model
    def _itss_demo_last_working_span(self, policy, now, minutes):
        """(start, end): the latest span of ``minutes`` working minutes of ``policy``
        that ends before ``now``, on the working days of the last two weeks."""
        if policy.calendar_id:
            begin = pytz.utc.localize(now - timedelta(days=14))
            intervals = policy.calendar_id._work_intervals_batch(
                begin, pytz.utc.localize(now)
            )[False]
            for day_start, _stop, _meta in reversed(list(intervals)):
                start = day_start.astimezone(pytz.utc).replace(tzinfo=None) + timedelta(
                    minutes=20
                )
                end = policy._itss_add_minutes(start, [minutes])[0]
                if end and end <= now - timedelta(minutes=10):
                    return start, end
        return now - timedelta(minutes=minutes + 60), now - timedelta(minutes=60)

    @api.model
    def _itss_demo_prelog_due_points(self, now=None):
        """Handle the due points the open demo tickets passed before now, as the
        escalation cron would have (breaches, warnings, automatic escalation), with
        their log rows dated at the due moments; the notifications themselves are not
        queued: they belong to the demo's past. Demo data of other addons that act
        on the demo tickets (a statement posted on them...) call it again."""
        if not self.env.su:
            return False
        now = now or fields.Datetime.now().replace(microsecond=0)
        data = self.env["ir.model.data"].search(
            [("module", "=", "itss_incident"), ("model", "=", "helpdesk.ticket")]
        )
        tickets = (
            self.browse(data.mapped("res_id"))
            .exists()
            .filtered(
                lambda t: (
                    t.team_id.itss_tier and t.itss_state not in ITSS_TERMINAL_STATES
                )
            )
        )
        last = {}
        for model in ("mail.mail", "sms.sms", "mail.activity"):
            self.env.cr.execute(
                SQL(
                    "SELECT COALESCE(MAX(id), 0) FROM %s",
                    SQL.identifier(self.env[model]._table),
                )
            )
            last[model] = self.env.cr.fetchone()[0]
        for ticket in tickets:
            rules = ticket._itss_escalation_rules()
            points = ticket._itss_due_points(rules, ticket._itss_checked_date(), now)
            ticket._itss_escalate(now, rules)
            for moment, kind, rule, sequence in points:
                if kind == "progress" or moment > now:
                    continue
                self.env.cr.execute(
                    SQL(
                        """UPDATE itss_escalation_log SET date = %s
                            WHERE ticket_id = %s AND kind = %s
                              AND COALESCE(rule_id, 0) = %s AND sequence = %s""",
                        moment,
                        ticket.id,
                        kind,
                        rule.id if rule else 0,
                        sequence,
                    )
                )
        call_type = self.env.ref(CALL_ACTIVITY_TYPE)
        for model in ("mail.mail", "sms.sms", "mail.activity"):
            records = self.env[model].search([("id", ">", last[model])])
            if model == "mail.activity":
                records = records.filtered(lambda a: a.activity_type_id == call_type)
            records.unlink()
        self.env["itss.escalation.log"].invalidate_model(["date"])

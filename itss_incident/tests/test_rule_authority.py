"""One authority for the rules (issue: "one authority for every rule"): derived facts go
through every addon's ``write``, the concerns meet in one state-change hook, due points
are the escalation rules' own, and configuration reaches open tickets through the
scheduled re-targeting, not in the saving transaction."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tools import mute_logger

from odoo.addons.itss_incident.models import helpdesk_ticket_demo

from .test_escalation import EscalationCase
from .test_sla import local

# the last helpdesk.ticket class of itss_incident: every write of the model's own code
# that skipped the classes above the lifecycle (other addons) skipped this one too
TopClass = helpdesk_ticket_demo.HelpdeskTicket


# the methods patched onto TopClass, recording what they see into ``record``; out of
# the test methods, as pylint-odoo reads a nested super() as the test method's own
def recording_write(record):
    def write(self, vals):
        record.append(set(vals))
        return super(TopClass, self).write(vals)

    return write


def recording_hook(record, what):
    def hook(self, before, facts, now):
        record.append(what(self, before))
        return super(TopClass, self)._itss_on_state_change(before, facts, now)

    return hook


class TestOneWritePath(EscalationCase):
    def test_derived_facts_pass_through_every_write(self):
        """Resolving and closing write SLA and closure facts: every addon above the
        lifecycle (the major addon, the knowledge bridge) sees them in its ``write``."""
        seen = []
        write = recording_write(seen)
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        with patch.object(TopClass, "write", write, create=True):
            ticket.with_user(self.engineer)._itss_resolve(
                {
                    "itss_solution": "<p>Disk replaced</p>",
                    "itss_closure_code_id": self.code_resolved.id,
                    "itss_recovery_date": ticket.itss_logged_date,
                }
            )
        written = set().union(*seen)
        self.assertIn("stage_id", written)
        for fact in (
            "itss_resolve_minutes",
            "itss_auto_close_date",
            "itss_reminder_date",
        ):
            self.assertIn(fact, written, f"{fact} written through write")
        self.assertFalse(
            hasattr(ticket, "_itss_write_facts"), "no write path around write"
        )

    def test_one_state_change_hook_per_change(self):
        """Each concern extends one hook; a close calls it once, with the state before,
        and writes the facts of every concern in one write per ticket."""
        calls = []
        hook = recording_hook(
            calls, lambda _self, before: {tid: b.state for tid, b in before.items()}
        )
        ticket = self._ticket(
            "resolved", user_id=self.engineer.id, itss_owner_id=self.agent.id
        )
        with patch.object(TopClass, "_itss_on_state_change", hook, create=True):
            ticket.with_user(self.agent)._itss_close_by_desk({"itss_satisfaction": "5"})
        self.assertEqual(calls, [{ticket.id: "resolved"}])
        self.assertEqual(ticket.itss_state, "closed")
        self.assertFalse(ticket.itss_auto_close_date, "closure's facts written")
        self.assertFalse(ticket.itss_sla_at_risk, "SLA's facts written")
        followup = self.env.ref("itss_incident.mail_act_itss_followup")
        self.assertIn(
            followup, ticket.activity_ids.activity_type_id, "closure's effect ran"
        )

    def test_a_private_pass_does_not_reach_the_writes_it_sets_off(self):
        """The pass a transition carries covers its own write: the facts a user may not
        write stay refused inside what it sets off (a functional escalation's move)."""
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        contexts = []
        hook = recording_hook(contexts, lambda self, _before: dict(self.env.context))
        with patch.object(TopClass, "_itss_on_state_change", hook, create=True):
            ticket.with_user(self.engineer).action_itss_escalate()
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertTrue(contexts, "the escalation's changes went through the hook")
        for context in contexts:
            self.assertFalse(context.get("itss_facts"))
            self.assertFalse(context.get("itss_functional_escalation"))


class TestRuleDuePoints(EscalationCase):
    def _rule(self, trigger, minutes, priority):
        return self.env["itss.escalation.rule"].create(
            {
                "priority": priority,
                "trigger": trigger,
                "minutes": minutes,
                "role": "director",
                "notify_email": True,
            }
        )

    def test_each_trigger_evaluated_by_its_rule(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="3", itss_urgency="3")
        priority = ticket.itss_priority
        now = start + timedelta(minutes=25)
        created = self._rule("created", 10, priority)
        self.assertEqual(
            created._itss_due_points(ticket, now), [(start, "rule", created, 0)]
        )
        periodic = self._rule("periodic", 10, priority)
        self.assertEqual(
            periodic._itss_due_points(ticket, now),
            [
                (start + timedelta(minutes=20), "rule", periodic, 2),
                (start + timedelta(minutes=30), "rule", periodic, 3),
            ],
        )
        overdue = self._rule("overdue", 15, priority)
        self.assertEqual(
            overdue._itss_due_points(ticket, now),
            [
                (
                    ticket.itss_resolve_deadline + timedelta(minutes=15),
                    "rule",
                    overdue,
                    0,
                )
            ],
        )
        resolved = self._rule("resolved", 5, priority)
        self.assertEqual(resolved._itss_due_points(ticket, now), [], "not resolved yet")


class TestRetargeting(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retarget_cron = cls.env.ref("itss_incident.ir_cron_itss_retarget")

    def _retarget(self, when, **kwargs):
        with freeze_time(when):
            self.Ticket._cron_itss_retarget(**kwargs)
            self.env.flush_all()

    def _open_p3(self, start):
        ticket = self._log_ticket(start, itss_impact="3", itss_urgency="3")
        self.Ticket._cron_itss_retarget()  # the fixtures' own policies
        self.env.flush_all()
        return ticket

    def test_new_escalation_rule_reaches_open_tickets(self):
        start = local("2026-11-20 09:00")
        ticket = self._open_p3(start)
        closed = self._ticket("closed", itss_impact="3", itss_urgency="3")
        self._cron(start + timedelta(seconds=30))  # the shipped rules due at logging
        before = ticket.itss_next_action_date
        self.assertEqual(
            before, start + timedelta(minutes=15), "the 50% response warning"
        )
        triggers = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.retarget_cron.id)]
        )
        with freeze_time(start + timedelta(minutes=1)):
            rule = (
                self.env["itss.escalation.rule"]
                .with_user(self.manager)
                .create(
                    {
                        "priority": ticket.itss_priority,
                        "trigger": "periodic",
                        "minutes": 7,
                        "role": "director",
                        "notify_email": True,
                    }
                )
            )
            self.env.flush_all()
        ticket.invalidate_recordset()
        self.assertTrue(ticket.itss_retarget)
        self.assertFalse(closed.itss_retarget, "closed tickets keep their targets")
        self.assertEqual(
            ticket.itss_next_action_date, before, "nothing recomputed on save"
        )
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count(
                [("cron_id", "=", self.retarget_cron.id)]
            ),
            triggers,
            "the re-targeting runs soon",
        )
        self._retarget(start + timedelta(minutes=2))
        self.assertFalse(ticket.itss_retarget)
        self.assertEqual(ticket.itss_next_action_date, start + timedelta(minutes=7))
        self._cron(start + timedelta(minutes=8))
        self.assertEqual(len(self._logs(ticket, kind="rule", rule_id=rule.id)), 1)
        # the scheduled action run again changes nothing
        self._retarget(start + timedelta(minutes=9))
        self.assertEqual(len(self._logs(ticket, kind="rule", rule_id=rule.id)), 1)

    def test_policy_change_moves_deadlines_in_the_scheduled_action(self):
        start = local("2026-11-20 09:00")  # a Friday; lunch 12:00-13:00
        ticket = self._open_p3(start)
        policy = ticket.itss_sla_policy_id
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 09:00"))
        policy.with_user(self.manager).resolve_hours = 4
        self.env.flush_all()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 09:00"))
        self._retarget(start + timedelta(minutes=5))
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-20 14:00"))
        # archiving the policy: the ticket has no SLA any more
        policy.with_user(self.manager).active = False
        self._retarget(start + timedelta(minutes=6))
        self.assertFalse(ticket.itss_sla_policy_id)
        self.assertFalse(ticket.itss_resolve_deadline)

    def test_company_thresholds_move_warnings(self):
        start = local("2026-11-20 09:00")
        ticket = self._open_p3(start)
        self.assertEqual(ticket.itss_response_warn_date, start + timedelta(minutes=15))
        self.env.company.itss_sla_warn_first_pct = 60
        self.env.flush_all()
        ticket.invalidate_recordset()
        self.assertTrue(ticket.itss_retarget)
        self._retarget(start + timedelta(minutes=1))
        self.assertEqual(ticket.itss_response_warn_date, start + timedelta(minutes=18))

    def test_the_save_costs_the_same_for_many_open_tickets(self):
        start = local("2026-11-20 09:00")
        self._open_p3(start)
        policy = self.policies["3"]

        def save_cost(hours):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            policy.with_user(self.manager).resolve_hours = hours
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        save_cost(5)  # caches warm
        self.Ticket._cron_itss_retarget()
        few = save_cost(6)
        self.Ticket._cron_itss_retarget()
        for _index in range(30):
            self._log_ticket(start, itss_impact="3", itss_urgency="3")
        self.Ticket._cron_itss_retarget()
        self.env.flush_all()
        self.assertEqual(save_cost(7), few)

    def test_a_failing_ticket_is_tried_again_later(self):
        """A ticket whose re-targeting fails keeps its targets and its mark: it is
        not picked first on every run (the others go on), and it is not lost
        either: it is tried again an hour later."""
        start = local("2026-11-20 09:00")
        tickets = [self._open_p3(start) for _index in range(3)]
        self.policies["3"].resolve_hours = 4
        self.env.flush_all()
        original = type(self.Ticket)._itss_retarget
        broken = tickets[1]

        def retarget(ticket):
            if ticket == broken:
                raise ValueError("broken calendar")
            return original(ticket)

        with (
            patch.object(type(self.Ticket), "_itss_retarget", retarget),
            mute_logger("odoo.addons.itss_incident.tools.cron_batch"),
        ):
            self._retarget(start + timedelta(minutes=1), batch_size=10)
        for ticket in (tickets[0], tickets[2]):
            ticket.invalidate_recordset()
            self.assertFalse(ticket.itss_retarget)
            self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-20 14:00"))
        broken.invalidate_recordset()
        self.assertTrue(broken.itss_retarget, "the failing ticket is not forgotten")
        self.assertEqual(broken.itss_retarget_retry_date, start + timedelta(minutes=61))
        self.assertEqual(
            broken.itss_resolve_deadline, local("2026-11-23 09:00"), "kept"
        )
        # before the hour, the run leaves it alone (and the next tickets go first)
        other = self._log_ticket(start, itss_impact="3", itss_urgency="3")
        other._itss_set_facts({"itss_retarget": True})
        self._retarget(start + timedelta(minutes=30), batch_size=1)
        other.invalidate_recordset()
        broken.invalidate_recordset()
        self.assertFalse(other.itss_retarget)
        self.assertTrue(broken.itss_retarget)
        # an hour later it is re-targeted, once its calendar works again
        self._retarget(start + timedelta(minutes=62), batch_size=10)
        broken.invalidate_recordset()
        self.assertFalse(broken.itss_retarget)
        self.assertFalse(broken.itss_retarget_retry_date)
        self.assertEqual(broken.itss_resolve_deadline, local("2026-11-20 14:00"))

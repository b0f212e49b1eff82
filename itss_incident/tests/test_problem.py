from odoo.exceptions import AccessError, UserError

from .common import ItssCase


class TestProblem(ItssCase):
    def test_send_ticket_to_problem_management(self):
        ticket = self._ticket("resolved", itss_impact="2", itss_urgency="2")
        self.team_l1.itss_incident_manager_id = self.manager
        action = ticket.with_user(self.engineer).action_itss_send_to_problem()
        problem = ticket.itss_problem_id
        self.assertEqual(action["res_id"], problem.id)
        self.assertEqual(problem.name, ticket.name)
        self.assertEqual(problem.priority, "2")
        self.assertEqual(problem.user_id, self.manager)
        self.assertEqual(problem.state, "open")
        self.assertTrue(problem.number.startswith("PRB"))
        self.assertIn("Replaced the disk", problem.description)
        self.assertEqual(problem.ticket_ids, ticket)
        # again: the same problem
        self.assertEqual(ticket.action_itss_send_to_problem()["res_id"], problem.id)
        # another ticket links to it, also once closed
        other = self._ticket("closed")
        other.itss_problem_id = problem
        self.assertEqual(problem.ticket_count, 2)

    def test_problem_states(self):
        problem = self.env["itss.problem"].create({"name": "Disks fail in batch"})
        with self.assertRaisesRegex(UserError, "root cause and a workaround"):
            problem.action_known_error()
        with self.assertRaisesRegex(UserError, "without its root cause"):
            problem.action_close()
        problem.write(
            {"root_cause": "<p>Firmware bug</p>", "workaround": "<p>Replace early</p>"}
        )
        problem.action_known_error()
        self.assertEqual(problem.state, "known_error")
        with self.assertRaisesRegex(UserError, "Only an open problem"):
            problem.action_known_error()
        problem.action_close()
        self.assertEqual(problem.state, "closed")
        problem.action_reopen()
        self.assertEqual(problem.state, "open")

    def test_problem_access(self):
        problem = (
            self.env["itss.problem"].with_user(self.engineer).create({"name": "Loop"})
        )
        problem.with_user(self.engineer).name = "Switch loop"
        with self.assertRaises(AccessError):
            problem.with_user(self.engineer).unlink()
        problem.with_user(self.manager).unlink()

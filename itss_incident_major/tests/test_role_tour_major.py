from odoo.tests import HttpCase, tagged

from .common import ItssMajorFixtures


@tagged("post_install", "-at_install")
class TestRoleTourMajorManager(ItssMajorFixtures, HttpCase):
    """The major incident manager's daily flow in the browser, through the buttons and
    dialogs they use, then what the database holds afterwards."""

    # the tours pick "Tour Engineer", "Tour Customer" and "Tour Director" by name and
    # log in as tour_mim and tour_director
    prefix = "tour"
    label = "Tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a real major incident manager: the group implies incident manager, hence
        # service desk, engineer and helpdesk manager; the director, approver of the
        # customers' statements, has no helpdesk right
        cls._setup_major_fixtures()
        cls.team.write(
            {"name": "Tour ticketing L2", "user_ids": [(4, cls.major_manager.id)]}
        )
        # P4: below the major priority, declared by hand
        cls.ticket = cls._ticket(
            "4", "4", name="Station ticket sales down", description="<p>No sales</p>"
        )

    def test_major_incident_manager_day(self):
        self.assertFalse(self.ticket.itss_major_incident_id)
        self.start_tour(
            f"/odoo/itss-incidents/{self.ticket.id}",
            "itss_role_major_manager",
            login="tour_mim",
        )
        incident = self.ticket.itss_major_incident_id
        self.assertTrue(incident, "declared from the ticket's button")
        self.assertEqual(
            incident.declared_reason, "All stations have lost ticket sales"
        )
        self.assertEqual(incident.state, "recovering")
        self.assertEqual(incident.manager_ids, self.major_manager)
        plan = incident.recovery_plan_ids
        self.assertEqual(plan.mapped("state"), ["approved"])
        self.assertEqual(plan.approved_by_id, self.major_manager)
        line = incident.communication_line_ids
        self.assertEqual(
            (line.audience, line.channel, line.contact_ids, line.approver_id),
            ("customers", "email", self.customer, self.director),
        )
        update = incident.communication_update_ids
        self.assertEqual(update.name, "Ticket sales disrupted")
        self.assertEqual(update.state, "sent")
        self.assertEqual(update.approved_by_id, self.major_manager)
        self.assertEqual(update.line_ids, line)
        self.assertTrue(update.sent_date)
        # the director's approval to-do is done: the manager approved
        self.assertFalse(update.activity_ids)
        # the email channel queued the statement to the customer
        mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.customer.ids),
                ("body_html", "like", "restoring ticket sales at all stations"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertGreater(line.next_update_due, update.sent_date)

    def test_statement_approver_day(self):
        """The director, a plain internal user named approver, approves from the list of
        statements awaiting them."""
        self.ticket.action_itss_declare_major(reason="Ticketing down")
        incident = self.ticket.itss_major_incident_id
        line = self.env["itss.communication.plan.line"].create(
            {
                "major_incident_id": incident.id,
                "audience": "senior_management",
                "channel": "email",
                "contact_ids": [(6, 0, self.director.partner_id.ids)],
                "approver_id": self.director.id,
            }
        )
        update = self.env["itss.communication.update"].create(
            {
                "major_incident_id": incident.id,
                "name": "Board update",
                "line_ids": [(6, 0, line.ids)],
                "body": "<p>Sales stopped at 9:00</p>",
            }
        )
        self.assertEqual(update.activity_ids.user_id, self.director)
        self.start_tour(
            "/odoo/itss-statements",
            "itss_role_statement_approver",
            login="tour_director",
        )
        self.assertEqual(update.state, "approved")
        self.assertEqual(update.approved_by_id, self.director)
        self.assertFalse(update.activity_ids)

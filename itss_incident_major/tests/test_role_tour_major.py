from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRoleTourMajorManager(HttpCase):
    """The major incident manager's daily flow in the browser, through the buttons and
    dialogs they use, then what the database holds afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "2"
        # a real major incident manager: the group implies incident manager, hence
        # service desk, engineer and helpdesk manager
        cls.manager = new_test_user(
            cls.env, login="tour_mim", name="Tour Major Manager", email="mim@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident_major.group_itss_major_incident_manager",
        )
        cls.engineer = new_test_user(
            cls.env, login="tour_mi_engineer", name="Tour Engineer", tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        # the approver of the customers' statements: a director with no helpdesk right
        cls.director = new_test_user(
            cls.env, login="tour_director", name="Tour Director", email="director@example.com",
            groups="base.group_user",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "email": "tour.customer@example.com"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Tour ticketing L2", "itss_tier": "2",
             "itss_incident_manager_id": cls.manager.id,
             "user_ids": [(6, 0, (cls.manager | cls.engineer).ids)]}
        )
        # P4: below the major priority, declared by hand
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Station ticket sales down", "description": "<p>No sales</p>",
             "team_id": cls.team.id, "user_id": cls.engineer.id,
             "partner_id": cls.customer.id, "itss_impact": "4", "itss_urgency": "4"}
        )

    def test_major_incident_manager_day(self):
        self.assertFalse(self.ticket.itss_major_incident_id)
        self.start_tour(
            f"/odoo/itss-incidents/{self.ticket.id}", "itss_role_major_manager", login="tour_mim"
        )
        incident = self.ticket.itss_major_incident_id
        self.assertTrue(incident, "declared from the ticket's button")
        self.assertEqual(incident.declared_reason, "All stations have lost ticket sales")
        self.assertEqual(incident.state, "recovering")
        self.assertEqual(incident.manager_ids, self.manager)
        plan = incident.recovery_plan_ids
        self.assertEqual(plan.mapped("state"), ["approved"])
        self.assertEqual(plan.approved_by_id, self.manager)
        line = incident.communication_line_ids
        self.assertEqual(
            (line.audience, line.channel, line.contact_ids, line.approver_id),
            ("customers", "email", self.customer, self.director),
        )
        update = incident.communication_update_ids
        self.assertEqual(update.name, "Ticket sales disrupted")
        self.assertEqual(update.state, "sent")
        self.assertEqual(update.approved_by_id, self.manager)
        self.assertEqual(update.line_ids, line)
        self.assertTrue(update.sent_date)
        # the director's approval to-do is done: the manager approved
        self.assertFalse(update.activity_ids)
        # the email channel queued the statement to the customer
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids),
             ("body_html", "like", "restoring ticket sales at all stations")]
        )
        self.assertEqual(len(mail), 1)
        self.assertGreater(line.next_update_due, update.sent_date)

    def test_statement_approver_day(self):
        """The director, a plain internal user named approver, approves from the list of
        statements awaiting them."""
        self.ticket.action_itss_declare_major(reason="Ticketing down")
        incident = self.ticket.itss_major_incident_id
        line = self.env["itss.communication.plan.line"].create(
            {"major_incident_id": incident.id, "audience": "senior_management",
             "channel": "email", "contact_ids": [(6, 0, self.director.partner_id.ids)],
             "approver_id": self.director.id}
        )
        update = self.env["itss.communication.update"].create(
            {"major_incident_id": incident.id, "name": "Board update",
             "line_ids": [(6, 0, line.ids)], "body": "<p>Sales stopped at 9:00</p>"}
        )
        self.assertEqual(update.activity_ids.user_id, self.director)
        self.start_tour("/odoo/itss-statements", "itss_role_statement_approver",
                        login="tour_director")
        self.assertEqual(update.state, "approved")
        self.assertEqual(update.approved_by_id, self.director)
        self.assertFalse(update.activity_ids)

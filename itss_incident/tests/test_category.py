from .common import ItssCase


class TestCategory(ItssCase):
    def _create(self, **vals):
        return self.env["helpdesk.ticket"].create(
            dict({"name": "Disk", "description": "<p>Disk broke</p>"}, **vals)
        )

    def test_category_gives_team(self):
        ticket = self._create(category_id=self.category_parent.id)
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.itss_state, "new", "starts in the ITSS Logged stage")
        self.assertEqual(ticket.stage_id, self.stages["new"])

    def test_sub_category_uses_parent_team(self):
        ticket = self._create(category_id=self.category_child.id)
        self.assertEqual(ticket.team_id, self.team_l1)

    def test_sub_category_own_team(self):
        ticket = self._create(category_id=self.category_l2.id)
        self.assertEqual(ticket.team_id, self.team_l2)

    def test_explicit_team_wins(self):
        ticket = self._create(category_id=self.category_l2.id, team_id=self.team_l1.id)
        self.assertEqual(ticket.team_id, self.team_l1)

    def test_category_without_team(self):
        category = self.env["helpdesk.ticket.category"].create({"name": "Test loose"})
        ticket = self._create(category_id=category.id, user_id=False)
        self.assertFalse(ticket.team_id)
        self.assertFalse(ticket.itss_state, "no ITSS team: plain helpdesk stage")

    def test_shipped_categories(self):
        parent = self.env.ref("itss_incident.helpdesk_ticket_category_itss_server")
        child = self.env.ref(
            "itss_incident.helpdesk_ticket_category_itss_server_network"
        )
        self.assertEqual(child.parent_id, parent)
        names = set(
            self.env["helpdesk.ticket.category"]
            .search([("id", "in", [parent.id, child.id])])
            .mapped("complete_name")
        )
        self.assertEqual(names, {"Servers", "Servers / Network Hardware Fault"})

    def test_plain_first_stage_given_for_an_itss_category(self):
        """helpdesk_mgmt's portal form passes its own first stage before the category
        decides the team: the ticket still starts in the ITSS Logged stage."""
        ticket = self._create(
            category_id=self.category_parent.id,
            stage_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id,
        )
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.stage_id, self.stages["new"])

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import ItssMajorCase


class TestCommunicationAccess(ItssMajorCase):
    """The approver named on a communication line may be a plain internal user (a
    director): they read and approve the statements of their lines, nothing else."""

    prefix = "ca"
    label = "CA"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # plain internal users: no helpdesk or ITSS group at all
        cls.other_director = new_test_user(
            cls.env,
            login="ca_other",
            name="CA Other Director",
            groups="base.group_user",
        )
        ticket = cls._ticket(name="Payments down", description="<p>No payments</p>")
        cls.incident = ticket.itss_major_incident_id
        Line = cls.env["itss.communication.plan.line"]
        cls.line_director = Line.create(
            {
                "major_incident_id": cls.incident.id,
                "audience": "senior_management",
                "channel": "email",
                "contact_ids": [(6, 0, cls.director.partner_id.ids)],
                "approver_id": cls.director.id,
            }
        )
        cls.line_other = Line.create(
            {
                "major_incident_id": cls.incident.id,
                "audience": "customers",
                "channel": "email",
                "contact_ids": [(6, 0, cls.customer.ids)],
                "approver_id": cls.other_director.id,
            }
        )
        Update = cls.env["itss.communication.update"]
        cls.update_director = Update.create(
            {
                "major_incident_id": cls.incident.id,
                "name": "To the board",
                "line_ids": [(6, 0, cls.line_director.ids)],
                "body": "<p>Board status</p>",
            }
        )
        cls.update_other = Update.create(
            {
                "major_incident_id": cls.incident.id,
                "name": "To customers",
                "line_ids": [(6, 0, cls.line_other.ids)],
                "body": "<p>Customer status</p>",
            }
        )
        cls.update_both = Update.create(
            {
                "major_incident_id": cls.incident.id,
                "name": "To everyone",
                "line_ids": [(6, 0, (cls.line_director | cls.line_other).ids)],
                "body": "<p>Status for all</p>",
            }
        )

    def _approval_activities(self, update):
        activity_type = self.env.ref("itss_incident_major.mail_act_statement_approval")
        return update.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def test_plain_approver_reads_and_approves_their_statement(self):
        Update = self.env["itss.communication.update"].with_user(self.director)
        Line = self.env["itss.communication.plan.line"].with_user(self.director)
        self.assertEqual(Line.search([]), self.line_director)
        self.assertEqual(
            Update.search([("major_incident_id", "=", self.incident.id)]),
            self.update_director | self.update_both,
        )
        self.assertEqual(
            Update.search([("can_approve", "=", True)]), self.update_director
        )
        # what the form shows them
        mine = Update.browse(self.update_director.id)
        values = mine.web_read(
            {
                "name": {},
                "body": {},
                "state": {},
                "can_approve": {},
                "can_send": {},
                "major_incident_id": {"fields": {"display_name": {}}},
                "line_ids": {"fields": {"display_name": {}}},
            }
        )[0]
        self.assertEqual(
            values["major_incident_id"]["display_name"], self.incident.display_name
        )
        self.assertEqual(
            [line["id"] for line in values["line_ids"]], self.line_director.ids
        )
        self.assertTrue(values["can_approve"])
        self.assertFalse(values["can_send"])
        # a statement to their audience and another shows only their line in the form
        self.env.invalidate_all()  # as a new request: lines are read as the director
        both = Update.browse(self.update_both.id)
        values = both.web_read(
            {"can_approve": {}, "line_ids": {"fields": {"display_name": {}}}}
        )[0]
        self.assertEqual(
            [line["id"] for line in values["line_ids"]], self.line_director.ids
        )
        self.assertFalse(values["can_approve"])
        # the major incident itself stays closed to them
        with self.assertRaises(AccessError):
            self.incident.with_user(self.director).read(["name"])
        # their to-do leads them to the statement; approving completes it
        self.assertEqual(
            self._approval_activities(self.update_director).user_id, self.director
        )
        self.assertEqual(
            self._approval_activities(self.update_both).user_id,
            self.major_manager,
            "audiences of several approvers: the managers approve",
        )
        mine.action_approve()
        self.assertEqual(self.update_director.state, "approved")
        self.assertEqual(self.update_director.approved_by_id, self.director)
        self.assertTrue(self.update_director.approved_date)
        self.assertFalse(self._approval_activities(self.update_director))

    def test_other_user_sees_nothing(self):
        stranger = new_test_user(
            self.env, login="ca_stranger", groups="base.group_user"
        )
        Update = self.env["itss.communication.update"].with_user(stranger)
        self.assertFalse(Update.search([]))
        self.assertFalse(
            self.env["itss.communication.plan.line"].with_user(stranger).search([])
        )
        with self.assertRaises(AccessError):
            Update.browse(self.update_director.id).read(["name"])
        with self.assertRaises(AccessError):
            Update.browse(self.update_director.id).action_approve()
        with self.assertRaises(AccessError):
            self.env["itss.communication.plan.line"].with_user(stranger).browse(
                self.line_director.id
            ).read(["audience"])
        self.assertEqual(self.update_director.state, "draft")

    def test_approver_cannot_approve_another_line(self):
        as_director = self.env["itss.communication.update"].with_user(self.director)
        with self.assertRaises(AccessError):
            as_director.browse(self.update_other.id).action_approve()
        # they read a statement to their audience and another, but only a manager
        # approves it
        with self.assertRaisesRegex(UserError, "approver"):
            as_director.browse(self.update_both.id).action_approve()
        self.assertEqual(
            (self.update_other | self.update_both).mapped("state"), ["draft", "draft"]
        )

    def test_approver_cannot_edit_nor_send(self):
        mine = (
            self.env["itss.communication.update"]
            .with_user(self.director)
            .browse(self.update_director.id)
        )
        with self.assertRaises(AccessError):
            mine.write({"body": "<p>Rewritten</p>"})
        for vals in ({"state": "sent"}, {"approved_by_id": self.director.id}):
            # refused as a fact only the buttons write, even before the missing write
            # right
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "with its buttons"),
            ):
                mine.with_context(itss_update_transition=True).write(vals)
        with self.assertRaises(AccessError):
            self.line_director.with_user(self.director).write({"frequency_minutes": 1})
        with self.assertRaises(AccessError):
            self.env["itss.communication.update"].with_user(self.director).create(
                {
                    "major_incident_id": self.incident.id,
                    "name": "Mine",
                    "line_ids": [(6, 0, self.line_director.ids)],
                    "body": "<p>x</p>",
                }
            )
        mine.action_approve()
        self.assertFalse(mine.can_send)
        with self.assertRaisesRegex(UserError, "Only a major incident manager sends"):
            mine.action_send()
        self.assertEqual(self.update_director.state, "approved")
        mails = self.env["mail.mail"].search_count([])
        mine.with_user(self.major_manager).action_send()
        self.assertEqual(self.update_director.state, "sent")
        self.assertEqual(self.env["mail.mail"].search_count([]), mails + 1)

    def test_no_context_key_or_fact_write_approves(self):
        """Even a major incident manager, who may write statements, moves them by the
        buttons only: a context key sent over RPC authorises nothing."""
        update = self.update_director.with_user(self.major_manager)
        for context in ({"itss_update_transition": True}, {}):
            for vals in (
                {"state": "sent"},
                {"approved_by_id": self.major_manager.id},
                {"sent_date": "2026-01-01 00:00:00"},
            ):
                with (
                    self.subTest(context=context, vals=vals),
                    self.assertRaisesRegex(UserError, "buttons"),
                ):
                    update.with_context(**context).write(vals)
        with self.assertRaisesRegex(UserError, "buttons"):
            self.env["itss.communication.update"].with_user(
                self.major_manager
            ).with_context(itss_update_transition=True).create(
                {
                    "major_incident_id": self.incident.id,
                    "name": "Sent at once",
                    "line_ids": [(6, 0, self.line_director.ids)],
                    "body": "<p>x</p>",
                    "state": "sent",
                }
            )
        self.assertEqual(self.update_director.state, "draft")

    def test_engineer_reads_involved_only(self):
        Update = self.env["itss.communication.update"]
        self.assertEqual(
            Update.with_user(self.engineer).search(
                [("major_incident_id", "=", self.incident.id)]
            ),
            self.update_director | self.update_other | self.update_both,
            "the recovery team reads the statements of its major incident",
        )
        outsider = new_test_user(
            self.env,
            login="ca_outsider",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        self.assertFalse(Update.with_user(outsider).search([]))
        manager = new_test_user(
            self.env,
            login="ca_im",
            groups="base.group_user,itss_incident.group_itss_incident_manager",
        )
        self.assertEqual(
            Update.with_user(manager).search(
                [("major_incident_id", "=", self.incident.id)]
            ),
            self.update_director | self.update_other | self.update_both,
            "incident managers read them all",
        )
        with self.assertRaises(AccessError):
            Update.with_user(manager).browse(self.update_director.id).write(
                {"name": "x"}
            )

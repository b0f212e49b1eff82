from .common import ItssCase


class TestConfigTracking(ItssCase):
    """An incident manager changes the configuration: the old and the new value are
    in the record's chatter, under the manager's name.

    Tracking in a TransactionCase: the fixtures' environment has ``tracking_disable``
    in its context and Odoo's ``create`` discards the tracking of new records until
    the transaction's precommit runs (at commit, which a TransactionCase never does).
    So the changes are made in a fresh context, after ``_end_transaction()`` has run
    the precommit hooks, and read after running them again."""

    def setUp(self):
        super().setUp()
        # what a commit of setUpClass' transaction would have done: end the discarded
        # tracking of the fixtures (they were created in this same transaction)
        self._end_transaction()

    def _end_transaction(self):
        """Run the precommit hooks, as the commit of the web client's request does:
        the pending tracking values become messages."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _as_manager(self, record):
        """``record`` as the incident manager, in the web client's (empty) context."""
        return record.with_env(self.env(context={}, user=self.manager))

    def _changes(self, record):
        """{field name: (old, new)} of the tracking values in ``record``'s chatter, as
        the chatter shows them; each message written by the incident manager."""
        self._end_transaction()
        result = {}
        # read as the test's superuser: tracking values are for the chatter's widget
        for message in record.with_env(self.env).message_ids.filtered(
            "tracking_value_ids"
        ):
            self.assertEqual(message.author_id, self.manager.partner_id)
            for value in message.tracking_value_ids:
                ftype = value.field_id.ttype
                result[value.field_id.name] = (
                    value._format_display_value(ftype, new=False)[0],
                    value._format_display_value(ftype, new=True)[0],
                )
        return result

    def test_sla_policy_changes_are_tracked(self):
        policy = self.policies["1"]
        self._as_manager(policy).write(
            {
                "response_minutes": 15,
                "resolve_hours": 3,
                "team_ids": [(4, self.team_l1.id)],
            }
        )
        changes = self._changes(policy)
        self.assertEqual(changes["response_minutes"], (10, 15))
        self.assertEqual(changes["resolve_hours"], (2.0, 3.0))
        self.assertEqual(changes["team_ids"], ("", self.team_l1.display_name))

    def test_escalation_rule_changes_are_tracked(self):
        rule = (
            self._as_manager(self.env["itss.escalation.rule"])
            .create(
                {
                    "priority": "2",
                    "trigger": "overdue",
                    "minutes": 30,
                    "role": "director",
                    "notify_email": True,
                }
            )
            .with_env(self.env)
        )
        self._end_transaction()
        self._as_manager(rule).write(
            {"minutes": 45, "role": "leader", "notify_sms": True}
        )
        changes = self._changes(rule)
        self.assertEqual(changes["minutes"], (30, 45))
        self.assertEqual(changes["role"], ("Department director", "Company leadership"))
        self.assertEqual(changes["notify_sms"], (False, True))
        self.assertNotIn("notify_email", changes, "only what changed")

    def test_priority_matrix_cell_change_is_tracked(self):
        cell = self.env["itss.priority.matrix"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("impact", "=", "3"),
                ("urgency", "=", "3"),
            ]
        )
        self.assertEqual(cell.priority, "3")
        self._as_manager(cell).priority = "2"
        self.assertEqual(
            self._changes(cell), {"priority": ("P3 - Medium", "P2 - High")}
        )

    def test_code_changes_are_tracked(self):
        for xmlid in (
            "itss_incident.closure_code_resolved",
            "itss_incident.wait_code_vendor",
        ):
            with self.subTest(code=xmlid):
                code = self.env.ref(xmlid)
                old_name, old_code = code.name, code.code
                self._as_manager(code).write(
                    {"name": "Renamed by the manager", "code": "RENAMED"}
                )
                self.assertEqual(
                    self._changes(code),
                    {
                        "name": (old_name, "Renamed by the manager"),
                        "code": (old_code, "RENAMED"),
                    },
                )

    def test_alert_source_changes_are_tracked(self):
        source = (
            self._as_manager(self.env["itss.alert.source"])
            .create(
                {
                    "name": "Test Alertmanager",
                    "team_id": self.team_l1.id,
                    "quiet_minutes": 10,
                }
            )
            .with_env(self.env)
        )
        self._end_transaction()
        self._as_manager(source).write(
            {"team_id": self.team_l2.id, "quiet_minutes": 20}
        )
        changes = self._changes(source)
        self.assertEqual(
            changes["team_id"], (self.team_l1.display_name, self.team_l2.display_name)
        )
        self.assertEqual(changes["quiet_minutes"], (10, 20))
        # a severity line changed in place: logged on the source, old and new mapping
        critical = source.severity_ids.filtered(lambda line: line.value == "critical")
        self._as_manager(source).write(
            {"severity_ids": [(1, critical.id, {"urgency": "2"})]}
        )
        self._end_transaction()
        self.assertIn(
            "critical: impact Extensive, urgency Critical → critical: impact "
            "Extensive, urgency High",
            source.message_ids[0].body,
        )
        # a new token leaves a trace (its hint), never its hash
        self._as_manager(source).action_generate_token()
        changes = self._changes(source)
        self.assertEqual(changes["token_hint"][0], False)
        self.assertTrue(changes["token_hint"][1].startswith("…"))
        self.assertNotIn("token_hash", changes)
        shown = source.message_ids.tracking_value_ids.mapped(
            lambda v: (v.old_value_char or "", v.new_value_char or "")
        )
        self.assertNotIn(
            source.sudo().token_hash,
            str(shown) + str(source.message_ids.mapped("body")),
        )

    def test_forms_with_chatter_open_from_the_lists(self):
        records = (
            self.policies["1"],
            self.env["itss.escalation.rule"].search([], limit=1),
            self.env["itss.priority.matrix"].search([], limit=1),
            self.env.ref("itss_incident.closure_code_resolved"),
            self.env.ref("itss_incident.wait_code_vendor"),
            self._as_manager(self.env["itss.alert.source"]).create(
                {"name": "Test source", "team_id": self.team_l1.id}
            ),
        )
        for record in records:
            with self.subTest(model=record._name):
                mine = self._as_manager(record)
                action = mine.get_formview_action()
                form = mine.get_views([(action["views"][0][0], "form")])["views"][
                    "form"
                ]
                self.assertIn("<chatter", form["arch"])
                self.assertEqual(action["res_id"], record.id)
                lists = mine.get_views([(False, "list")])["views"]["list"]["arch"]
                if 'editable="' in lists:
                    self.assertIn(
                        'name="get_formview_action"', lists, "a way to the form"
                    )

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItssCase

# Friday 2026-12-04 20:00 in Shanghai
FRIDAY_EVENING = "2026-12-04 12:00:00"


def dt(value):
    return fields.Datetime.to_datetime(value)


@tagged("post_install", "-at_install")
class TestServiceContracts(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False)
        )
        Partner = cls.env["res.partner"]
        cls.metro = Partner.create({"name": "Test Metro Ticketing", "is_company": True})
        cls.metro_contact = Partner.create(
            {"name": "Test metro dispatcher", "parent_id": cls.metro.id}
        )
        cls.office = Partner.create({"name": "Test Office Group", "is_company": True})
        cls.office_contact = Partner.create(
            {"name": "Test office clerk", "parent_id": cls.office.id}
        )
        cls.pm = new_test_user(
            cls.env,
            login="itss_contract_pm",
            name="Contract Project Manager",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team_metro = cls.env["helpdesk.ticket.team"].create(
            {"name": "Test metro desk", "itss_tier": "1"}
        )
        Contract = cls.env["itss.service.contract"].with_user(cls.manager)
        # 7x24 for the ticketing system: no support-hours calendar
        cls.metro_contract = Contract.create(
            {
                "name": "Ticketing 7x24",
                "code": "T-7X24",
                "partner_id": cls.metro.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "team_id": cls.team_metro.id,
                "user_id": cls.pm.id,
                "major_priority": "2",
                "ontime_target": 98,
                "fcr_target": 85,
            }
        )
        cls.metro_p3 = (
            cls.env["itss.sla.policy"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Metro P3 7x24",
                    "contract_id": cls.metro_contract.id,
                    "priority": "3",
                    "response_minutes": 15,
                    "resolve_hours": 4,
                }
            )
        )
        # 5x8 office IT: the Mon-Fri calendar of the fixtures
        cls.office_contract = Contract.create(
            {
                "name": "Office IT 5x8",
                "code": "O-5X8",
                "partner_id": cls.office.id,
                "date_start": "2026-01-01",
                "calendar_id": cls.calendar.id,
            }
        )
        cls.office_p3 = (
            cls.env["itss.sla.policy"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Office P3 5x8",
                    "contract_id": cls.office_contract.id,
                    "priority": "3",
                    "response_minutes": 60,
                    "resolve_hours": 16,
                }
            )
        )

    def _log(self, partner, user=None, **vals):
        values = {
            "name": "Gate does not open",
            "description": "<p>Broken</p>",
            "team_id": self.team_l1.id,
            "partner_id": partner.id,
            "itss_impact": "3",
            "itss_urgency": "3",
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].with_user(user or self.agent).create(values)

    def test_two_customers_two_contracts_two_deadlines(self):
        with freeze_time(FRIDAY_EVENING):
            metro = self._log(self.metro_contact)
            office = self._log(self.office_contact)
            plain = self._log(self.customer)
        self.assertEqual(metro.itss_priority, "3")
        self.assertEqual(metro.itss_contract_id, self.metro_contract)
        self.assertEqual(office.itss_contract_id, self.office_contract)
        self.assertFalse(plain.itss_contract_id)
        # the metro's P3 counts round the clock: Friday 20:15 and Saturday 00:00
        self.assertEqual(metro.itss_sla_policy_id, self.metro_p3)
        self.assertEqual(metro.itss_response_deadline, dt("2026-12-04 12:15:00"))
        self.assertEqual(metro.itss_resolve_deadline, dt("2026-12-04 16:00:00"))
        # the office's on Mon-Fri 08:30-17:30: Monday 09:30 and Tuesday 17:30
        self.assertEqual(office.itss_sla_policy_id, self.office_p3)
        self.assertEqual(office.itss_response_deadline, dt("2026-12-07 01:30:00"))
        self.assertEqual(office.itss_resolve_deadline, dt("2026-12-08 09:30:00"))
        # without a contract, the company's policy: Monday 09:00 and Monday 17:30
        self.assertEqual(plain.itss_sla_policy_id, self.policies["3"])
        self.assertEqual(plain.itss_response_deadline, dt("2026-12-07 01:00:00"))
        self.assertEqual(plain.itss_resolve_deadline, dt("2026-12-07 09:30:00"))
        # a priority the contract has no policy for: the company's
        with freeze_time(FRIDAY_EVENING):
            metro_p4 = self._log(self.metro_contact, itss_impact="4", itss_urgency="4")
        self.assertEqual(metro_p4.itss_contract_id, self.metro_contract)
        self.assertEqual(metro_p4.itss_sla_policy_id, self.policies["4"])
        # the customer sees the terms of the ticket
        self.assertEqual(metro.itss_support_hours, "Round the clock (7x24)")
        self.assertEqual(
            metro.itss_sla_targets, "Respond within 15 minutes, resolve within 4 hours"
        )
        self.assertIn("98 %", metro.itss_kpi_targets)
        self.assertEqual(office.itss_support_hours, self.calendar.name)

    def test_contract_in_force_at_logging(self):
        with freeze_time("2027-01-01 02:00:00"):  # 10:00 on New Year's Day
            after = self._log(self.metro_contact)
        self.assertFalse(after.itss_contract_id, "the metro's contract ended 12-31")
        self.assertEqual(after.itss_sla_policy_id, self.policies["3"])
        with freeze_time("2026-12-31 15:30:00"):  # 23:30 on its last day
            last_day = self._log(self.metro_contact)
        self.assertEqual(last_day.itss_contract_id, self.metro_contract)
        # the next contract of the metro starts the next day: no overlap
        renewal = (
            self.env["itss.service.contract"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Ticketing 7x24 2027",
                    "partner_id": self.metro.id,
                    "date_start": "2027-01-01",
                }
            )
        )
        with freeze_time("2027-01-01 02:00:00"):
            renewed = self._log(self.metro_contact)
        self.assertEqual(renewed.itss_contract_id, renewal)
        self.assertEqual(last_day.itss_contract_id, self.metro_contract, "kept")

    def test_contracts_do_not_overlap(self):
        Contract = self.env["itss.service.contract"].with_user(self.manager)
        for start, end in (
            ("2026-12-31", False),  # the last day of the other
            ("2025-06-01", "2026-01-01"),  # its first day
            ("2026-03-01", "2026-04-01"),  # inside
        ):
            with self.subTest(start=start, end=end):
                with self.assertRaisesRegex(ValidationError, "overlaps contract"):
                    Contract.create(
                        {
                            "name": "Overlapping",
                            "partner_id": self.metro.id,
                            "date_start": start,
                            "date_end": end,
                        }
                    )
        with self.assertRaisesRegex(ValidationError, "must be a company"):
            Contract.create(
                {
                    "name": "Of a contact",
                    "partner_id": self.metro_contact.id,
                    "date_start": "2027-01-01",
                }
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Contract.create(
                {
                    "name": "Ends before it starts",
                    "partner_id": self.metro.id,
                    "date_start": "2027-02-01",
                    "date_end": "2027-01-01",
                }
            )
        with self.assertRaises(AccessError):
            self.env["itss.service.contract"].with_user(self.agent).create(
                {"name": "By an agent", "partner_id": self.office.id}
            )
        self.assertEqual(
            self.metro_contract.with_user(self.engineer).name, "Ticketing 7x24"
        )

    def test_desk_corrects_the_contract_and_deadlines_follow(self):
        with freeze_time(FRIDAY_EVENING):
            ticket = self._log(self.metro_contact)
            self.assertEqual(ticket.itss_resolve_deadline, dt("2026-12-04 16:00:00"))
        self.env.flush_all()
        self.env.cr.precommit.run()  # the logging's request ends
        # the engineer may not
        with (
            self.assertRaisesRegex(UserError, "Only the service desk"),
            self.env.cr.savepoint(),
        ):
            ticket.with_user(self.engineer).itss_contract_id = False
        # another customer's contract: refused
        with (
            self.assertRaisesRegex(ValidationError, "not the ticket's customer"),
            self.env.cr.savepoint(),
        ):
            ticket.with_user(self.agent).itss_contract_id = self.office_contract
        self.assertEqual(ticket.itss_contract_id, self.metro_contract, "unchanged")
        # the agent: re-targeted from the logging, on the company's policy, tracked
        with freeze_time("2026-12-05 01:00:00"):
            ticket.with_user(self.agent).itss_contract_id = False
            self.env.flush_all()
            self.env.cr.precommit.run()  # the correction's request ends
        self.assertEqual(ticket.itss_sla_policy_id, self.policies["3"])
        self.assertEqual(ticket.itss_resolve_deadline, dt("2026-12-07 09:30:00"))
        tracked = ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "itss_contract_id"
        )
        self.assertEqual(
            [(v.old_value_integer, v.new_value_integer) for v in tracked],
            [(self.metro_contract.id, 0)],
            tracked.mapped("old_value_char"),
        )
        # a resolved ticket keeps its contract
        with freeze_time("2026-12-05 02:00:00"):
            ticket.with_user(self.agent).itss_contract_id = self.metro_contract
            ticket.with_user(self.agent).action_itss_accept()
            ticket.with_user(self.agent)._itss_resolve(self._requirements("resolved"))
            with self.assertRaisesRegex(UserError, "no longer open"):
                ticket.with_user(self.agent).itss_contract_id = False

    def test_another_customer_takes_its_contract(self):
        with freeze_time(FRIDAY_EVENING):
            ticket = self._log(self.customer)
            self.assertFalse(ticket.itss_contract_id)
            ticket.with_user(self.agent).partner_id = self.office_contact
        self.assertEqual(ticket.itss_contract_id, self.office_contract)
        self.assertEqual(ticket.itss_sla_policy_id, self.office_p3)
        # an engineer who corrects the customer corrects the contract with it
        ticket.with_user(self.engineer).partner_id = self.customer
        self.assertFalse(ticket.itss_contract_id)

    def test_contract_team_and_project_manager(self):
        # without a team, the contract's service desk team, whatever the channel
        ticket = self._log(self.metro_contact, team_id=False)
        self.assertEqual(ticket.team_id, self.team_metro)
        # a category that dispatches to its own team still does
        routed = self._log(
            self.metro_contact, team_id=False, category_id=self.category_parent.id
        )
        self.assertEqual(routed.team_id, self.team_l1)
        # the project manager the escalation matrix names is the contract's
        self.team_l1.itss_project_manager_id = self.manager
        rule = self.env["itss.escalation.rule"].create(
            {
                "priority": "3",
                "trigger": "created",
                "minutes": 1,
                "role": "project_manager",
                "notify_email": True,
            }
        )
        self.assertEqual(rule._itss_recipient(routed), self.pm)
        plain = self._log(self.customer)
        self.assertEqual(rule._itss_recipient(plain), self.manager)

    def test_major_threshold_and_kpi_targets(self):
        self.env.company.itss_major_priority = "1"
        metro = self._log(self.metro_contact)
        office = self._log(self.office_contact)
        self.assertEqual(metro._itss_major_threshold(), "2")
        self.assertEqual(office._itss_major_threshold(), "1")
        self.env.company.itss_kpi_ontime_target = 90
        data = self.env["itss.service.report.data"]
        values = data._itss_values("2026-12-01", "2026-12-31", partner_id=self.metro.id)
        self.assertEqual(values["targets"], {"fcr": 85, "ontime": 98})
        values = data._itss_values(
            "2026-12-01", "2026-12-31", partner_id=self.office.id
        )
        self.assertEqual(values["targets"]["ontime"], 90, "the company's")

    def test_policy_of_a_contract_counts_its_support_hours(self):
        Policy = self.env["itss.sla.policy"].with_user(self.manager)
        policy = Policy.create(
            {
                "name": "Office P4",
                "contract_id": self.office_contract.id,
                "priority": "4",
                "response_minutes": 120,
                "resolve_hours": 24,
            }
        )
        self.assertEqual(policy.calendar_id, self.calendar)
        round_the_clock = Policy.create(
            {
                "name": "Office P1 7x24",
                "contract_id": self.office_contract.id,
                "priority": "1",
                "response_minutes": 10,
                "resolve_hours": 2,
                "calendar_id": False,
            }
        )
        self.assertFalse(round_the_clock.calendar_id)

    def test_configuration_items_of_the_contract(self):
        Item = self.env["itss.configuration.item"].with_user(self.manager)
        gate = Item.create(
            {
                "name": "Station gates",
                "code": "TEST-GATES",
                "ci_type": "application",
                "partner_id": self.metro.id,
                "contract_id": self.metro_contract.id,
            }
        )
        self.assertEqual(self.metro_contract.ci_ids, gate)
        with self.assertRaisesRegex(ValidationError, "not the item's customer"):
            Item.create(
                {
                    "name": "Office printer",
                    "code": "TEST-PRN",
                    "ci_type": "printer",
                    "partner_id": self.office.id,
                    "contract_id": self.metro_contract.id,
                }
            )

"""The follow-up register (回访服务登记表, 003 §6.2.10): the service desk records each
visit through the Record Follow-up dialog; a dissatisfied customer is a complaint for
the incident manager; a contract visits every closed ticket or a monthly sample."""

import random
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user

from .common import ItssCase


class TestFollowupRegister(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_type = cls.env.ref("itss_incident.mail_act_itss_followup")
        cls.complaint_type = cls.env.ref("itss_incident.mail_act_itss_complaint")
        cls.contract = cls.env["itss.service.contract"].create(
            {
                "name": "Test metro support",
                "partner_id": cls.vip_company.id,
                "date_start": "2026-01-01",
            }
        )
        cls.team_l1.user_id = cls.agent

    def _closed_ticket(self, **vals):
        """A ticket of the metro contract the service desk closes now."""
        vals.setdefault("partner_id", self.vip_contact.id)
        ticket = self._ticket("resolved", itss_satisfaction="4", **vals)
        ticket.itss_owner_id = self.agent
        ticket.with_user(self.agent).action_itss_close()
        self.assertEqual(ticket.itss_state, "closed")
        return ticket

    def _activities(self, ticket, activity_type):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def _record(self, ticket, user=None, **values):
        """The Record Follow-up button's dialog, as the web client opens it."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itss_incident.itss_ticket_followup_action"
        )
        self.assertEqual(action["res_model"], "itss.ticket.followup")
        Wizard = (
            self.env["itss.ticket.followup"]
            .with_user(user or self.agent)
            .with_context(active_id=ticket.id, default_ticket_id=ticket.id)
        )
        form = Form(Wizard)
        for name, value in values.items():
            if value:
                setattr(form, name, value)
        return form.save().action_record()

    @freeze_time("2026-11-10 02:00:00")
    def test_desk_agent_records_a_visit_in_the_register(self):
        ticket = self._closed_ticket()
        self.assertEqual(ticket.itss_contract_id, self.contract)
        activity = self._activities(ticket, self.followup_type)
        self.assertEqual(activity.user_id, self.agent)
        self._record(
            ticket,
            result="satisfied",
            channel="onsite",
            satisfaction="5",
            note="Works again, thanks",
        )
        visit = (
            self.env["itss.followup.visit"]
            .with_user(self.agent)
            .search([("ticket_id", "=", ticket.id)])
        )
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.partner_id, self.vip_company, "the customer company")
        self.assertEqual(visit.contact_id, self.vip_contact)
        self.assertEqual(visit.contract_id, self.contract)
        self.assertEqual(visit.team_id, self.team_l1)
        self.assertEqual(visit.user_id, self.agent)
        self.assertEqual(str(visit.date), "2026-11-10 02:00:00")
        self.assertEqual(
            (visit.channel, visit.result, visit.satisfaction, visit.satisfaction_score),
            ("onsite", "satisfied", "5", 5),
        )
        self.assertEqual(visit.note, "Works again, thanks")
        self.assertEqual(visit.selection, "all")
        # the ticket's own follow-up fields, as before
        self.assertEqual(ticket.itss_followup_result, "satisfied")
        self.assertEqual(ticket.itss_followup_note, "Works again, thanks")
        self.assertFalse(activity.exists().active, "the follow-up activity is done")
        self.assertFalse(self._activities(ticket, self.complaint_type))

    def test_unsatisfied_is_a_complaint_for_the_incident_manager(self):
        ticket = self._closed_ticket()
        self._record(ticket, result="not_satisfied", satisfaction="2", note="Slow")
        complaint = self._activities(ticket, self.complaint_type)
        self.assertEqual(complaint.user_id, self.manager, "the team's manager")
        self.assertIn("Slow", str(complaint.note))
        self.assertEqual(ticket.itss_followup_visit_ids.result, "not_satisfied")
        # a team without its own incident manager: the company's incident managers
        other = self._closed_ticket(team_id=self.team_l2.id)
        self._record(other, result="not_satisfied")
        managers = self._activities(other, self.complaint_type).user_id
        self.assertIn(self.manager, managers)
        self.assertTrue(
            all(
                user.has_group("itss_incident.group_itss_incident_manager")
                for user in managers
            )
        )
        # satisfied and unreachable customers are no complaint
        for result in ("satisfied", "unreachable"):
            third = self._closed_ticket()
            self._record(third, result=result)
            self.assertFalse(self._activities(third, self.complaint_type))

    def test_bad_input_is_refused(self):
        ticket = self._closed_ticket()
        Ticket = ticket.with_user(self.agent)
        # the dialog hides the satisfaction of an unreachable customer; over RPC:
        with self.assertRaisesRegex(UserError, "unreachable customer gives no"):
            Ticket.action_itss_record_followup("unreachable", satisfaction="3")
        with self.assertRaisesRegex(UserError, "from 1 to 5"):
            Ticket.action_itss_record_followup("satisfied", satisfaction="9")
        with self.assertRaisesRegex(UserError, "how the customer was visited"):
            Ticket.action_itss_record_followup("satisfied", channel="pigeon")
        with self.assertRaisesRegex(UserError, "result of the follow-up"):
            Ticket.action_itss_record_followup("maybe")
        self.assertFalse(ticket.itss_followup_visit_ids)
        self.assertFalse(ticket.itss_followup_result)

    def test_register_figures(self):
        results = [
            ("satisfied", "5"),
            ("satisfied", "4"),
            ("not_satisfied", "2"),
            ("unreachable", False),
        ]
        tickets = self.env["helpdesk.ticket"]
        for result, satisfaction in results:
            ticket = self._closed_ticket()
            self._record(ticket, result=result, satisfaction=satisfaction)
            tickets |= ticket
        figures = self.env["itss.followup.visit"]._itss_report_figures(
            [("ticket_id", "in", tickets.ids)]
        )
        self.assertEqual(
            figures,
            {
                "visits": 4,
                "satisfied": 2,
                "unsatisfied": 1,
                "unreachable": 1,
                "reached": 3,
                "satisfaction": 3.67,  # (5 + 4 + 2) / 3 rated visits
                "satisfied_rate": 66.7,  # 2 satisfied / 3 reached
            },
        )
        empty = self.env["itss.followup.visit"]._itss_report_figures([("id", "=", 0)])
        self.assertEqual(empty["visits"], 0)
        self.assertIsNone(empty["satisfaction"])
        self.assertIsNone(empty["satisfied_rate"])
        # the customer's service report of the month shows them, as the desk prints it
        data = self.env["itss.service.report.data"].with_user(self.agent)
        today = tickets[0].itss_followup_visit_ids.date.date()
        month = data._itss_values(
            today.replace(day=1),
            today,
            partner_id=self.vip_company.id,
            period="month",
            charts=False,
        )
        self.assertEqual(month["followup"]["visits"], 4)
        self.assertEqual(month["followup"]["satisfied_rate"], 66.7)
        params = {
            "partner_id": self.vip_company.id,
            "period": "month",
            "date_from": str(today.replace(day=1)),
            "date_to": str(today),
            "lang": "en_US",
        }
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_html(
                "itss_incident.action_report_itss_service",
                [],
                data={"itss_params": params},
            )
        )
        section = html.decode().split('id="itss_followup"')[1].split("</table>")[0]
        self.assertIn("66.7", section)

    def test_rights_engineer_portal(self):
        ticket = self._closed_ticket()
        self._record(ticket, result="satisfied")
        team_other = self.env["helpdesk.ticket.team"].create(
            {"name": "Test other L1", "itss_tier": "1", "user_ids": [(6, 0, [])]}
        )
        hidden = self._closed_ticket(team_id=team_other.id)
        self._record(hidden, result="unreachable")
        Visit = self.env["itss.followup.visit"]
        seen = Visit.with_user(self.engineer).search(
            [("ticket_id", "in", (ticket | hidden).ids)]
        )
        self.assertEqual(seen, ticket.itss_followup_visit_ids, "their teams' only")
        with self.assertRaises(AccessError):
            hidden.itss_followup_visit_ids.with_user(self.engineer).read(["result"])
        with self.assertRaises(AccessError):
            Visit.with_user(self.engineer).create(
                dict(Visit._prepare_itss_visit_vals(ticket), result="satisfied")
            )
        with self.assertRaises(AccessError):
            self._record(ticket, user=self.engineer, result="satisfied")
        with self.assertRaises(AccessError):
            ticket.itss_followup_visit_ids.with_user(self.agent).unlink()
        # the desk reads every row; an incident manager deletes one
        self.assertEqual(
            Visit.with_user(self.agent).search_count(
                [("ticket_id", "in", (ticket | hidden).ids)]
            ),
            2,
        )
        portal = new_test_user(
            self.env, login="itss_fu_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            Visit.with_user(portal).search([])
        with self.assertRaisesRegex(AccessError, "drawn by the system"):
            ticket.with_user(self.manager).write({"itss_followup_sampled": True})

    def test_register_report_renders(self):
        ticket = self._closed_ticket()
        self._record(ticket, result="not_satisfied", satisfaction="2", note="Slow")
        visits = (
            self.env["itss.followup.visit"]
            .with_user(self.agent)
            .search([("ticket_id", "=", ticket.id)])
        )
        html, kind = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_pdf(
                "itss_incident.action_report_itss_followup_register", visits.ids
            )
        )
        self.assertEqual(kind, "html", "HTML in tests")
        html = html.decode()
        self.assertIn("Follow-up Service Register", html)
        self.assertIn(ticket.number, html)
        self.assertIn("Test VIP Metro", html)
        self.assertIn("Slow", html)
        self.assertIn("Not satisfied", html)
        # in Chinese: 回访服务登记表 (003 §6.2.10), the seeds' words
        self.env["res.lang"]._activate_lang("zh_CN")
        html_zh = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            .with_context(lang="zh_CN")
            ._render_qweb_pdf(
                "itss_incident.action_report_itss_followup_register", visits.ids
            )[0]
            .decode()
        )
        for words in ("回访服务登记表", "回访方式", "回访人", "不满意", "满意率"):
            self.assertIn(words, html_zh)
        report = self.env.ref("itss_incident.action_report_itss_followup_register")
        self.assertEqual(report.paperformat_id.format, "A4")
        self.assertEqual(report.paperformat_id.orientation, "Landscape")

    def test_unreachable_customer_is_visited_again(self):
        ticket = self._closed_ticket()
        view = self.env.ref("itss_incident.ticket_view_form_followup")
        self.assertIn("'unreachable'", view.arch)
        self._record(ticket, result="unreachable", note="No answer")
        self._record(ticket, result="satisfied", satisfaction="5")
        visits = ticket.itss_followup_visit_ids.sorted("id")
        self.assertEqual(visits.mapped("result"), ["unreachable", "satisfied"])
        self.assertEqual(ticket.itss_followup_result, "satisfied")


class TestFollowupSample(ItssCase):
    """A contract in sample mode: nothing at closing; on the 1st of the month the
    cron draws the stated share of the previous month's closed tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_type = cls.env.ref("itss_incident.mail_act_itss_followup")
        Contract = cls.env["itss.service.contract"]
        cls.sampled = Contract.create(
            {
                "name": "Test sampled office IT",
                "partner_id": cls.vip_company.id,
                "date_start": "2026-01-01",
                "followup_mode": "sample",
                "followup_sample_type": "percent",
                "followup_sample_value": 30,
                "calendar_id": cls.calendar.id,
            }
        )
        cls.other_company = cls.env["res.partner"].create(
            {"name": "Test water works", "is_company": True}
        )
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Test water contact", "parent_id": cls.other_company.id}
        )
        cls.every = Contract.create(
            {
                "name": "Test every ticket",
                "partner_id": cls.other_company.id,
                "date_start": "2026-01-01",
            }
        )
        cls.team_l1.user_id = cls.agent

    def _close(self, partner, when):
        with freeze_time(when):
            ticket = self._ticket("resolved", partner_id=partner.id)
            ticket.itss_owner_id = self.agent
            ticket.with_user(self.agent)._itss_close_by_desk({"itss_satisfaction": "4"})
        return ticket

    def _followups(self, tickets):
        return tickets.activity_ids.filtered(
            lambda a: a.activity_type_id == self.followup_type
        )

    def test_cron_draws_the_share_once(self):
        november = self.env["helpdesk.ticket"]
        for day in range(1, 8):
            november |= self._close(self.vip_contact, f"2026-11-{day + 10} 03:00:00")
        # closed on 1 December, Shanghai time (30 November 17:00 UTC): next month's
        december = self._close(self.vip_contact, "2026-11-30 17:00:00")
        october = self._close(self.vip_contact, "2026-10-20 03:00:00")
        every = self._close(self.other_contact, "2026-11-12 03:00:00")
        self.assertFalse(
            self._followups(november | december | october), "no visit at closing"
        )
        self.assertEqual(len(self._followups(every)), 1, "every ticket: at closing")
        Contract = self.env["itss.service.contract"]
        with freeze_time("2026-12-01 01:00:00"):
            Contract._cron_itss_followup_sample()
        drawn = (november | december | october).filtered("itss_followup_sampled")
        # 30 % of the 7 November tickets is 2.1: rounded up, 3
        self.assertEqual(len(drawn), 3)
        self.assertLessEqual(drawn, november)
        self.assertEqual(len(self._followups(drawn)), 3)
        self.assertFalse(self._followups(november - drawn))
        self.assertEqual(self._followups(drawn).user_id, self.agent)
        self.assertEqual(self.sampled.followup_sampled_month, date(2026, 11, 1))
        self.assertFalse(every.itss_followup_sampled, "the other contract: as before")
        self.assertEqual(len(self._followups(every)), 1)
        # a second run (the same day, or later in the month) draws nothing more
        with freeze_time("2026-12-01 02:00:00"):
            Contract._cron_itss_followup_sample()
        with freeze_time("2026-12-20 02:00:00"):
            Contract._cron_itss_followup_sample()
        self.assertEqual(
            (november | december | october).filtered("itss_followup_sampled"), drawn
        )
        self.assertEqual(len(self._followups(november)), 3)
        # the drawn visit is recorded as sampled in the register
        ticket = drawn[0]
        ticket.with_user(self.agent).action_itss_record_followup("satisfied")
        self.assertEqual(ticket.itss_followup_visit_ids.selection, "sample")
        self.assertFalse(self._followups(ticket))
        # January: December's ticket
        with freeze_time("2027-01-01 01:00:00"):
            Contract._cron_itss_followup_sample()
        self.assertTrue(december.itss_followup_sampled, "30 % of 1: rounded up, 1")

    def test_seeded_draw_and_number(self):
        tickets = self.env["helpdesk.ticket"]
        for day in range(1, 6):
            tickets |= self._close(self.vip_contact, f"2026-11-{day + 10} 03:00:00")
        with freeze_time("2026-12-01 01:00:00"):
            drawn = self.sampled._itss_followup_draw(
                date(2026, 11, 1), rng=random.Random(4)
            )
        expected = sorted(random.Random(4).sample(tickets.ids, 2))
        self.assertEqual(drawn.ids, expected, "30 % of 5: 2, the seeded pick")
        self.assertEqual(tickets.filtered("itss_followup_sampled"), drawn)
        again = self.sampled._itss_followup_draw(
            date(2026, 11, 1), rng=random.Random(5)
        )
        self.assertFalse(again, "November is drawn once")
        # by number: 10 of a month that closed 5 tickets visits all 5
        self.sampled.write(
            {"followup_sample_type": "count", "followup_sample_value": 10}
        )
        self.assertEqual(self.sampled._itss_followup_sample_size(5), 5)
        self.assertEqual(self.sampled._itss_followup_sample_size(25), 10)
        self.sampled.write(
            {"followup_sample_type": "percent", "followup_sample_value": 100}
        )
        self.assertEqual(self.sampled._itss_followup_sample_size(0), 0)
        self.assertEqual(self.sampled._itss_followup_sample_size(9), 9)

    def test_sample_settings_are_checked(self):
        contract = self.sampled.with_user(self.manager)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contract.followup_sample_value = 150
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contract.followup_sample_value = 0
        # an engineer cannot change a contract's follow-up settings
        with self.assertRaises(AccessError):
            self.every.with_user(self.engineer).followup_mode = "sample"
        self.every.with_user(self.manager).write(
            {"followup_mode": "sample", "followup_sample_value": 50}
        )
        self.assertEqual(self.every.followup_sample_type, "percent")

    def test_demo_register(self):
        """The demo's register: the water contract on a 30 % monthly sample (its
        past months drawn, the others' visits dropped), the other tickets all."""
        water = self.env.ref("itss_incident.itss_service_contract_water_demo")
        water_contact = self.env.ref("itss_incident.res_partner_water_contact_demo")
        october = self.env["helpdesk.ticket"]
        for day in range(4):
            october |= self._close(water_contact, f"2026-10-{day + 12} 03:00:00")
        november = self._close(water_contact, "2026-11-20 03:00:00")
        other = self._close(self.other_contact, "2026-10-13 03:00:00")
        tickets = october | november | other
        self.assertEqual(october.itss_contract_id, water)
        tickets.write(
            {"itss_followup_result": "satisfied", "itss_followup_note": "Demo"}
        )
        # as before the demo's install drew anything: a demo database has drawn its
        # own past months already, and its left-out tickets stay out of this draw
        water.followup_sampled_month = False
        others = self.env["helpdesk.ticket"].search(
            [("itss_contract_id", "=", water.id), ("id", "not in", tickets.ids)]
        )
        if others:
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET itss_contract_id = NULL WHERE id IN %s",
                [tuple(others.ids)],
            )
            others.invalidate_recordset(["itss_contract_id"])
        with freeze_time("2026-11-25 03:00:00"):
            self.env["itss.followup.visit"]._itss_demo_register()
        self.assertEqual(water.followup_mode, "sample")
        self.assertEqual(water.followup_sample_value, 30)
        drawn = october.filtered("itss_followup_sampled")
        self.assertEqual(len(drawn), 2, "30 % of 4: rounded up, 2")
        self.assertEqual(
            drawn.itss_followup_visit_ids.mapped("selection"), ["sample"] * 2
        )
        left_out = (october - drawn) | november
        self.assertFalse(left_out.itss_followup_visit_ids)
        self.assertFalse(left_out.filtered("itss_followup_result"))
        self.assertEqual(other.itss_followup_visit_ids.selection, "all")
        self.assertEqual(water.followup_sampled_month, date(2026, 10, 1))

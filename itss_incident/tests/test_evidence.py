"""Evidence a customer signs and an auditor samples: the engineer service order
(工程师服务单) printed from a ticket, and the audit sample, a ZIP of one audit record
per drawn ticket (timeline, notifications with their delivery, pauses, resolution,
satisfaction and follow-up)."""

import io
import zipfile
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.itss_incident import compat

from .common import ItssCase

CONTACT = "Test evidence contact"


class EvidenceCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the flows below leave their stage changes in the chatter (the timeline)
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False)
        )
        cls.team_l1.user_id = cls.agent
        cls.env.company.write(
            {"itss_notify_customer_sms": True, "email": "desk@provider.example.com"}
        )
        cls.audit_customer = cls.env["res.partner"].create(
            {"name": "Test evidence customer Ltd", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": CONTACT,
                "parent_id": cls.audit_customer.id,
                "email": "evidence@customer.example.com",
                compat.MOBILE: "+86 139 5555 6666",
                "phone": "+86 21 6666 7777",
            }
        )
        cls.ci = cls.env["itss.configuration.item"].create(
            {
                "name": "Test evidence core switch",
                "code": "TEST-EV-SW1",
                "ci_type": cls.env["itss.configuration.item"]
                ._fields["ci_type"]
                .get_values(cls.env)[0],
                "partner_id": cls.audit_customer.id,
            }
        )

    @classmethod
    def _flow(cls, when, name, close=True):
        """A ticket the desk logs at ``when`` and the engineer handles through a
        pause to its resolution; the desk closes it and records the follow-up."""
        with freeze_time(when) as frozen:

            def step():
                # the chatter's tracking, written at commit in real life
                cls.env.flush_all()
                cls.env.cr.precommit.run()
                frozen.tick(timedelta(minutes=10))

            ticket = (
                cls.env["helpdesk.ticket"]
                .with_user(cls.agent)
                .create(
                    {
                        "name": name,
                        "description": f"<p>{name}: the core switch drops packets</p>",
                        "team_id": cls.team_l1.id,
                        "partner_id": cls.contact.id,
                        "category_id": cls.category_child.id,
                        "itss_ci_id": cls.ci.id,
                    }
                )
            )
            step()
            ticket.with_user(cls.agent)._itss_dispatch(cls.team_l1, cls.engineer)
            step()
            ticket.with_user(cls.engineer).action_itss_accept()
            step()
            ticket.with_user(cls.engineer)._itss_hold(
                cls.wait_code, fields.Datetime.add(fields.Datetime.now(), days=1)
            )
            step()
            ticket.with_user(cls.engineer).action_itss_resume()
            step()
            ticket.with_user(cls.engineer)._itss_resolve(
                {
                    "itss_solution": f"<p>{name}: replaced the line card</p>",
                    "itss_closure_code_id": cls.code_resolved.id,
                    "itss_recovery_date": fields.Datetime.now(),
                }
            )
            step()
            if close:
                ticket.with_user(cls.agent)._itss_close_by_desk(
                    {"itss_satisfaction": "4"}
                )
                step()
                ticket.with_user(cls.agent).action_itss_record_followup(
                    "satisfied", "Customer thanks the engineer"
                )
                step()
        return ticket

    @staticmethod
    def _html(content):
        return content.decode() if isinstance(content, bytes) else content


class TestWorkOrder(EvidenceCase):
    def test_engineer_prints_the_service_order(self):
        ticket = self._flow("2026-11-10 02:00", "Test work order")
        report = self.env.ref("itss_incident.action_report_itss_work_order")
        # in the ticket's Print menu of the desk and the engineers
        for user in (self.agent, self.engineer):
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(user)
                .get_bindings("helpdesk.ticket")
            )
            self.assertIn(report.id, [b["id"] for b in bindings.get("report", [])])
        self.assertEqual(report.paperformat_id.format, "A4")
        self.assertEqual(report.paperformat_id.orientation, "Portrait")
        html, kind = (
            self.env["ir.actions.report"]
            .with_user(self.engineer)
            ._render_qweb_pdf(report, ticket.ids)
        )
        self.assertEqual(kind, "html")
        html = self._html(html)
        for text in (
            "Engineer Service Order",
            ticket.number,
            "Test evidence customer Ltd",
            CONTACT,
            "+86 21 6666 7777",
            "Test evidence core switch",
            self.category_child.name,
            "Occurred On",
            "Dispatched On",
            "Accepted / First Response",
            "Arrival on Site",
            "Business Recovery Time",
            "Actual Completion Time",
            "Resolved On",
            "Closed On",
            "the core switch drops packets",
            "replaced the line card",
            self.code_resolved.name,
            "Line Engineer",
            "Customer&#39;s signature" if "&#39;" in html else "Customer's signature",
            "Engineer",
            "Date:",
        ):
            self.assertIn(text, html)
        # the times, in the engineer's time zone
        logged = fields.Datetime.context_timestamp(
            ticket.with_user(self.engineer), ticket.itss_logged_date
        )
        self.assertIn(logged.strftime("%m/%d/%Y %H:%M"), html)

    def test_not_in_the_portal_users_print_menu(self):
        portal = self.env["res.users"].create(
            {
                "name": "Test evidence portal",
                "login": "itss_ev_portal",
                "partner_id": self.contact.id,
                compat.GROUPS: [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        report = self.env.ref("itss_incident.action_report_itss_work_order")
        bindings = (
            self.env["ir.actions.actions"]
            .with_user(portal)
            .get_bindings("helpdesk.ticket")
        )
        self.assertNotIn(report.id, [b["id"] for b in bindings.get("report", [])])


class TestAuditSample(EvidenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.november = cls.env["helpdesk.ticket"]
        for day in range(2, 7):
            cls.november |= cls._flow(f"2026-11-{day:02d} 02:00", f"Test audit {day}")
        cls.december = cls._flow("2026-12-01 02:00", "Test audit December")

    def _export(self, user=None, **vals):
        values = {
            "date_from": date(2026, 11, 1),
            "date_to": date(2026, 11, 30),
            "partner_id": self.audit_customer.id,
            "sample_size": 3,
            "seed": 4711,
        }
        values.update(vals)
        return (
            self.env["itss.audit.sample.export"]
            .with_user(user or self.manager)
            .create(values)
        )

    def _zip(self, export):
        action = export.action_export()
        self.assertIn(f"id={export.id}", action["url"])
        self.assertIn("download=true", action["url"])
        return zipfile.ZipFile(io.BytesIO(export.file))

    def test_export_of_three_tickets(self):
        export = self._export()
        archive = self._zip(export)
        drawn = export.ticket_ids
        self.assertEqual(len(drawn), 3)
        self.assertLessEqual(drawn, self.november, "only tickets of the period")
        names = sorted(archive.namelist())
        self.assertEqual(
            names, sorted([f"{t.number}.html" for t in drawn] + ["sample.txt"])
        )
        note = archive.read("sample.txt").decode()
        self.assertIn("seed 4711", note)
        self.assertIn("3 of 5", note)
        for ticket in drawn:
            html = archive.read(f"{ticket.number}.html").decode()
            self.assertIn("Audit Record", html)
            self.assertIn(ticket.number, html)
            self.assertIn(ticket.name, html)
            # timeline: the stage changes with their times
            timeline = html[
                html.index("o_itss_audit_states") : html.index("o_itss_audit_notif")
            ]
            states = ("Logged", "Dispatched", "In Progress", "Pending", "Resolved")
            for state in states:
                self.assertIn(f"<td>{state}</td>", timeline, f"{state}: {timeline}")
            positions = [timeline.index(f"<td>{state}</td>") for state in states]
            self.assertEqual(positions, sorted(positions), "in order of time")
            self.assertIn("<td>Closed</td>", timeline)
            # the times (the manager's time zone), ten minutes apart
            logged = fields.Datetime.context_timestamp(
                ticket.with_user(self.manager), ticket.itss_logged_date
            )
            dispatched = logged + timedelta(minutes=10)
            self.assertIn(logged.strftime("%m/%d/%Y %H:%M:%S"), timeline)
            self.assertIn(dispatched.strftime("%m/%d/%Y %H:%M:%S"), timeline)
            # notifications with their delivery state
            self.assertIn("Notice to the customer", html)
            self.assertIn("Queued", html)
            self.assertIn("SMS", html)
            # the pause and its wait code
            self.assertIn(self.wait_code.name, html)
            # resolution record, satisfaction and follow-up
            self.assertIn("replaced the line card", html)
            self.assertIn(self.code_resolved.name, html)
            self.assertIn("Satisfied", html)
            self.assertIn("Customer thanks the engineer", html)

    def test_same_seed_same_sample(self):
        first = self._export()
        self._zip(first)
        second = self._export()
        self._zip(second)
        self.assertEqual(first.ticket_ids, second.ticket_ids)
        everything = self._export(sample_size=50, seed=1)
        self._zip(everything)
        self.assertEqual(everything.ticket_ids, self.november, "fewer than asked: all")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._export(sample_size=0)
        with self.assertRaises(ValidationError):
            self._export(date_from=date(2026, 12, 1))
        empty = self._export(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        with self.assertRaisesRegex(UserError, "No ticket was logged in this period"):
            empty.action_export()

    def test_only_an_incident_manager_exports(self):
        for user in (self.agent, self.engineer):
            with self.assertRaises(AccessError):
                self._export(user=user)

"""Two workers drawing the monthly follow-up sample at once, on committed data in
separate cursors (TransactionCase shares one test cursor): one draw."""

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestFollowupSampleConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            today = fields.Date.context_today(env["res.users"])
            self.month = today.replace(day=1) - relativedelta(months=1)
            customer = env["res.partner"].create(
                {"name": "Concurrency water works", "is_company": True}
            )
            contact = env["res.partner"].create(
                {"name": "Concurrency contact", "parent_id": customer.id}
            )
            team = env["helpdesk.ticket.team"].create(
                {"name": "Concurrency desk", "itss_tier": "1"}
            )
            contract = env["itss.service.contract"].create(
                {
                    "name": "Concurrency sampled contract",
                    "partner_id": customer.id,
                    "date_start": self.month - relativedelta(months=2),
                    "followup_mode": "sample",
                    "followup_sample_type": "percent",
                    "followup_sample_value": 40,
                }
            )
            closed = env.ref("itss_incident.helpdesk_ticket_stage_itss_closed")
            code = env.ref("itss_incident.closure_code_resolved")
            logged = fields.Datetime.to_datetime(self.month) + relativedelta(days=3)
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Concurrency closed {index}",
                        "description": "<p>x</p>",
                        "team_id": team.id,
                        "partner_id": contact.id,
                        "stage_id": closed.id,
                        "itss_logged_date": logged,
                        "itss_solution": "<p>Fixed</p>",
                        "itss_closure_code_id": code.id,
                        "itss_recovery_date": logged + relativedelta(hours=1),
                        "itss_satisfaction": "4",
                    }
                    for index in range(6)
                ]
            )
            # closed in the middle of last month
            env.flush_all()
            cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET closed_date = %s WHERE id IN %s",
                    logged + relativedelta(hours=2),
                    tuple(tickets.ids),
                )
            )
            self.ids = {
                "customer": customer.id,
                "contact": contact.id,
                "team": team.id,
                "contract": contract.id,
                "tickets": tickets.ids,
            }
            self.assertEqual(tickets.itss_contract_id, contract)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            tickets = tuple(self.ids["tickets"])
            for query in (
                SQL(
                    "DELETE FROM mail_activity WHERE res_model = 'helpdesk.ticket' "
                    "AND res_id IN %s",
                    tickets,
                ),
                SQL(
                    "DELETE FROM mail_message WHERE (model = 'helpdesk.ticket' "
                    "AND res_id IN %s) OR (model = 'itss.service.contract' "
                    "AND res_id = %s)",
                    tickets,
                    self.ids["contract"],
                ),
                SQL("DELETE FROM helpdesk_ticket WHERE id IN %s", tickets),
                SQL(
                    "DELETE FROM itss_service_contract WHERE id = %s",
                    self.ids["contract"],
                ),
                SQL("DELETE FROM helpdesk_ticket_team WHERE id = %s", self.ids["team"]),
                SQL(
                    "DELETE FROM res_partner WHERE id IN %s",
                    (self.ids["contact"], self.ids["customer"]),
                ),
            ):
                cr.execute(query)

    def _drawn(self, cr):
        cr.execute(
            SQL(
                "SELECT count(*) FROM helpdesk_ticket WHERE id IN %s "
                "AND itss_followup_sampled",
                tuple(self.ids["tickets"]),
            )
        )
        return cr.fetchone()[0]

    def test_two_workers_draw_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["itss.service.contract"]._cron_itss_followup_sample(
                contract_ids=[self.ids["contract"]]
            )
            # the second worker runs while the first holds the contract: it skips it
            env2["itss.service.contract"]._cron_itss_followup_sample(
                contract_ids=[self.ids["contract"]]
            )
            self.assertEqual(self._drawn(cr2), 0)
            cr2.commit()
            cr1.commit()
            # 40 % of 6 is 2.4: rounded up, 3
            self.assertEqual(self._drawn(cr1), 3)
            # and once the first has committed, nothing is left for the second
            env2.invalidate_all()
            env2["itss.service.contract"]._cron_itss_followup_sample(
                contract_ids=[self.ids["contract"]]
            )
            cr2.commit()
            self.assertEqual(self._drawn(cr2), 3)
            contract = env2["itss.service.contract"].browse(self.ids["contract"])
            self.assertEqual(contract.followup_sampled_month, self.month)

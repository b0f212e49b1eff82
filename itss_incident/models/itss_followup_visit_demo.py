"""Demo data: the follow-up register of the demo's closed tickets.

Called once from ``demo/itss_followup_visit_demo.xml``, after the ticket history:
the water contract is visited on a monthly 30 % sample (its earlier months drawn),
the metro contract and the others on every closed ticket."""

import random
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ItssFollowupVisit(models.Model):
    _inherit = "itss.followup.visit"

    @api.model
    def _itss_demo_register(self, seed=16103):
        """Demo only: a register row for each demo ticket followed up, the water
        contract's tickets left out of its monthly samples unvisited."""
        if not self.env.su:
            return False
        rng = random.Random(seed)
        water = self.env.ref(
            "itss_incident.itss_service_contract_water_demo", raise_if_not_found=False
        )
        if water:
            water.write(
                {
                    "followup_mode": "sample",
                    "followup_sample_type": "percent",
                    "followup_sample_value": 30,
                }
            )
        Ticket = self.env["helpdesk.ticket"]
        closed = Ticket.search(
            [("itss_state", "=", "closed"), ("itss_followup_visit_ids", "=", False)],
            order="closed_date, id",
        )
        sampled = closed.filtered(
            lambda t: t.itss_contract_id.followup_mode == "sample"
        )
        for contract in sampled.itss_contract_id:
            self._itss_demo_draw(rng, contract, sampled)
        followup_type = self.env.ref("itss_incident.mail_act_itss_followup")
        vals_list = []
        for ticket in (closed - sampled) | sampled.filtered("itss_followup_sampled"):
            if not ticket.itss_followup_result:
                continue
            reached = ticket.itss_followup_result != "unreachable"
            visitor = ticket._itss_desk_user() or self.env.ref("base.user_admin")
            satisfaction = ticket.itss_satisfaction or "4"
            if ticket.itss_followup_result == "not_satisfied":
                satisfaction = min(satisfaction, "2")
            vals_list.append(
                dict(
                    self._prepare_itss_visit_vals(ticket),
                    user_id=visitor.id,
                    date=ticket.itss_followup_date or ticket.closed_date,
                    channel=rng.choice(["phone", "phone", "phone", "email", "onsite"]),
                    result=ticket.itss_followup_result,
                    satisfaction=reached and satisfaction,
                    note=ticket.itss_followup_note,
                )
            )
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == followup_type
            ).unlink()
        return self.create(vals_list).ids

    @api.model
    def _itss_demo_draw(self, rng, contract, sampled):
        """The water contract's past months drawn as the cron would have drawn them;
        the tickets left out (and this month's, not drawn yet) not visited."""
        this_month = fields.Date.context_today(self).replace(day=1)
        months = defaultdict(lambda: self.env["helpdesk.ticket"])
        for ticket in sampled.filtered(lambda t: t.itss_contract_id == contract):
            months[ticket.closed_date.date().replace(day=1)] |= ticket
        followup_type = self.env.ref("itss_incident.mail_act_itss_followup")
        for month, tickets in sorted(months.items()):
            drawn = tickets.browse()
            if month < this_month:
                eligible = tickets.filtered(
                    lambda t: (
                        t.itss_close_origin not in ("duplicate", "alert", "rejected")
                    )
                )
                size = contract._itss_followup_sample_size(len(eligible))
                drawn = eligible.browse(sorted(rng.sample(eligible.ids, size)))
                drawn._itss_set_facts({"itss_followup_sampled": True})
                contract.followup_sampled_month = max(
                    contract.followup_sampled_month or month, month
                )
            left_out = tickets - drawn
            left_out._itss_demo_set_history(
                {
                    "itss_followup_result": False,
                    "itss_followup_note": False,
                    "itss_followup_date": False,
                }
            )
            left_out.activity_ids.filtered(
                lambda a: a.activity_type_id == followup_type
            ).unlink()
        if contract.followup_sampled_month is False:
            contract.followup_sampled_month = this_month - relativedelta(months=1)

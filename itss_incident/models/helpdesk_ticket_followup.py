from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .. import compat
from .helpdesk_ticket import SATISFACTION_SELECTION
from .itss_followup_visit import FOLLOWUP_CHANNEL_SELECTION

# facts of the follow-up register the model derives (as ITSS_FACT_FIELDS)
FOLLOWUP_FACT_FIELDS = {"itss_followup_sampled"}


class HelpdeskTicket(models.Model):
    """The follow-up register (回访服务登记表): each recorded visit is a row of
    ``itss.followup.visit``; a contract in sample mode is visited on the monthly
    draw only (itss_service_contract_followup.py); a dissatisfied customer is a
    complaint for the incident manager."""

    _inherit = "helpdesk.ticket"

    itss_followup_sampled = fields.Boolean(
        string="Drawn for Follow-up",
        readonly=True,
        copy=False,
        help="Drawn in its contract's monthly follow-up sample (抽访).",
    )
    itss_followup_visit_ids = fields.One2many(
        "itss.followup.visit", "ticket_id", string="Follow-up Visits"
    )

    def _itss_get_post_close_fields(self):
        return super()._itss_get_post_close_fields() | FOLLOWUP_FACT_FIELDS

    def _itss_check_facts(self, names, internal=False):
        res = super()._itss_check_facts(names, internal=internal)
        if not (self.env.su or internal) and FOLLOWUP_FACT_FIELDS & set(names):
            raise AccessError(
                self.env._(
                    "The follow-up sample is drawn by the system: a ticket cannot be "
                    "drawn or left out by hand."
                )
            )
        return res

    def action_itss_record_followup(
        self, result, note=None, satisfaction=None, channel="phone"
    ):
        """Record the follow-up visit (回访): the ticket's follow-up fields, a row of
        the follow-up register, and for a dissatisfied customer a complaint to
        handle for the incident manager."""
        self.ensure_one()
        if satisfaction and satisfaction not in dict(SATISFACTION_SELECTION):
            raise UserError(self.env._("Satisfaction is rated from 1 to 5."))
        if channel not in dict(FOLLOWUP_CHANNEL_SELECTION):
            raise UserError(self.env._("Choose how the customer was visited."))
        if result == "unreachable" and satisfaction:
            raise UserError(
                self.env._("An unreachable customer gives no satisfaction.")
            )
        res = super().action_itss_record_followup(result, note)
        Visit = self.env["itss.followup.visit"]
        Visit.create(
            dict(
                Visit._prepare_itss_visit_vals(self),
                user_id=self.env.user.id,
                date=self.itss_followup_date,
                channel=channel,
                result=result,
                satisfaction=satisfaction or False,
                note=note or False,
            )
        )
        if result == "not_satisfied":
            self._itss_schedule_complaint(note)
        return res

    def _itss_complaint_managers(self):
        """Who handles a dissatisfied customer: the team's incident manager, else the
        company's incident managers."""
        self.ensure_one()
        if self.team_id.itss_incident_manager_id:
            return self.team_id.itss_incident_manager_id
        group = self.env.ref("itss_incident.group_itss_incident_manager")
        # sudo: the desk agent who records the visit may not read the group's users
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    *compat.in_group_domain(group),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.ids),
                ],
                order="id",
            )
        )

    def _itss_schedule_complaint(self, note=None):
        """A complaint to handle (the follow-up found the customer dissatisfied)."""
        self.ensure_one()
        for manager in self._itss_complaint_managers():
            self.activity_schedule(
                "itss_incident.mail_act_itss_complaint",
                user_id=manager.id,
                note=note or False,
            )

    def _itss_schedule_followup(self):
        """A contract in sample mode: only the tickets drawn in its monthly sample
        are visited."""
        visited = self.filtered(
            lambda t: (
                t.itss_contract_id.followup_mode != "sample" or t.itss_followup_sampled
            )
        )
        return super(HelpdeskTicket, visited)._itss_schedule_followup()

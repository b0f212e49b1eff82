from odoo import api, fields, models
from odoo.exceptions import UserError


class ItssMajorDeclare(models.TransientModel):
    """Declare a major incident for a ticket (with a reason), or join an open one."""

    _name = "itss.major.declare"
    _description = "Declare an ITSS major incident"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    major_incident_id = fields.Many2one(
        "itss.major.incident",
        string="Join Major Incident",
        domain="[('state', 'in', ('declared', 'recovering'))]",
        help="Leave empty to declare a new major incident.",
    )
    reason = fields.Text(required=True)
    emergency_plan_id = fields.Many2one(
        "itss.emergency.plan",
        compute="_compute_emergency_plan_id",
        store=True,
        readonly=False,
        help="The emergency plan of the ticket's system, proposed from its category; "
        "the recovery team follows its steps.",
    )

    @api.depends("ticket_id")
    def _compute_emergency_plan_id(self):
        for wizard in self:
            wizard.emergency_plan_id = self.env[
                "itss.emergency.plan"
            ]._itss_find_for_ticket(wizard.ticket_id)

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        if self.major_incident_id:
            if ticket.itss_major_incident_id:
                raise UserError(
                    self.env._("The ticket belongs to a major incident already.")
                )
            ticket.itss_major_incident_id = self.major_incident_id
            self.major_incident_id.sudo().message_post(
                body=self.env._(
                    "Ticket %(ticket)s joined: %(reason)s",
                    ticket=ticket.display_name,
                    reason=self.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return {"type": "ir.actions.act_window_close"}
        return ticket.action_itss_declare_major(
            reason=self.reason, emergency_plan=self.emergency_plan_id
        )

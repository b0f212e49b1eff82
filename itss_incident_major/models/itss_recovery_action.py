from odoo import api, fields, models


class ItssRecoveryAction(models.Model):
    """An action of the recovery plan: what, who, by when. Once the version is
    approved only its progress (state) changes, by its owner or a manager."""

    _name = "itss.recovery.action"
    _description = "ITSS Recovery Action"
    _order = "plan_id, date_deadline, id"

    plan_id = fields.Many2one(
        "itss.recovery.plan", required=True, ondelete="cascade", index=True
    )
    major_incident_id = fields.Many2one(related="plan_id.major_incident_id", store=True)
    name = fields.Char(string="Action", required=True)
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, domain=[("share", "=", False)]
    )
    date_deadline = fields.Date(string="Deadline")
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="todo",
        required=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["itss.recovery.plan"].browse(
            [v.get("plan_id") for v in vals_list]
        )
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"state"}:
            self.plan_id._check_editable()
        result = super().write(vals)
        if vals.get("state") in ("done", "cancelled"):
            self._itss_activities().action_feedback(feedback=vals["state"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self.plan_id._check_editable()

    def _itss_activities(self):
        incidents = self.major_incident_id
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "itss.major.incident"),
                ("res_id", "in", incidents.ids),
                ("user_id", "in", self.user_id.ids),
                ("summary", "in", self.mapped("name")),
            ]
        )

    def _itss_schedule_activity(self):
        """Owners of an approved plan's open actions get a to-do on the incident."""
        for action in self.filtered(lambda a: a.state == "todo"):
            action.major_incident_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_deadline or fields.Date.context_today(self),
                summary=action.name,
                user_id=action.user_id.id,
            )

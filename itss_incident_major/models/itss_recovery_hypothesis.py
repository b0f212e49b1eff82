from odoo import api, fields, models

LEVELS = [("1", "High"), ("2", "Medium"), ("3", "Low")]
EASE = [("1", "Easy"), ("2", "Medium"), ("3", "Hard")]


class ItssRecoveryHypothesis(models.Model):
    """A possible cause: how to confirm or rule it out; likelihood and ease of
    confirmation give the order of investigation."""

    _name = "itss.recovery.hypothesis"
    _description = "ITSS Recovery Hypothesis"
    _order = "plan_id, investigation_priority, id"

    plan_id = fields.Many2one(
        "itss.recovery.plan", required=True, ondelete="cascade", index=True
    )
    cause = fields.Char(required=True)
    verification = fields.Text(string="How to Confirm or Rule Out")
    likelihood = fields.Selection(LEVELS, required=True, default="2")
    ease = fields.Selection(
        EASE, string="Ease of Confirmation", required=True, default="2"
    )
    investigation_priority = fields.Integer(
        compute="_compute_investigation_priority",
        store=True,
        help="Likely and easy to confirm first: likelihood × ease (1 first).",
    )
    state = fields.Selection(
        [("open", "Open"), ("confirmed", "Confirmed"), ("ruled_out", "Ruled Out")],
        default="open",
        required=True,
    )

    @api.depends("likelihood", "ease")
    def _compute_investigation_priority(self):
        for hypothesis in self:
            hypothesis.investigation_priority = int(hypothesis.likelihood or 3) * int(
                hypothesis.ease or 3
            )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["itss.recovery.plan"].browse(
            [v.get("plan_id") for v in vals_list]
        )
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self.plan_id._check_editable()

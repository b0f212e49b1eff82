from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.itss_incident import compat

from .itss_major_incident import MANAGER_GROUP

# A version's state and approval are facts the model derives: its transitions pass
# _TRANSITION as the context's ``itss_plan_transition``, a Python object no JSON-RPC
# caller can send (DESIGN.md: an approved version is immutable for everyone).
_TRANSITION = object()
FACT_FIELDS = {"state", "approved_by_id", "approved_date"}


@compat.sql_constraints
class ItssRecoveryPlan(models.Model):
    """One version of a major incident's recovery plan (恢复计划). An approved version
    is frozen and kept; a new version starts as a copy of the latest and supersedes
    the approved one when it is approved."""

    _name = "itss.recovery.plan"
    _description = "ITSS Recovery Plan Version"
    _inherit = ["mail.thread"]
    _order = "major_incident_id, version desc"

    major_incident_id = fields.Many2one(
        "itss.major.incident", required=True, index=True, ondelete="restrict"
    )
    version = fields.Integer(required=True, readonly=True, default=1)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("superseded", "Superseded")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    problem_statement = fields.Html(help="What is known of the problem so far.")
    breakdown = fields.Html(help="Components, interfaces and possible causes.")
    hypothesis_ids = fields.One2many(
        "itss.recovery.hypothesis", "plan_id", string="Hypotheses", copy=True
    )
    action_ids = fields.One2many(
        "itss.recovery.action", "plan_id", string="Actions", copy=True
    )
    next_review = fields.Datetime(string="Next Recovery Team Review")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "version_unique",
            "UNIQUE(major_incident_id, version)",
            "This version exists already.",
        ),
    ]

    @api.depends("major_incident_id", "version")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "%(incident)s, recovery plan v%(version)s",
                incident=plan.major_incident_id.number,
                version=plan.version,
            )

    def _check_editable(self):
        frozen = self.filtered(lambda p: p.state != "draft")
        if frozen and self.env.context.get("itss_plan_transition") is not _TRANSITION:
            raise UserError(
                self.env._(
                    "Recovery plan %(plan)s is approved: it cannot change. Start a new "
                    "version.",
                    plan=frozen[0].display_name,
                )
            )

    def _check_facts(self, names):
        if FACT_FIELDS & set(names) and (
            self.env.context.get("itss_plan_transition") is not _TRANSITION
        ):
            raise UserError(
                self.env._("Approve a recovery plan version with its button.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_facts(
                name
                for name, value in vals.items()
                if value and (name, value) != ("state", "draft")
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_facts(vals)
        if set(vals) - {"message_main_attachment_id"}:
            self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._check_editable()

    def action_approve(self):
        """Freeze this version; it supersedes the approved one."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("Only a major incident manager approves a recovery plan.")
            )
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft version is approved."))
            if not plan.action_ids:
                raise UserError(
                    self.env._(
                        "Recovery plan %(plan)s has no action: add what the recovery "
                        "team does, who does it and by when before approving it.",
                        plan=plan.display_name,
                    )
                )
            previous = plan.major_incident_id.recovery_plan_ids.filtered(
                lambda p: p.state == "approved"
            )
            previous.with_context(itss_plan_transition=_TRANSITION).write(
                {"state": "superseded"}
            )
            plan.with_context(itss_plan_transition=_TRANSITION).write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
            plan.action_ids._itss_schedule_activity()

    def action_new_version(self):
        self.ensure_one()
        return self._itss_new_version()._itss_open()

    def _itss_new_version(self):
        self.ensure_one()
        incident = self.major_incident_id
        if incident.recovery_plan_ids.filtered(lambda p: p.state == "draft"):
            raise UserError(self.env._("A draft version exists already: edit it."))
        latest = incident.recovery_plan_ids.sorted("version")[-1]
        return latest.copy({"version": latest.version + 1, "state": "draft"})

    def _itss_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

from odoo import api, fields, models
from odoo.exceptions import UserError

from .itss_major_incident import MANAGER_GROUP

# A version's state and approval are facts the model derives: its transitions pass
# _TRANSITION as the context's ``itss_plan_transition``, a Python object no JSON-RPC
# caller can send (DESIGN.md: an approved version is immutable for everyone).
_TRANSITION = object()
FACT_FIELDS = {"state", "approved_by_id", "approved_date"}

LEVELS = [("1", "High"), ("2", "Medium"), ("3", "Low")]
EASE = [("1", "Easy"), ("2", "Medium"), ("3", "Hard")]


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
    action_ids = fields.One2many("itss.recovery.action", "plan_id", string="Actions", copy=True)
    next_review = fields.Datetime(string="Next Recovery Team Review")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("version_unique", "UNIQUE(major_incident_id, version)", "This version exists already."),
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
            raise UserError(self.env._("Approve a recovery plan version with its button."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_facts(
                name for name, value in vals.items()
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
            raise UserError(self.env._("Only a major incident manager approves a recovery plan."))
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
            previous.with_context(itss_plan_transition=_TRANSITION).write({"state": "superseded"})
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


class ItssRecoveryHypothesis(models.Model):
    """A possible cause: how to confirm or rule it out; likelihood and ease of
    confirmation give the order of investigation."""

    _name = "itss.recovery.hypothesis"
    _description = "ITSS Recovery Hypothesis"
    _order = "plan_id, investigation_priority, id"

    plan_id = fields.Many2one("itss.recovery.plan", required=True, ondelete="cascade", index=True)
    cause = fields.Char(required=True)
    verification = fields.Text(string="How to Confirm or Rule Out")
    likelihood = fields.Selection(LEVELS, required=True, default="2")
    ease = fields.Selection(EASE, string="Ease of Confirmation", required=True, default="2")
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
        plans = self.env["itss.recovery.plan"].browse([v.get("plan_id") for v in vals_list])
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self.plan_id._check_editable()


class ItssRecoveryAction(models.Model):
    """An action of the recovery plan: what, who, by when. Once the version is
    approved only its progress (state) changes, by its owner or a manager."""

    _name = "itss.recovery.action"
    _description = "ITSS Recovery Action"
    _order = "plan_id, date_deadline, id"

    plan_id = fields.Many2one("itss.recovery.plan", required=True, ondelete="cascade", index=True)
    major_incident_id = fields.Many2one(related="plan_id.major_incident_id", store=True)
    name = fields.Char(string="Action", required=True)
    note = fields.Text()
    user_id = fields.Many2one("res.users", string="Owner", required=True, domain=[("share", "=", False)])
    date_deadline = fields.Date(string="Deadline")
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="todo",
        required=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["itss.recovery.plan"].browse([v.get("plan_id") for v in vals_list])
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

from odoo import api, fields, models
from odoo.exceptions import UserError

from .itss_major_incident import _TRANSITION

# facts the model writes itself: how it was declared, why and when it was withdrawn
MAJOR_FACT_FIELDS = {"auto_declared", "cancel_reason", "cancelled_date"}


class ItssMajorIncident(models.Model):
    """Withdrawal (DESIGN.md: ``cancelled``, "withdrawn while still declared, e.g. the
    priority was lowered at re-confirmation; with a reason; never deleted"): a major
    incident the system declared by itself withdraws when the priority of its ticket
    is lowered at the urgent re-confirmation, while nobody has worked on it yet."""

    _inherit = "itss.major.incident"

    auto_declared = fields.Boolean(
        string="Declared Automatically",
        readonly=True,
        copy=False,
        help="Declared by the system when its ticket reached the major priority, not "
        "by a person. Only such a major incident withdraws by itself when the "
        "priority is lowered at the urgent re-confirmation, while nobody has worked "
        "on it yet.",
    )
    cancel_reason = fields.Text(
        string="Why Withdrawn", readonly=True, copy=False, tracking=True
    )
    cancelled_date = fields.Datetime(string="Withdrawn On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._itss_check_major_facts(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._itss_check_major_facts(vals)
        return super().write(vals)

    def _itss_check_major_facts(self, vals):
        """How a major incident was declared and why it was withdrawn are written by
        the model only: the declaration (as the superuser) and the withdrawal (with
        the private pass)."""
        if (
            MAJOR_FACT_FIELDS & set(vals)
            and not self.env.su
            and self.env.context.get("itss_major_transition") is not _TRANSITION
        ):
            raise UserError(
                self.env._(
                    "How a major incident was declared and why it was withdrawn are "
                    "recorded by the system."
                )
            )

    def _itss_withdrawable(self):
        """Whether the major incident may withdraw by itself: declared automatically,
        still declared, and nobody has worked on it yet (no recovery plan version,
        communication plan, statement or meeting, business continuity not invoked, no
        other ticket joined)."""
        self.ensure_one()
        return bool(
            self.auto_declared
            and self.state == "declared"
            and not self.recovery_plan_ids
            and not self.communication_line_ids
            and not self.communication_update_ids
            and not self.meeting_ids
            and not self.bcp_invoked
            and self.ticket_ids <= self.ticket_id
        )

    def _itss_kept_reason(self):
        """Why the major incident does not withdraw by itself, in words."""
        self.ensure_one()
        if not self.auto_declared:
            return self.env._("declared by a person")
        if self.state != "declared":
            states = dict(self._fields["state"]._description_selection(self.env))
            return states[self.state].lower()
        return self.env._("work on it has started")

    def _itss_withdraw(self, reason):
        """Withdraw major incidents still declared: state ``cancelled`` with the
        reason, kept. Their tickets leave them; a ticket that reaches the major
        priority again declares a new one. The caller decides who may (the urgent
        re-confirmation of the main ticket) and calls it as the superuser."""
        for incident in self:
            if incident.state != "declared":
                raise UserError(
                    self.env._(
                        "Major incident %(incident)s is withdrawn only while it is "
                        "declared.",
                        incident=incident.display_name,
                    )
                )
        self.with_context(itss_major_transition=_TRANSITION).write(
            {
                "state": "cancelled",
                "cancel_reason": reason,
                "cancelled_date": fields.Datetime.now(),
            }
        )
        self.ticket_ids.write({"itss_major_incident_id": False})

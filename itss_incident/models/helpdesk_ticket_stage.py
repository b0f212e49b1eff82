from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ITSS_STATE_SELECTION = [
    ("new", "Logged"),
    ("assigned", "Dispatched"),
    ("in_progress", "In Progress"),
    ("pending", "Pending"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
ITSS_TERMINAL_STATES = ("closed", "cancelled")
# Allowed moves between ITSS states (DESIGN.md, "Transitions between ITSS states").
# resolved -> in_progress is allowed only to an incident manager with a reason, any open
# state -> closed only for a duplicate closed with its master, and assigned /
# in_progress -> new only as a return to the service desk with a reason: all are
# checked in helpdesk.ticket.
ITSS_TRANSITIONS = {
    "new": {"assigned", "in_progress", "resolved", "cancelled"},
    "assigned": {"in_progress", "new", "resolved", "cancelled"},
    "in_progress": {"assigned", "new", "pending", "resolved", "cancelled"},
    "pending": {"in_progress", "resolved", "cancelled"},
    "resolved": {"closed"},
    "closed": set(),
    "cancelled": set(),
}


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    itss_state = fields.Selection(
        ITSS_STATE_SELECTION,
        string="ITSS State",
        index=True,
        help="The incident lifecycle state this stage stands for. Tickets of ITSS "
        "teams move only between stages with a state, under the ITSS rules; leave "
        "empty for stages of other teams.",
    )

    @api.constrains("itss_state", "closed")
    def _check_itss_state_closed(self):
        for stage in self:
            if stage.itss_state and stage.closed != (
                stage.itss_state in ITSS_TERMINAL_STATES
            ):
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s: only the Closed and Cancelled ITSS states "
                        "are closing stages.",
                        stage=stage.name,
                    )
                )

    def write(self, vals):
        if "itss_state" in vals and self.env["helpdesk.ticket"].sudo().search_count(
            [("stage_id", "in", self.ids)], limit=1
        ):
            changed = self.filtered(lambda s: s.itss_state != vals["itss_state"])
            if changed:
                raise UserError(
                    self.env._(
                        "The ITSS state of a stage that has tickets cannot change: "
                        "create a new stage instead."
                    )
                )
        return super().write(vals)

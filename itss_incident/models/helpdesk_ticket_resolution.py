from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    """The resolution record (DESIGN.md, "Resolution record"): solution, closure code,
    business recovery and actual completion times, who resolved it, the vendor at
    fault; each version of the solution kept in the chatter."""

    _inherit = "helpdesk.ticket"

    itss_solution = fields.Html(
        string="Solution",
        copy=False,
        help="How the incident was resolved; required to resolve the ticket.",
    )

    itss_closure_code_id = fields.Many2one(
        "itss.closure.code",
        string="Closure Code",
        tracking=True,
        copy=False,
    )

    itss_recovery_date = fields.Datetime(
        string="Business Recovery Time",
        tracking=True,
        copy=False,
        help="When the business service was back; required to resolve an incident.",
    )

    itss_completion_date = fields.Datetime(
        string="Actual Completion Time",
        tracking=True,
        copy=False,
        help="When the resolver finished the work (实际完成时间); now by default, "
        "never in the future nor before the ticket was logged.",
    )

    itss_resolved_date = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, index=True
    )

    itss_resolver_role = fields.Selection(
        [
            ("service_desk", "Service desk"),
            ("first_line", "First line engineer"),
            ("second_line", "Second line engineer"),
            ("vendor", "Vendor"),
        ],
        string="Resolved By",
        compute="_compute_itss_resolver_role",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )

    itss_fault_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor at Fault",
        copy=False,
        tracking=True,
        help="The vendor whose product or service caused the incident, if any.",
    )

    @api.depends("itss_state", "team_id")
    def _compute_itss_resolver_role(self):
        roles = {"1": "first_line", "2": "second_line", "3": "vendor"}
        for ticket in self:
            if ticket.itss_state in ("resolved", "closed") and ticket.team_id.itss_tier:
                ticket.itss_resolver_role = ticket.itss_resolver_role or roles.get(
                    ticket.team_id.itss_tier
                )
            else:
                ticket.itss_resolver_role = ticket.itss_resolver_role

    @api.constrains("itss_completion_date", "itss_logged_date")
    def _check_itss_completion_date(self):
        """The actual completion time (DESIGN.md, "Resolution record") is never in the
        future nor before the logging."""
        now = fields.Datetime.now()
        for ticket in self.filtered("itss_completion_date"):
            completion = ticket.itss_completion_date
            if completion > now or (
                ticket.itss_logged_date and completion < ticket.itss_logged_date
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the actual completion time %(completion)s "
                        "must lie between the logging (%(logged)s) and now.",
                        ticket=ticket.display_name,
                        completion=ticket._itss_format_datetime(completion),
                        logged=ticket._itss_format_datetime(ticket.itss_logged_date),
                    )
                )

    @api.constrains("itss_recovery_date", "itss_logged_date", "itss_resolved_date")
    def _check_itss_recovery_date(self):
        """The business recovery time (DESIGN.md, "Resolution record") lies between the
        logging and the resolution, and never in the future."""
        now = fields.Datetime.now()
        for ticket in self.filtered("itss_recovery_date"):
            recovery = ticket.itss_recovery_date
            error = None
            if recovery > now:
                error = self.env._("it lies in the future")
            elif ticket.itss_logged_date and recovery < ticket.itss_logged_date:
                error = self.env._(
                    "it is before the ticket was logged (%(logged)s)",
                    logged=ticket._itss_format_datetime(ticket.itss_logged_date),
                )
            elif ticket.itss_resolved_date and recovery > ticket.itss_resolved_date:
                error = self.env._(
                    "it is after the resolution (%(resolved)s)",
                    resolved=ticket._itss_format_datetime(ticket.itss_resolved_date),
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the business recovery time %(recovery)s is "
                        "not possible: %(error)s. Enter when the business service was "
                        "back, between the logging and the resolution.",
                        ticket=ticket.display_name,
                        recovery=ticket._itss_format_datetime(recovery),
                        error=error,
                    )
                )

    def write(self, vals):
        changed = self.browse()
        if "itss_solution" in vals:
            changed = self.filtered(
                lambda t: (
                    t.team_id.itss_tier
                    and (t.itss_solution or "") != (vals["itss_solution"] or "")
                )
            )
        res = super().write(vals)
        for ticket in changed:
            # an HTML field has no tracking of its own: the chatter keeps each version
            ticket._message_log(
                body=Markup("<p>%s</p>%s")
                % (self.env._("Solution changed:"), ticket.itss_solution or Markup("")),
            )
        return res

    def _itss_on_state_change(self, before, facts, now):
        """Resolved: the actual completion time is now unless the resolver gave it."""
        for ticket in self:
            if (
                before[ticket.id].state != "resolved"
                and ticket.itss_state == "resolved"
                and not ticket.itss_completion_date
            ):
                facts.setdefault(ticket.id, {})["itss_completion_date"] = now
        return super()._itss_on_state_change(before, facts, now)

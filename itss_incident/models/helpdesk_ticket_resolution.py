from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import OPEN_STATES
from .helpdesk_ticket_owner import DESK_GROUP


def _minute(moment):
    """``moment`` to the minute: users enter and read these times to the minute, so a
    time entered in the minute the ticket was logged is not "before" the logging."""
    return moment.replace(second=0, microsecond=0)


class HelpdeskTicket(models.Model):
    """The resolution record (DESIGN.md, "Resolution record"; 001 100.6.1): solution,
    closure code, business recovery and actual completion times, the resolver's role,
    the vendor at fault; each version of the solution kept in the chatter; duplicates
    resolved with their master."""

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
        readonly=True,
        copy=False,
        tracking=True,
        help="The resolver's role (事件解决人角色), set at the resolution from the "
        "ticket's team and the resolver's groups: service desk (a service desk agent, "
        "or resolved straight from Logged), first or second line engineer, vendor (a "
        "third line team).",
    )

    itss_fault_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor at Fault",
        copy=False,
        tracking=True,
        help="The vendor whose product or service caused the incident, if any.",
    )

    @api.constrains("itss_completion_date", "itss_logged_date")
    def _check_itss_completion_date(self):
        """The actual completion time (DESIGN.md, "Resolution record") is never in the
        future nor before the logging."""
        now = fields.Datetime.now()
        for ticket in self.filtered("itss_completion_date"):
            completion = ticket.itss_completion_date
            if completion > now or (
                ticket.itss_logged_date
                and completion < _minute(ticket.itss_logged_date)
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
            elif ticket.itss_logged_date and recovery < _minute(
                ticket.itss_logged_date
            ):
                error = self.env._(
                    "it is before the ticket was logged (%(logged)s)",
                    logged=ticket._itss_format_datetime(ticket.itss_logged_date),
                )
            elif (
                ticket.itss_resolved_date
                and _minute(recovery) > ticket.itss_resolved_date
            ):
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
        """Resolved: the actual completion time is now unless the resolver gave it,
        the resolver's role is recorded, and the open duplicates are resolved with
        their master. A resolution taken back forgets the role."""
        resolved = self.browse()
        for ticket in self:
            old = before[ticket.id].state
            if old == ticket.itss_state:
                continue
            ticket_facts = facts.setdefault(ticket.id, {})
            if ticket.itss_state == "resolved":
                resolved |= ticket
                if not ticket.itss_completion_date:
                    ticket_facts["itss_completion_date"] = now
                ticket_facts["itss_resolver_role"] = ticket._itss_resolver_role(old)
            elif old == "resolved" and ticket.itss_state in OPEN_STATES:
                ticket_facts["itss_resolver_role"] = False
        res = super()._itss_on_state_change(before, facts, now)
        resolved._itss_resolve_duplicates(now)
        return res

    def _itss_resolver_role(self, old_state):
        """The role of who resolves the ticket now (事件解决人角色, 001 100.6.1 step 6),
        from the ticket's team and the resolver's groups:

        - a third line team (tier 3): ``vendor``; a second line team: ``second_line``;
        - a tier-1 team (service desk and first line): ``service_desk`` when the
          resolver is a service desk agent (incident managers are too), or when the
          ticket is resolved straight from Logged (``new``: never dispatched, resolved
          at first contact by the desk, 帮助台); else ``first_line``;
        - a duplicate resolved with its master: the master's role.

        The resolver is the user who resolves; for the system (an alert that
        cleared, a scheduled action) the assignee."""
        self.ensure_one()
        master = self.duplicate_id
        if master.itss_resolver_role and master.itss_state in ("resolved", "closed"):
            return master.itss_resolver_role
        tier = self.team_id.itss_tier
        if tier == "3":
            return "vendor"
        if tier == "2":
            return "second_line"
        user = self.env.user
        if user.share or user._is_superuser():
            user = self.user_id
        if old_state == "new" or user and user.has_group(DESK_GROUP):
            return "service_desk"
        return "first_line"

    def _itss_follows_master(self):
        """Whether the ticket is a duplicate whose master is resolved or closed: it
        closes with its master (no confirmation, countdown or reminder of its own)."""
        self.ensure_one()
        master = self.duplicate_id
        return bool(
            master.team_id.itss_tier and master.itss_state in ("resolved", "closed")
        )

    def _itss_resolve_duplicates(self, now):
        """The open ITSS duplicates of resolved tickets are resolved with their master
        (001 100.6.1 step 9): its solution and closure code, its business recovery and
        completion times (within the duplicate's own bounds) and its vendor at fault
        if the duplicate has none. They close with it (_itss_close_duplicates)."""
        # sudo: the duplicates follow their master by rule, whatever team they are
        # in (a search: the master's duplicate_ids hold only what the resolver reads)
        open_duplicates = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("duplicate_id", "in", self.ids),
                    ("itss_tier", "!=", False),
                    ("itss_state", "in", OPEN_STATES),
                ],
                order="id",
            )
        )
        for master in self:
            duplicates = open_duplicates.filtered(
                lambda d, m=master: d.duplicate_id == m
            )
            if not duplicates:
                continue
            done = master.itss_recovery_date or master.itss_completion_date or now
            completion = master.itss_completion_date or now
            for duplicate in duplicates:
                logged = duplicate.itss_logged_date or now
                values = {
                    "itss_solution": master.itss_solution,
                    "itss_closure_code_id": master.itss_closure_code_id.id,
                    "itss_completion_date": min(max(completion, logged), now),
                    "itss_fault_vendor_id": (
                        duplicate.itss_fault_vendor_id or master.itss_fault_vendor_id
                    ).id,
                }
                if duplicate.itss_ticket_type == "incident":
                    values["itss_recovery_date"] = duplicate.itss_recovery_date or min(
                        max(done, logged), now
                    )
                # the master's resolution passed the rules just now
                duplicate._itss_move_to("resolved", values)
                duplicate.message_post(
                    body=self.env._(
                        "Resolved with its master ticket %(master)s.",
                        master=master.number,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat


class HelpdeskTicket(models.Model):
    """The configuration item (配置项) an incident or alert concerns (001 100.6.1 step
    7), its system type, the "configuration needs updating" to-do (配置核对更新, 000
    1.7) and the outage each incident records."""

    _inherit = "helpdesk.ticket"

    itss_ci_id = fields.Many2one(
        "itss.configuration.item",
        string="Configuration Item",
        index="btree_not_null",
        tracking=True,
        copy=False,
        # the customer's items and the shared ones; a ticket without a customer (an
        # alert's): all the company's
        domain="[('company_id', '=', company_id), '|', ('partner_id', '=', False), "
        "('partner_id', '=' if commercial_partner_id else '!=', "
        "commercial_partner_id)]",
        help="The configuration item the incident or alert concerns: one of the "
        "customer's items or a shared one.",
    )
    itss_ci_type = fields.Selection(
        string="Incident System Type",
        related="itss_ci_id.ci_type",
        help="The system type of the incident (事件所属系统类型): its configuration "
        "item's.",
    )
    itss_ci_update_needed = fields.Boolean(
        string="Configuration Needs Updating",
        tracking=True,
        copy=False,
        help="The resolution changed the configuration item (配置核对更新): its "
        "configuration manager gets a to-do to update it.",
    )
    itss_outage_minutes = fields.Float(
        string="Outage (minutes)",
        compute="_compute_itss_outage_minutes",
        digits=(16, 1),
        help="From the time of occurrence to the business recovery time (not yet "
        "recovered: until now).",
    )

    def _compute_itss_outage_minutes(self):
        now = fields.Datetime.now()
        for ticket in self:
            begin, stop = ticket._itss_outage_span(now)
            ticket.itss_outage_minutes = max((stop - begin).total_seconds(), 0) / 60

    @api.constrains("itss_ci_id", "partner_id", "company_id")
    def _check_itss_ci_id(self):
        """Whatever the path (the form, the portal, RPC): an item of the ticket's
        company, and of the ticket's customer or of none."""
        for ticket in self.filtered("itss_ci_id"):
            # sudo: compares the item's company and customer, whoever writes
            item = ticket.itss_ci_id.sudo()
            customer = ticket.partner_id.commercial_partner_id
            if item.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: configuration item %(item)s belongs to "
                        "another company.",
                        ticket=ticket.display_name,
                        item=item.display_name,
                    )
                )
            if (
                item.partner_id
                and customer
                and item.partner_id.commercial_partner_id != customer
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: configuration item %(item)s belongs to "
                        "customer %(owner)s, not to the ticket's customer "
                        "%(customer)s.",
                        ticket=ticket.display_name,
                        item=item.display_name,
                        owner=item.partner_id.display_name,
                        customer=customer.display_name,
                    )
                )

    @api.constrains("itss_ci_id")
    def _check_itss_ci_requirements(self):
        self._itss_check_requirements()

    def write(self, vals):
        flagged = self.browse()
        if vals.get("itss_ci_update_needed") and "stage_id" not in vals:
            flagged = self.filtered(
                lambda t: not t.itss_ci_update_needed and t.itss_state == "resolved"
            )
        res = super().write(vals)
        flagged._itss_ci_update_activity()
        return res

    def _itss_missing_requirements(self, vals=None):
        """An incident needs its configuration item to be resolved where the company
        says so (``itss_ci_required``)."""
        missing = super()._itss_missing_requirements(vals)
        vals = vals or {}
        state = self.itss_state
        if vals.get("stage_id"):
            state = (
                self.env["helpdesk.ticket.stage"].browse(vals["stage_id"]).itss_state
            )
        ticket_type = vals.get("itss_ticket_type", self.itss_ticket_type)
        item = vals["itss_ci_id"] if "itss_ci_id" in vals else self.itss_ci_id
        if (
            state == "resolved"
            and ticket_type == "incident"
            and self.company_id.itss_ci_required
            and not item
        ):
            missing.append(
                self._fields["itss_ci_id"].get_description(self.env)["string"]
            )
        return missing

    def _itss_resolve_fields(self):
        return super()._itss_resolve_fields() | {"itss_ci_id", "itss_ci_update_needed"}

    def _itss_on_state_change(self, before, facts, now):
        res = super()._itss_on_state_change(before, facts, now)
        self.filtered(
            lambda t: t.itss_state == "resolved" and before[t.id].state != "resolved"
        )._itss_ci_update_activity()
        return res

    def _itss_outage_span(self, now):
        """The ticket's outage: (time of occurrence, business recovery time); an
        incident not recovered yet: until its resolution, else ``now``."""
        self.ensure_one()
        begin = self.itss_occurred_date or self.itss_logged_date or self.create_date
        stop = self.itss_recovery_date
        if not stop and self.itss_state in ("resolved", "closed"):
            stop = self.itss_resolved_date or self.closed_date
        return begin, max(stop or now, begin)

    def _itss_ci_update_activity(self):
        """The to-do of the item's configuration manager to update the item after a
        resolution that says the configuration needs updating (配置核对更新: "由一线支持
        提交配置管理负责人进行配置项修改"). Without a manager: the incident manager of
        the ticket's team, else an incident manager of the company. Once per ticket
        while the to-do is open."""
        tickets = self.filtered(lambda t: t.itss_ci_update_needed and t.itss_ci_id)
        if not tickets:
            return
        activity_type = self.env.ref("itss_incident.mail_act_itss_ci_update")
        for ticket in tickets:
            # sudo: the resolver tells the configuration manager; only incident
            # managers may edit the item and its to-dos
            item = ticket.itss_ci_id.sudo()
            summary = self.env._(
                "Update the configuration after ticket %(ticket)s",
                ticket=ticket.number or ticket.name,
            )
            if item.activity_ids.filtered(
                lambda a, summary=summary: (
                    a.activity_type_id == activity_type and a.summary == summary
                )
            ):
                continue
            user = item.user_id or ticket.team_id.itss_incident_manager_id
            if not user:
                user = self.env["res.users"].search(
                    [
                        *compat.in_group_domain(
                            self.env.ref("itss_incident.group_itss_incident_manager")
                        ),
                        ("share", "=", False),
                        ("company_ids", "in", ticket.company_id.id),
                        ("id", "!=", self.env.ref("base.user_root").id),
                    ],
                    order="id",
                    limit=1,
                )
            item.activity_schedule(
                "itss_incident.mail_act_itss_ci_update",
                user_id=(user or self.env.user).id,
                summary=summary,
                note=Markup("<p>%s</p>%s")
                % (
                    self.env._(
                        "Ticket %(ticket)s (%(name)s) was resolved with this solution:",
                        ticket=ticket.number or "",
                        name=ticket.name,
                    ),
                    ticket.itss_solution or Markup(""),
                ),
            )
            ticket.message_post(
                body=self.env._(
                    "%(user)s has a to-do to update configuration item %(item)s.",
                    user=(user or self.env.user).name,
                    item=item.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )


class ResCompany(models.Model):
    _inherit = "res.company"

    itss_ci_required = fields.Boolean(
        string="Configuration Item Required",
        help="An incident needs its configuration item to be resolved.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itss_ci_required = fields.Boolean(
        related="company_id.itss_ci_required", readonly=False
    )


class ItssAlertSource(models.Model):
    _inherit = "itss.alert.source"

    def _itss_alert_ticket_vals(self, alert, now, closed):
        """The alert's ticket is created linked to the configuration item its label
        names."""
        vals = super()._itss_alert_ticket_vals(alert, now, closed)
        item = self._itss_match_ci(vals.get("itss_alert_ci"))
        if item:
            vals["itss_ci_id"] = item.id
        return vals

    def _itss_match_ci(self, label):
        """The configuration item of the source's company named by an alert's
        configuration-item label: by code, else by name; a Prometheus ``instance``
        (``host:port``) also by its host. None matches: no item."""
        self.ensure_one()
        label = (label or "").strip()
        if not label:
            return self.env["itss.configuration.item"]
        candidates = [label]
        host = label.rsplit(":", 1)[0] if ":" in label else ""
        if host and host not in candidates:
            candidates.append(host)
        # sudo: the source's company decides, not the (monitoring) caller's rights;
        # one query, then the first match in the order: the label by code, by name,
        # the host by code, by name
        items = (
            self.env["itss.configuration.item"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("code", "in", candidates),
                    ("name", "in", candidates),
                ],
                ["code", "name"],
                order="id",
            )
        )
        for value in candidates:
            for name in ("code", "name"):
                item = items.filtered(lambda i, n=name, v=value: i[n] == v)[:1]
                if item:
                    return item.with_env(self.env)
        return items.browse().with_env(self.env)

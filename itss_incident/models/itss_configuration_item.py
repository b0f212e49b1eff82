from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat

# The system types an IT service desk supports (事件所属系统类型, 001 100.6.1 step
# 2), after the support groups of 000: applications, operating systems, middleware
# and databases (应用系统支持组); minicomputers and PC servers, storage, switches and
# routers, firewalls, network links (基础设施维护支持组); computers, laptops and
# printers (桌面支持组).
CI_TYPE_SELECTION = [
    ("application", "Application"),
    ("middleware", "Middleware"),
    ("database", "Database"),
    ("operating_system", "Operating System"),
    ("server", "Server"),
    ("storage", "Storage"),
    ("network", "Network Device"),
    ("security", "Security Device"),
    ("link", "Network Link"),
    ("desktop", "Desktop"),
    ("printer", "Printer"),
    ("other", "Other"),
]

# Ticket types whose tickets are incidents (an outage of their item); service
# requests are not.
OUTAGE_TICKET_TYPES = ("incident", "security")


@compat.sql_constraints
class ItssConfigurationItem(models.Model):
    """A configuration item (配置项, CMDB-light): what an incident or an alert concerns
    (001 100.6.1 step 7), with its customer, vendor, configuration manager and place
    in a hierarchy; its incidents are its outages (availability, 可用率)."""

    _name = "itss.configuration.item"
    _description = "ITSS Configuration Item"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "complete_name, id"
    _rec_names_search = ["name", "code"]
    _parent_store = True
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Unique in the company: the host name or identifier monitoring alerts "
        "carry in their configuration-item label (e.g. db01).",
    )
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    ci_type = fields.Selection(
        CI_TYPE_SELECTION,
        string="System Type",
        required=True,
        default="application",
        tracking=True,
        help="The system type (事件所属系统类型) of the incidents of this item.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The customer the item serves (a company); empty: shared by all.",
    )
    contract_id = fields.Many2one(
        "itss.service.contract",
        string="Service Contract",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The customer's service contract the item is supported under.",
    )
    vendor_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        help="Who supplies and maintains the item.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Configuration Manager",
        tracking=True,
        domain=[("share", "=", False)],
        help="Keeps the item's configuration up to date: gets a to-do when an "
        "incident's resolution says the configuration needs updating.",
    )
    parent_id = fields.Many2one(
        "itss.configuration.item",
        string="Part of",
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "itss.configuration.item", "parent_id", string="Components"
    )
    description = fields.Html()
    ticket_ids = fields.One2many("helpdesk.ticket", "itss_ci_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    open_ticket_count = fields.Integer(
        string="Open Tickets", compute="_compute_ticket_count"
    )
    outage_ids = fields.One2many(
        "helpdesk.ticket",
        string="Outages",
        compute="_compute_outage_ids",
        help="The incidents of the item: each is an outage from its time of "
        "occurrence to its business recovery time.",
    )
    outage_count = fields.Integer(
        string="Number of Outages", compute="_compute_outage_ids"
    )
    availability_30d = fields.Float(
        string="Availability (30 days, %)",
        compute="_compute_availability_30d",
        digits=(16, 3),
        help="Share of the last 30 days (wall-clock time) without an outage of the "
        "item; overlapping outages count once.",
    )
    outage_minutes_30d = fields.Float(
        string="Outage (30 days, minutes)",
        compute="_compute_availability_30d",
        digits=(16, 1),
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "UNIQUE(code, company_id)",
            "Each configuration item's code is unique within its company.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for item in self:
            if item.parent_id:
                item.complete_name = f"{item.parent_id.complete_name} / {item.name}"
            else:
                item.complete_name = item.name

    @api.depends("code", "name")
    def _compute_display_name(self):
        for item in self:
            item.display_name = (
                f"[{item.code}] {item.name}" if item.code else item.name or ""
            )

    def _compute_ticket_count(self):
        Ticket = self.env["helpdesk.ticket"]
        counts = dict(
            Ticket._read_group(
                [("itss_ci_id", "in", self.ids)], ["itss_ci_id"], ["__count"]
            )
        )
        open_counts = dict(
            Ticket._read_group(
                [
                    ("itss_ci_id", "in", self.ids),
                    ("itss_state", "in", ("new", "assigned", "in_progress", "pending")),
                ],
                ["itss_ci_id"],
                ["__count"],
            )
        )
        for item in self:
            item.ticket_count = counts.get(item, 0)
            item.open_ticket_count = open_counts.get(item, 0)

    def _compute_outage_ids(self):
        tickets = self.env["helpdesk.ticket"].search(
            self._get_outage_domain(), order="itss_occurred_date desc, id desc"
        )
        for item in self:
            item.outage_ids = tickets.filtered(
                lambda t, item=item: t.itss_ci_id == item
            )
            item.outage_count = len(item.outage_ids)

    def _compute_availability_30d(self):
        now = fields.Datetime.now()
        figures = self.itss_availability(now - timedelta(days=30), now)
        for item in self:
            item.availability_30d = figures.get(item.id, {}).get("availability", 100.0)
            item.outage_minutes_30d = figures.get(item.id, {}).get("outage_minutes", 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A configuration item cannot be a component of itself.")
            )

    @api.constrains("contract_id", "partner_id")
    def _check_contract_id(self):
        for item in self.filtered("contract_id"):
            if item.contract_id.partner_id != item.partner_id:
                raise ValidationError(
                    self.env._(
                        "Configuration item %(name)s: contract %(contract)s is "
                        "%(customer)s's, not the item's customer's.",
                        name=item.display_name,
                        contract=item.contract_id.name,
                        customer=item.contract_id.partner_id.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contract_id.partner_id != self.partner_id:
            self.contract_id = False

    @api.constrains("code")
    def _check_code(self):
        for item in self:
            if not (item.code or "").strip() or item.code != item.code.strip():
                raise ValidationError(
                    self.env._(
                        "Configuration item %(name)s: the code must not be empty nor "
                        "start or end with a space.",
                        name=item.name,
                    )
                )

    def write(self, vals):
        if vals.get("parent_id") and self.search_count(
            [("id", "in", self.ids), ("id", "parent_of", vals["parent_id"])]
        ):
            # before the hierarchy's own, less telling, "Recursion Detected"
            raise ValidationError(
                self.env._("A configuration item cannot be a component of itself.")
            )
        return super().write(vals)

    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets of %(item)s", item=self.display_name),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("itss_ci_id", "=", self.id)],
            "context": {"default_itss_ci_id": self.id},
        }

    def action_view_outages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Outages of %(item)s", item=self.display_name),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "itss_incident.helpdesk_ticket_view_tree_itss_outage"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("id", "in", self.outage_ids.ids)],
        }

    def _get_outage_domain(self):
        """The tickets whose outage counts for the items of ``self`` (override hook):
        ITSS incidents, not cancelled ones (logged by mistake)."""
        return [
            ("itss_ci_id", "in", self.ids),
            ("itss_tier", "!=", False),
            ("itss_ticket_type", "in", OUTAGE_TICKET_TYPES),
            ("itss_state", "!=", "cancelled"),
        ]

    def itss_availability(self, date_from, date_to):
        """The availability of each item of ``self`` over ``[date_from, date_to)``
        (UTC datetimes or their strings; a date is its midnight UTC) on wall-clock
        time: ``{item id: {"outage_minutes": float, "availability": percent}}``.

        Each incident of the item is an outage from its time of occurrence to its
        business recovery time (an incident not yet recovered: its resolution, else
        now); the outages of one item merge where they overlap; every outage counts as
        unplanned. The period ends at the latest now: time to come has no outage yet.
        Callable over RPC by who may read the items (the service report)."""
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to)
        now = fields.Datetime.now()
        end = min(end, now)
        result = {
            item_id: {"outage_minutes": 0.0, "availability": 100.0}
            for item_id in self.ids
        }
        if not self or end <= start:
            return result
        intervals = self._itss_outage_intervals(start, end, now)
        period = (end - start).total_seconds()
        for item_id, spans in intervals.items():
            seconds = sum((stop - begin).total_seconds() for begin, stop in spans)
            result[item_id] = {
                "outage_minutes": round(seconds / 60, 2),
                "availability": round(100.0 * (period - seconds) / period, 4),
            }
        return result

    def _itss_outage_intervals(self, start, end, now):
        """{item id: merged outage intervals within [start, end)}."""
        self.check_access("read")
        # sudo: who reads the items reads their availability, from all their
        # incidents, not only the tickets their own rules show them
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.search(
            self._get_outage_domain()
            + [
                "|",
                ("itss_occurred_date", "=", False),
                ("itss_occurred_date", "<", end),
            ]
            + [
                "|",
                ("itss_recovery_date", "=", False),
                ("itss_recovery_date", ">", start),
            ]
        )
        spans = {}
        for ticket in tickets:
            begin, stop = ticket._itss_outage_span(now)
            begin, stop = max(begin, start), min(stop, end)
            if stop > begin:
                spans.setdefault(ticket.itss_ci_id.id, []).append((begin, stop))
        merged = {}
        for item_id, item_spans in spans.items():
            item_spans.sort()
            result = [list(item_spans[0])]
            for begin, stop in item_spans[1:]:
                if begin <= result[-1][1]:
                    result[-1][1] = max(result[-1][1], stop)
                else:
                    result.append([begin, stop])
            merged[item_id] = [tuple(span) for span in result]
        return merged

    # Demo

    @api.model
    def _itss_demo_link_tickets(self):
        """Demo only: the demo tickets and the generated history linked to the items
        their titles name, for their customer (the history's private pass: closed
        tickets included)."""
        if not self.env.su:
            return False
        ref = self.env.ref
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_notrack=True
        )
        links = {}
        for ticket_xmlid, item_xmlid in DEMO_TICKET_ITEMS.items():
            ticket = ref(f"itss_incident.{ticket_xmlid}", raise_if_not_found=False)
            if ticket:
                links[ticket] = ref(f"itss_incident.{item_xmlid}")
        for ticket in Ticket.search(
            [
                ("itss_tier", "!=", False),
                ("itss_ci_id", "=", False),
                ("itss_ticket_type", "=", "incident"),
            ],
            order="id",
        ):
            if ticket in links:
                continue
            customer = ticket.partner_id.commercial_partner_id
            for keywords, items in DEMO_KEYWORD_ITEMS:
                if any(word in (ticket.name or "") for word in keywords):
                    for partner_xmlid, item_xmlid in items.items():
                        if customer == ref(f"itss_incident.{partner_xmlid}"):
                            links[ticket] = ref(f"itss_incident.{item_xmlid}")
                    break
        for ticket, item in links.items():
            ticket.with_context(tracking_disable=True)._itss_demo_set_history(
                {"itss_ci_id": item.id}
            )
        return len(links)


DEMO_TICKET_ITEMS = {
    "helpdesk_ticket_itss_major_demo": "itss_ci_metro_afc_central_demo",
    "helpdesk_ticket_itss_pending_demo": "itss_ci_metro_db01_demo",
    "helpdesk_ticket_itss_in_progress_demo": "itss_ci_bank_core_switch_demo",
    "helpdesk_ticket_itss_assigned_demo": "itss_ci_bank_printer_demo",
    "helpdesk_ticket_itss_resolved_demo": "itss_ci_bank_mail_demo",
}
# words of the generated tickets' titles (tools/demo_samples.py) and the item each
# customer has for them
DEMO_KEYWORD_ITEMS = [
    (("db01", "数据库"), {"res_partner_metro_demo": "itss_ci_metro_db01_demo"}),
    (("RAID", "存储"), {"res_partner_metro_demo": "itss_ci_metro_storage_demo"}),
    (
        ("交换机", "丢包", "VPN", "防火墙", "域名", "无线 AP"),
        {
            "res_partner_metro_demo": "itss_ci_metro_core_switch_demo",
            "res_partner_bank_demo": "itss_ci_bank_core_switch_demo",
        },
    ),
    (
        ("客流", "票款", "调度", "乘客信息", "售票"),
        {"res_partner_metro_demo": "itss_ci_metro_afc_central_demo"},
    ),
    (("闸机",), {"res_partner_metro_demo": "itss_ci_metro_gates_demo"}),
    (
        ("打印",),
        {
            "res_partner_water_demo": "itss_ci_water_printers_demo",
            "res_partner_bank_demo": "itss_ci_bank_printer_demo",
        },
    ),
    (
        ("邮件", "Outlook"),
        {
            "res_partner_water_demo": "itss_ci_water_mail_demo",
            "res_partner_bank_demo": "itss_ci_bank_mail_demo",
        },
    ),
    (("OA",), {"res_partner_water_demo": "itss_ci_water_oa_demo"}),
    (
        ("笔记本", "电脑", "显示器", "键盘"),
        {"res_partner_water_demo": "itss_ci_water_desktops_demo"},
    ),
]

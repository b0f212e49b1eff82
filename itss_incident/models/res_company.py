from odoo import api, fields, models

from .. import compat

MAJOR_PRIORITY_SELECTION = [("1", "P1 only"), ("2", "P1 and P2"), ("0", "None")]


@compat.sql_constraints
class ResCompany(models.Model):
    _inherit = "res.company"

    # Shipped configuration rows of the main company that a new company gets a copy of.
    _itss_company_models = (
        "itss.priority.matrix",
        "itss.sla.policy",
        "itss.escalation.rule",
    )

    itss_major_priority = fields.Selection(
        MAJOR_PRIORITY_SELECTION,
        string="Major Incident Priority",
        default="1",
        required=True,
        help="Tickets of this priority or higher are major incidents and start the "
        "major incident process.",
    )
    itss_auto_close_days = fields.Integer(
        string="Auto-close After (days)",
        default=3,
        help="Resolved tickets without a reply from the customer close automatically "
        "after this many days.",
    )
    itss_l2_contact_minutes = fields.Integer(
        string="Second Line Contact (minutes)",
        default=20,
        help="A ticket dispatched to a second line team without a first response after "
        "this many minutes notifies the team leader.",
    )
    itss_sla_warn_first_pct = fields.Integer(
        string="First SLA Warning (%)",
        default=50,
        help="Share of an SLA target used when the assignee is warned.",
    )
    itss_sla_warn_second_pct = fields.Integer(
        string="Second SLA Warning (%)",
        default=75,
        help="Share of an SLA target used when the team leader is warned.",
    )

    itss_kpi_fcr_target = fields.Integer(
        string="First-contact Resolution Target (%)",
        default=80,
        help="Share of resolved tickets resolved without a functional escalation.",
    )
    itss_kpi_ontime_target = fields.Integer(
        string="On-time Resolution Target (%)",
        default=95,
        help="Share of resolved tickets resolved within the SLA.",
    )

    itss_default_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default ITSS Team",
        domain="[('itss_tier', '!=', False), ('company_id', 'in', [id, False])]",
        help="The ITSS team (usually the service desk) of tickets that customers "
        "create without a team, on the portal (Web channel) or by email (Email "
        "channel).",
    )
    itss_desk_check_hours = fields.Integer(
        string="Desk Check (hours)",
        default=4,
        help="Hours after logging when the owner calls the customer to check whether "
        "the incident is done (0: no such call).",
    )
    itss_notify_customer_logged = fields.Boolean(
        string="Tell the Customer: Logged",
        default=True,
        help="Mail the customer the ticket's number, category, priority and deadlines "
        "when it is logged (not for tickets from monitoring).",
    )
    itss_notify_customer_dispatched = fields.Boolean(
        string="Tell the Customer: Dispatched and Accepted",
        default=True,
        help="Mail the customer who works on the ticket when it is dispatched and "
        "accepted.",
    )
    itss_notify_customer_pending = fields.Boolean(
        string="Tell the Customer: On Hold",
        default=True,
        help="Mail the customer why and until when the ticket waits.",
    )
    itss_notify_customer_resolved = fields.Boolean(
        string="Tell the Customer: Resolved",
        default=True,
        help="Mail the customer the solution, with links to confirm it or to say it "
        "is not resolved.",
    )
    itss_notify_customer_closed = fields.Boolean(
        string="Tell the Customer: Closed",
        default=True,
        help="Mail the customer how the ticket was closed, with a link to rate the "
        "service if not rated yet.",
    )
    itss_notify_customer_sms = fields.Boolean(
        string="Text Messages to Customers",
        help="Also send each customer notice as a text message to contacts with a "
        "mobile number.",
    )
    itss_alert_quiet_minutes = fields.Integer(
        string="Alert Quiet Period (minutes)",
        default=10,
        help="Default quiet period of new alert sources: how long a cleared alert's "
        "ticket waits before closing.",
    )

    itss_priority_grid = fields.Html(
        string="Priority Grid", compute="_compute_itss_priority_grid", sanitize=False
    )

    _sql_constraints = [
        (
            "itss_sla_warn_pct",
            "CHECK(itss_sla_warn_first_pct > 0 AND itss_sla_warn_first_pct "
            "< itss_sla_warn_second_pct AND itss_sla_warn_second_pct < 100)",
            "SLA warnings: 0 < first warning < second warning < 100 percent.",
        ),
        (
            "itss_positive_delays",
            "CHECK(itss_auto_close_days > 0 AND itss_l2_contact_minutes > 0)",
            "The auto-close delay and the second line contact time must be positive.",
        ),
    ]

    def _compute_itss_priority_grid(self):
        Matrix = self.env["itss.priority.matrix"]
        for company in self:
            company.itss_priority_grid = Matrix._itss_grid_html(company)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._itss_copy_company_data()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if {
            "itss_sla_warn_first_pct",
            "itss_sla_warn_second_pct",
            "itss_l2_contact_minutes",
        } & set(vals):
            # warnings and the watchdog of open tickets move: the scheduled action
            # re-targets them
            self.env["helpdesk.ticket"]._itss_mark_retarget(self)
        return res

    def _itss_copy_company_data(self):
        """Give each company without them a copy of the shipped priority matrix, SLA
        policies and escalation rules (the main company's rows from our data)."""
        source = self.env.ref("base.main_company", raise_if_not_found=False)
        for model_name in self._itss_company_models:
            model = self.env[model_name].sudo().with_context(active_test=False)
            shipped = (
                self.env["ir.model.data"]
                .sudo()
                .search([("module", "=", "itss_incident"), ("model", "=", model_name)])
            )
            rows = model.browse(shipped.mapped("res_id")).exists()
            # the company's own rows, not those of a customer's contract (demo)
            rows = rows.filtered(
                lambda r, s=source: (
                    r.company_id == s
                    and not ("contract_id" in r._fields and r.contract_id)
                )
            )
            for company in self - source:
                if model.search_count([("company_id", "=", company.id)], limit=1):
                    continue
                for row in rows:
                    row.copy({"company_id": company.id})

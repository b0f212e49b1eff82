from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from .itss_priority_matrix import PRIORITY_SELECTION


class ItssProblem(models.Model):
    """A problem (问题) handed over by incident management: the cause behind one or
    more incidents, investigated by a problem manager."""

    _name = "itss.problem"
    _description = "ITSS Problem"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    number = fields.Char(default="/", readonly=True, copy=False, index=True)
    name = fields.Char(string="Title", required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Problem Manager",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [("open", "Open"), ("known_error", "Known Error"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    priority = fields.Selection(PRIORITY_SELECTION, tracking=True)
    category_id = fields.Many2one("helpdesk.ticket.category")
    root_cause = fields.Html(tracking=True)
    workaround = fields.Html(tracking=True)
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "itss_problem_id", string="Incidents"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for problem in self:
            problem.ticket_count = len(problem.ticket_ids)

    @api.depends("number", "name")
    def _compute_display_name(self):
        for problem in self:
            problem.display_name = f"{problem.number} - {problem.name}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                vals["number"] = (
                    self.env["ir.sequence"].next_by_code("itss.problem") or "/"
                )
        return super().create(vals_list)

    def action_known_error(self):
        """Root cause and workaround are known (已知错误)."""
        for problem in self:
            if problem.state != "open":
                raise UserError(
                    self.env._("Only an open problem becomes a known error.")
                )
            if is_html_empty(problem.root_cause) or is_html_empty(problem.workaround):
                raise UserError(
                    self.env._(
                        "Problem %(problem)s: a known error needs its root cause and a "
                        "workaround.",
                        problem=problem.display_name,
                    )
                )
        self.state = "known_error"

    def action_close(self):
        for problem in self:
            if problem.state == "closed":
                raise UserError(
                    self.env._(
                        "Problem %(problem)s is closed already.",
                        problem=problem.display_name,
                    )
                )
            if is_html_empty(problem.root_cause):
                raise UserError(
                    self.env._(
                        "Problem %(problem)s cannot be closed without its root cause.",
                        problem=problem.display_name,
                    )
                )
        self.state = "closed"

    def action_reopen(self):
        self.filtered(lambda p: p.state == "closed").state = "open"

    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Incidents"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("itss_problem_id", "=", self.id)],
        }

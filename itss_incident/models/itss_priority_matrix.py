from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from .. import compat

IMPACT_SELECTION = [
    ("1", "Extensive"),
    ("2", "Significant"),
    ("3", "Moderate"),
    ("4", "Minor"),
]
URGENCY_SELECTION = [
    ("1", "Critical"),
    ("2", "High"),
    ("3", "Medium"),
    ("4", "Low"),
]
PRIORITY_SELECTION = [
    ("1", "P1 - Critical"),
    ("2", "P2 - High"),
    ("3", "P3 - Medium"),
    ("4", "P4 - Low"),
]


@compat.sql_constraints
class ItssPriorityMatrix(models.Model):
    """One cell of a company's impact x urgency -> priority matrix."""

    _name = "itss.priority.matrix"
    _description = "ITSS Priority Matrix Cell"
    _inherit = ["mail.thread"]
    _order = "company_id, impact, urgency"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
        tracking=True,
    )
    impact = fields.Selection(IMPACT_SELECTION, required=True, tracking=True)
    urgency = fields.Selection(URGENCY_SELECTION, required=True, tracking=True)
    priority = fields.Selection(PRIORITY_SELECTION, required=True, tracking=True)

    _sql_constraints = [
        (
            "cell_unique",
            "UNIQUE(company_id, impact, urgency)",
            "The priority matrix already has a cell for this impact and urgency "
            "in this company.",
        ),
    ]

    @api.depends("impact", "urgency", "priority")
    def _compute_display_name(self):
        impacts = dict(self._fields["impact"]._description_selection(self.env))
        urgencies = dict(self._fields["urgency"]._description_selection(self.env))
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        for cell in self:
            cell.display_name = self.env._(
                "Impact %(impact)s, urgency %(urgency)s: %(priority)s",
                impact=impacts.get(cell.impact, ""),
                urgency=urgencies.get(cell.urgency, ""),
                priority=priorities.get(cell.priority, ""),
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_company_matrix(self):
        """Deleting cells would leave tickets without a priority: refuse it."""
        if self:
            raise UserError(
                self.env._(
                    "Cells of the priority matrix cannot be deleted: every impact and "
                    "urgency needs a priority. Change the cell's priority instead."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        cells = super().create(vals_list)
        self.env.registry.clear_cache()  # _itss_cells
        return cells

    def write(self, vals):
        res = super().write(vals)
        if {"company_id", "impact", "urgency", "priority"} & set(vals):
            self.env.registry.clear_cache()  # _itss_cells
        return res

    @api.model
    def _itss_get_priorities(self, companies):
        """Return {(company_id, impact, urgency): priority} for ``companies``."""
        return {
            (company_id, impact, urgency): priority
            for company_id in companies.ids
            for impact, urgency, priority in self._itss_cells(company_id)
        }

    @tools.ormcache("company_id")
    def _itss_cells(self, company_id):
        """The (impact, urgency, priority) cells of a company's matrix. Cached: every
        ticket logged reads them (issue 18), a change of a cell clears the cache (in
        every worker, as Odoo's registry caches are)."""
        cells = self.sudo().search_fetch(
            [("company_id", "=", company_id)], ["impact", "urgency", "priority"]
        )
        return tuple((cell.impact, cell.urgency, cell.priority) for cell in cells)

    @api.model
    def action_itss_grid(self):
        """The current company's matrix as an impact x urgency grid (editing stays in
        the list, behind the grid's button)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Priority Matrix"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "itss_incident.res_company_view_form_itss_priority_grid"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    @api.model
    def _itss_grid_html(self, company):
        """The impact x urgency grid of ``company``'s matrix, as an HTML table."""
        priorities = self._itss_get_priorities(company)
        impacts = dict(self._fields["impact"]._description_selection(self.env))
        urgencies = dict(self._fields["urgency"]._description_selection(self.env))
        labels = dict(self._fields["priority"]._description_selection(self.env))
        tones = {"1": "danger", "2": "warning", "3": "info", "4": "secondary"}
        head = Markup("").join(
            Markup("<th class='text-center'>%s</th>") % urgencies[u]
            for u in sorted(urgencies)
        )
        rows = Markup("")
        for impact in sorted(impacts):
            cells = Markup("")
            for urgency in sorted(urgencies):
                priority = priorities.get((company.id, impact, urgency))
                cells += Markup(
                    "<td class='text-center'>"
                    "<span class='badge text-bg-%s fs-6'>%s</span></td>"
                ) % (tones.get(priority, "light"), labels.get(priority, "-"))
            rows += Markup("<tr><th>%s</th>%s</tr>") % (impacts[impact], cells)
        return Markup(
            "<table class='table table-bordered o_itss_priority_grid'>"
            "<thead><tr><th>%s \\ %s</th>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Impact"), self.env._("Urgency"), head, rows)

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import is_html_empty


class HelpdeskTicket(models.Model):
    """Problem management: the hand-off of a ticket to a problem."""

    _inherit = "helpdesk.ticket"

    itss_problem_id = fields.Many2one(
        "itss.problem",
        string="Problem",
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The problem record that investigates the cause of this incident.",
    )

    def action_itss_send_to_problem(self):
        """Hand the ticket to problem management: a new problem with the ticket's
        details (or the problem it is linked to already), opened in a form."""
        self.ensure_one()
        problem = self.itss_problem_id
        if not problem:
            parts = [self.description or ""]
            if not is_html_empty(self.itss_solution):
                parts.append(
                    Markup("<p><strong>%s</strong></p>")
                    % self.env._("Solution of the incident:")
                )
                parts.append(self.itss_solution)
            problem = self.env["itss.problem"].create(
                {
                    "name": self.name,
                    "description": Markup("").join(Markup(p) for p in parts),
                    "company_id": self.company_id.id,
                    "priority": self.itss_priority,
                    "category_id": self.category_id.id,
                    "user_id": self.team_id.itss_incident_manager_id.id or self.env.uid,
                }
            )
            self.itss_problem_id = problem
            self.message_post(
                body=self.env._(
                    "Sent to problem management: %(problem)s",
                    problem=problem.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.problem",
            "res_id": problem.id,
            "view_mode": "form",
        }

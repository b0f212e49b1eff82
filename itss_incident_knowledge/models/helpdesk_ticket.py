from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    itss_knowledge_page_id = fields.Many2one(
        "document.page",
        string="Knowledge Article",
        copy=False,
        tracking=True,
        help="The knowledge base article published from this ticket's solution.",
    )
    itss_suggested_page_ids = fields.Many2many(
        "document.page",
        string="Suggested Articles",
        compute="_compute_itss_suggested_page_ids",
        help="Knowledge articles of the ticket's category.",
    )

    @api.depends("category_id")
    def _compute_itss_suggested_page_ids(self):
        pages = self.env["document.page"].search(
            [
                ("itss_category_id", "in", self.category_id.ids),
                ("type", "=", "content"),
            ],
            order="write_date desc",
        )
        for ticket in self:
            ticket.itss_suggested_page_ids = pages.filtered(
                lambda p, t=ticket: p.itss_category_id == t.category_id
            )[:10]

    def _itss_get_post_close_fields(self):
        return super()._itss_get_post_close_fields() | {"itss_knowledge_page_id"}

    def action_itss_publish_solution(self):
        """Publish the solution to the knowledge base as an article of the ticket's
        category, linked to the ticket; opens it."""
        self.ensure_one()
        if self.itss_state not in ("resolved", "closed"):
            raise UserError(
                self.env._("Only a resolved ticket's solution is published.")
            )
        if is_html_empty(self.itss_solution):
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s has no solution to publish.", ticket=self.number
                )
            )
        page = self.itss_knowledge_page_id
        if not page:
            content = (
                Markup("<h3>%s</h3>") % self.env._("Symptom")
                + Markup(self.description or "")
                + Markup("<h3>%s</h3>") % self.env._("Solution")
                + Markup(self.itss_solution)
            )
            page = self.env["document.page"].create(
                {
                    "name": self.name,
                    "type": "content",
                    "content": content,
                    "itss_category_id": self.category_id.id,
                    "company_id": self.company_id.id,
                }
            )
            self.itss_knowledge_page_id = page
            self.message_post(
                body=self.env._(
                    "Solution published to the knowledge base: %(page)s", page=page.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "document.page",
            "res_id": page.id,
            "view_mode": "form",
        }

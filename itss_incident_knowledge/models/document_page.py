from odoo import fields, models


class DocumentPage(models.Model):
    _inherit = "document.page"

    itss_category_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Incident Category",
        index="btree_not_null",
        help="Suggested to agents working on tickets of this category.",
    )
    itss_ticket_ids = fields.One2many(
        "helpdesk.ticket", "itss_knowledge_page_id", string="Source Incidents"
    )

from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    itss_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Support Group",
        help="New tickets of this category (or of its sub-categories without a "
        "group of their own) go to this team.",
    )

    def _itss_get_team(self):
        """The support group of this category, or of the nearest parent that has one."""
        self.ensure_one()
        category = self
        while category and not category.itss_team_id:
            category = category.parent_id
        return category.itss_team_id

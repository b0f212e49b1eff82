from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    itss_major_priority = fields.Selection(
        [("1", "P1 only"), ("2", "P1 and P2"), ("0", "None")],
        string="Major Incident Priority",
        default="2",
        required=True,
        help="Tickets of this priority or higher are major incidents and start the "
        "major incident process.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        matrix = self.env["itss.priority.matrix"]
        for company in companies:
            matrix._itss_copy_to_company(company)
        return companies

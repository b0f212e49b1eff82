from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    itss_vip = fields.Boolean(
        string="VIP Customer",
        help="Tickets of this customer (and of its contacts) get a high urgency by "
        "default.",
    )

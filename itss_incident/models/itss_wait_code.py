from odoo import fields, models

from .. import compat


@compat.sql_constraints
class ItssWaitCode(models.Model):
    """Why a ticket waits (pending): vendor, customer, change, off-site repair..."""

    _name = "itss.wait.code"
    _description = "ITSS Wait Code"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short code used in reports and integrations.",
    )
    description = fields.Text(translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A wait code with this code already exists."),
    ]

from odoo import fields, models

from .. import compat


@compat.sql_constraints
class ItssClosureCode(models.Model):
    """How a ticket ended (resolved, workaround, unsuccessful, duplicate...)."""

    _name = "itss.closure.code"
    _description = "ITSS Closure Code"
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
        (
            "code_unique",
            "UNIQUE(code)",
            "A closure code with this code already exists.",
        ),
    ]

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itss_major_priority = fields.Selection(
        related="company_id.itss_major_priority", readonly=False
    )
    itss_auto_close_days = fields.Integer(
        related="company_id.itss_auto_close_days", readonly=False
    )
    itss_l2_contact_minutes = fields.Integer(
        related="company_id.itss_l2_contact_minutes", readonly=False
    )
    itss_sla_warn_first_pct = fields.Integer(
        related="company_id.itss_sla_warn_first_pct", readonly=False
    )
    itss_sla_warn_second_pct = fields.Integer(
        related="company_id.itss_sla_warn_second_pct", readonly=False
    )
    itss_kpi_fcr_target = fields.Integer(
        related="company_id.itss_kpi_fcr_target", readonly=False
    )
    itss_kpi_ontime_target = fields.Integer(
        related="company_id.itss_kpi_ontime_target", readonly=False
    )
    itss_default_team_id = fields.Many2one(
        related="company_id.itss_default_team_id", readonly=False
    )
    itss_alert_quiet_minutes = fields.Integer(
        related="company_id.itss_alert_quiet_minutes", readonly=False
    )
    itss_notify_customer_logged = fields.Boolean(
        related="company_id.itss_notify_customer_logged", readonly=False
    )
    itss_notify_customer_dispatched = fields.Boolean(
        related="company_id.itss_notify_customer_dispatched", readonly=False
    )
    itss_notify_customer_pending = fields.Boolean(
        related="company_id.itss_notify_customer_pending", readonly=False
    )
    itss_notify_customer_resolved = fields.Boolean(
        related="company_id.itss_notify_customer_resolved", readonly=False
    )
    itss_notify_customer_closed = fields.Boolean(
        related="company_id.itss_notify_customer_closed", readonly=False
    )
    itss_notify_customer_sms = fields.Boolean(
        related="company_id.itss_notify_customer_sms", readonly=False
    )
    itss_desk_check_hours = fields.Integer(
        related="company_id.itss_desk_check_hours", readonly=False
    )

from odoo import api, fields, models


class ItssServiceContract(models.Model):
    """A contract's service reports: who gets them, how often, and the reports
    generated for its project manager to review."""

    _inherit = "itss.service.contract"

    report_subscription_ids = fields.One2many(
        "itss.service.report.subscription",
        "contract_id",
        string="Service Report Subscriptions",
        groups="itss_incident.group_itss_service_desk",
    )
    report_issue_ids = fields.One2many(
        "itss.service.report.issue", "contract_id", string="Service Reports"
    )
    report_issue_count = fields.Integer(
        string="Reports", compute="_compute_report_issue_count"
    )

    @api.depends("report_issue_ids")
    @api.depends_context("uid")
    def _compute_report_issue_count(self):
        # the reports the user may read
        groups = dict(
            self.env["itss.service.report.issue"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.report_issue_count = groups.get(contract, 0)

    def action_itss_report_issues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itss_incident.itss_service_report_issue_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {}
        return action

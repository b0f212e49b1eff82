from odoo import api, models


class ReportItssFollowupRegister(models.AbstractModel):
    """The printable follow-up register (回访服务登记表) of the visits selected."""

    _name = "report.itss_incident.report_itss_followup_register"
    _description = "ITSS Follow-up Register"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["itss.followup.visit"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "itss.followup.visit",
            "docs": docs,
            "figures": docs._itss_report_figures([("id", "in", docs.ids)]),
        }

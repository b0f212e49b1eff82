from odoo import api, models


class ReportItssService(models.AbstractModel):
    _name = "report.itss_incident.report_itss_service"
    _description = "ITSS Service Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizard = self.env["itss.service.report"].browse(docids)[:1]
        values = wizard.with_context(lang=wizard.lang)._itss_data()
        values["docs"] = wizard
        return values

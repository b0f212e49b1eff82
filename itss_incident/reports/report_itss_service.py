from odoo import api, models

# The parameters of ``itss.service.report.data._itss_values`` a report may be given.
PARAMS = (
    "date_from",
    "date_to",
    "company_id",
    "partner_id",
    "period",
    "domain",
    "lang",
)


class ReportItssService(models.AbstractModel):
    _name = "report.itss_incident.report_itss_service"
    _description = "ITSS Service Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The figures of the report that ``data["itss_params"]`` describes (plain
        values, as the monthly sending gives them), else of the wizard ``docids``."""
        wizard = self.env["itss.service.report"].browse(docids)[:1]
        params = (data or {}).get("itss_params") or wizard._itss_report_params()
        params = {key: params[key] for key in PARAMS if key in params}
        lang = params.get("lang") or self.env.lang
        values = (
            self.env["itss.service.report.data"]
            .with_context(lang=lang)
            ._itss_values(**params)
        )
        # the company (header, footer) in the language of who prints, as the wizard had
        # it
        values["company"] = values["company"].with_env(self.env)
        values.update(
            doc_ids=wizard.ids, doc_model=wizard._name, docs=wizard, report_lang=lang
        )
        return values

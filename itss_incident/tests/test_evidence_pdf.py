"""The engineer service order and the audit sample rendered for real (wkhtmltopdf with
patched Qt): A4 portrait, in English and in Simplified Chinese."""

import io
import tempfile
import zipfile
from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .test_evidence import EvidenceCase
from .test_report_pdf import poppler

# A4 portrait in PostScript points
A4 = (595, 842)


@tagged("post_install", "-at_install")
class TestEvidencePdf(EvidenceCase, HttpCase):
    """HttpCase: wkhtmltopdf loads the report's style sheets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"].with_context(active_test=False)
        if not Lang.search([("code", "=", "zh_CN"), ("active", "=", True)]):
            Lang._activate_lang("zh_CN")
        cls.audit_customer.name = "上海测试客户有限公司"
        cls.tickets = cls.env["helpdesk.ticket"]
        for day in (3, 4, 5):
            cls.tickets |= cls._flow(
                f"2026-11-{day:02d} 02:00", f"Test PDF audit {day}"
            )

    def _text(self, pdf):
        """Text (pdftotext) and the size of each page in points."""
        sizes = [
            tuple(round(float(v)) for v in page.mediabox[2:])
            for page in PdfFileReader(io.BytesIO(pdf)).pages
        ]
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return (
                poppler("pdftotext", file.name, "-"),
                sizes,
                poppler("pdffonts", file.name),
            )

    def _work_order(self, lang):
        self.engineer.lang = lang
        report = self.env.ref("itss_incident.action_report_itss_work_order")
        with self.assertNoLogs("odoo.addons.base.models.ir_actions_report", "WARNING"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.engineer)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, self.tickets[:1].ids)
            )
        self.assertEqual(kind, "pdf")
        text, sizes, fonts = self._text(pdf)
        self.assertEqual(sizes, [A4], "one page, A4 portrait")
        self.assertIn(self.tickets[0].number, text)
        self.assertIn("上海测试客户有限公司", text)
        self.assertIn("replaced the line card", text)
        return text, fonts

    def test_work_order_english(self):
        text, _fonts = self._work_order("en_US")
        self.assertIn("Engineer Service Order", text)
        self.assertIn("Customer's signature", text)

    def test_work_order_chinese(self):
        _text, fonts = self._work_order("zh_CN")
        self.assertIn("CID TrueType", fonts, "the Chinese font is embedded")

    def test_audit_sample_holds_three_pdfs(self):
        export = (
            self.env["itss.audit.sample.export"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            .create(
                {
                    "date_from": date(2026, 11, 1),
                    "date_to": date(2026, 11, 30),
                    "partner_id": self.audit_customer.id,
                    "sample_size": 3,
                    "seed": 7,
                }
            )
        )
        export.action_export()
        archive = zipfile.ZipFile(io.BytesIO(export.file))
        self.assertEqual(
            sorted(archive.namelist()),
            sorted([f"{t.number}.pdf" for t in self.tickets] + ["sample.txt"]),
        )
        for ticket in self.tickets:
            pdf = archive.read(f"{ticket.number}.pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
            text, sizes, _fonts = self._text(pdf)
            self.assertEqual(set(sizes), {A4})
            for term in (
                "Audit Record",
                ticket.number,
                "Timeline",
                "Dispatched",
                "Notifications",
                "Queued",
                self.wait_code.name,
                "replaced the line card",
                "Customer thanks the engineer",
            ):
                self.assertIn(term, text, f"{ticket.number}: {term}")

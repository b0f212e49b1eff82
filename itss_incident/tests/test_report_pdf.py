"""The service report as a customer gets it: a real PDF from wkhtmltopdf (patched Qt),
with the company's header (JPEG logo, name) and footer (text, page numbers), in English
and in Simplified Chinese, and no table row cut across two pages."""

import base64
import io
import re
import shutil
import subprocess
import tempfile
from datetime import date

from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.itss_incident import compat

from .common import ItssCase

# Enough categories, with names over three lines, for the breakdown table to run over
# page breaks.
CATEGORIES = 30
LONG = " ".join(["lengthy"] * 40)
COMPANY = "Test PDF Services Ltd"
FOOTER = "Service desk hotline +86 21 5555 0100"
CUSTOMER = "上海测试客户有限公司"


def poppler(tool, *args):
    """Output of a poppler-utils tool (Debian package in bin/lib/platform.sh)."""
    path = shutil.which(tool)
    assert path, f"{tool} (poppler-utils) is missing: bin/test installs it"
    return subprocess.run(
        [path, *args], check=True, capture_output=True, timeout=60
    ).stdout.decode()


@tagged("post_install", "-at_install")
class TestReportPdf(ItssCase, HttpCase):
    """HttpCase: wkhtmltopdf loads the report's style sheets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"].with_context(active_test=False)
        if not Lang.search([("code", "=", "zh_CN"), ("active", "=", True)]):
            Lang._activate_lang("zh_CN")
            cls.env["ir.module.module"].search(
                [("name", "in", ("base", "web", "itss_incident"))]
            )._update_translations(["zh_CN"])
        logo = io.BytesIO()
        Image.new("RGB", (240, 80), (200, 30, 40)).save(logo, format="JPEG")
        cls.logo = logo.getvalue()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": COMPANY,
                "logo": base64.b64encode(cls.logo),
                "report_footer": FOOTER,
                "company_details": False,
                "external_report_layout_id": cls.env.ref(
                    "web.external_layout_standard"
                ).id,
            }
        )
        cls.report_customer = cls.env["res.partner"].create(
            {"name": CUSTOMER, "is_company": True}
        )
        Category = cls.env["helpdesk.ticket.category"]
        tickets = cls.env["helpdesk.ticket"]
        for n in range(CATEGORIES):
            category = Category.create({"name": cls._category_name(n)})
            tickets |= cls._ticket(
                "resolved" if n % 3 else "in_progress",
                partner_id=cls.report_customer.id,
                category_id=category.id,
                itss_impact="3",
                itss_urgency="3",
            )
        # logged (and resolved) in November 2026
        cls.env.cr.execute(
            """
            UPDATE helpdesk_ticket
               SET itss_logged_date = '2026-11-10 02:00',
                   itss_resolved_date = CASE WHEN itss_resolved_date IS NULL THEN NULL
                                             ELSE timestamp '2026-11-11 02:00' END
             WHERE id IN %s
            """,
            [tuple(tickets.ids)],
        )
        cls.env.invalidate_all()

    @staticmethod
    def _category_name(n):
        return f"Test PDF category {n:02d} {LONG} end{n:02d}"

    def _pdf(self, lang):
        """The service report of November 2026 for the customer, as the incident
        manager prints it, checked for Odoo's warnings (an unpatched wkhtmltopdf says
        "unpatched qt" and loses the header and footer)."""
        wizard = (
            self.env["itss.service.report"]
            .with_user(self.manager)
            .create(
                {
                    "period": "month",
                    "date_from": date(2026, 11, 1),
                    "date_to": date(2026, 11, 30),
                    "partner_id": self.report_customer.id,
                    "lang": lang,
                }
            )
        )
        report = self.env.ref("itss_incident.action_report_itss_service")
        with self.assertNoLogs("odoo.addons.base.models.ir_actions_report", "WARNING"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.manager)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, wizard.ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _pages(self, pdf):
        """Text of each page (pdftotext, reading order)."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            count = len(PdfFileReader(io.BytesIO(pdf)).pages)
            return (
                [
                    poppler("pdftotext", "-f", str(n), "-l", str(n), file.name, "-")
                    for n in range(1, count + 1)
                ],
                poppler("pdfimages", "-list", file.name),
                poppler("pdffonts", file.name),
            )

    def _check_layout(self, pages, images, page_label):
        self.assertGreaterEqual(len(pages), 2, "the report should run over two pages")
        for number, text in enumerate(pages, start=1):
            # header and footer on every page
            self.assertIn(COMPANY, text, f"header on page {number}")
            self.assertIn(FOOTER, text, f"footer on page {number}")
            self.assertIn(f"{page_label} {number} / {len(pages)}", text)
        # the JPEG logo (240 x 80) in the header of every page
        logos = [
            line for line in images.splitlines() if re.search(r"\b240\s+80\b", line)
        ]
        self.assertEqual(len(logos), len(pages), images)
        # no table row cut across pages: each category's row, five lines high, starts
        # and ends on one page
        for n in range(CATEGORIES):
            first = [i for i, text in enumerate(pages) if f"category {n:02d}" in text]
            end = re.compile(rf"\bend{n:02d}\b")
            last = [i for i, text in enumerate(pages) if end.search(text)]
            self.assertEqual(len(first), 1, f"row {n:02d}")
            self.assertEqual(first, last, f"row {n:02d} cut across pages")

    def _check_width(self, pdf, target):
        """Every page is A4 portrait (595 x 842 pt) and every word printed lies
        within its width; the key figures' last column (``target``, its heading) is
        printed on the first page, inside the page. pdftotext -bbox gives the page
        boxes and the position of each word as printed (a column cut off at the
        right edge is either lost or lies beyond the page's width)."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            layout = poppler("pdftotext", "-bbox", file.name, "-")
        pages = re.findall(
            r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.S
        )
        self.assertTrue(pages)
        for number, (width, height, words) in enumerate(pages, start=1):
            width, height = float(width), float(height)
            self.assertAlmostEqual(width, 595.3, delta=1.5, msg=f"A4 width {number}")
            self.assertAlmostEqual(height, 841.9, delta=1.5, msg=f"A4 height {number}")
            for x_min, x_max, word in re.findall(
                r'<word xMin="([\d.-]+)" yMin="[\d.-]+" xMax="([\d.-]+)" '
                r'yMax="[\d.-]+">([^<]*)</word>',
                words,
            ):
                self.assertGreaterEqual(float(x_min), 0.0, word)
                self.assertLessEqual(float(x_max), width, f"{word} on page {number}")
        first = re.findall(r">([^<]*)</word>", pages[0][2])
        self.assertIn(target, first, "the target column is printed")

    def test_wkhtmltopdf_has_patched_qt(self):
        version = subprocess.run(
            [compat.wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout.decode()
        self.assertIn("with patched qt", version)

    def test_pdf_english(self):
        pdf = self._pdf("en_US")
        pages, images, _fonts = self._pages(pdf)
        self._check_layout(pages, images, "Page")
        self._check_width(pdf, "Target")
        self.assertIn("Service Report", pages[0])
        self.assertIn(CUSTOMER, pages[0])
        self.assertIn("Tickets logged per week", "\n".join(pages))

    def test_pdf_chinese(self):
        pdf = self._pdf("zh_CN")
        pages, images, fonts = self._pages(pdf)
        self._check_layout(pages, images, "页:")
        self._check_width(pdf, "目标")
        text = "\n".join(pages)
        # as a customer copies or searches it (not as look-alike Kangxi radicals)
        for term in ("服务报告", CUSTOMER, "每周登记事件单数", "按分类", "趋势"):
            self.assertIn(term, text)
        # the period in the language's date format (Odoo 18: 2026年11月01日, Odoo
        # 19: 2026/11/01) and the month in the locale's form
        lang = self.env["res.lang"]._lang_get("zh_CN")
        self.assertIn(date(2026, 11, 1).strftime(lang.date_format), text)
        self.assertIn("2026年11月", text)
        self.assertIn("CID TrueType", fonts, "the Chinese font is embedded")

"""The follow-up register printed for real (wkhtmltopdf): one A4 landscape page with
the visits' rows."""

import io
import shutil
import subprocess
import tempfile

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import ItssCase


@tagged("post_install", "-at_install")
class TestFollowupRegisterPdf(ItssCase, HttpCase):
    """HttpCase: wkhtmltopdf loads the report's style sheets from the test server."""

    def test_register_pdf_is_a4_landscape(self):
        self.team_l1.user_id = self.agent
        tickets = self.env["helpdesk.ticket"]
        notes = {"satisfied": "Fine", "not_satisfied": "Slow", "unreachable": "Away"}
        for result, note in notes.items():
            ticket = self._ticket("resolved", itss_satisfaction="4")
            ticket.itss_owner_id = self.agent
            ticket.with_user(self.agent).action_itss_close()
            ticket.with_user(self.agent).action_itss_record_followup(
                result, note=f"Note {note}"
            )
            tickets |= ticket
        visits = tickets.itss_followup_visit_ids
        with self.assertNoLogs("odoo.addons.base.models.ir_actions_report", "WARNING"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.agent)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    "itss_incident.action_report_itss_followup_register", visits.ids
                )
            )
        self.assertEqual(kind, "pdf")
        pages = PdfFileReader(io.BytesIO(pdf)).pages
        self.assertEqual(len(pages), 1)
        box = pages[0].mediabox
        width, height = float(box.width), float(box.height)
        # A4 landscape: 297 x 210 mm (842 x 595 pt)
        self.assertAlmostEqual(width, 842, delta=3)
        self.assertAlmostEqual(height, 595, delta=3)
        tool = shutil.which("pdftotext")
        self.assertTrue(tool, "pdftotext (poppler-utils) is missing")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                [tool, "-layout", file.name, "-"],
                check=True,
                capture_output=True,
                timeout=60,
            ).stdout.decode()
        self.assertIn("Follow-up Service Register", text)
        for ticket in tickets:
            self.assertIn(ticket.number, text)
        # the last column is on the page
        for note in notes.values():
            self.assertIn(f"Note {note}", text)

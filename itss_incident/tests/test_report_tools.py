"""The service report's plain functions (forecast, charts, workbook): importable
without the ORM and correct at their edges."""

import io

from openpyxl import load_workbook

from odoo.tests import TransactionCase

from odoo.addons.itss_incident.tools.report_charts import svg_bars
from odoo.addons.itss_incident.tools.report_forecast import linear_forecast
from odoo.addons.itss_incident.tools.report_xlsx import service_report_xlsx


class TestReportTools(TransactionCase):
    def test_forecast_of_short_series(self):
        self.assertEqual(linear_forecast([]), 0, "nothing to go on")
        self.assertEqual(linear_forecast([7]), 7, "one period forecasts itself")
        self.assertEqual(linear_forecast([2, 4]), 6)
        self.assertEqual(linear_forecast([3, 3, 3]), 3)
        self.assertEqual(linear_forecast([9, 1]), 0, "never below zero")

    def test_chart_of_no_items(self):
        svg = svg_bars([], "Tickets <per> week & more")
        self.assertTrue(svg.startswith("<svg"))
        self.assertTrue(svg.endswith("</svg>"))
        self.assertIn(
            "Tickets &lt;per&gt; week &amp; more", svg, "the title is escaped"
        )
        self.assertNotIn("<rect", svg)
        self.assertNotIn("stroke-dasharray", svg, "no target, no target line")
        with_target = svg_bars([], "On time", target=95)
        self.assertIn("stroke-dasharray", with_target)

    def test_chart_bars_and_long_labels(self):
        svg = svg_bars([("P1 <critical>", 2), ("05/05/2026 - 06/04/2026", 0)], "Mix")
        self.assertEqual(svg.count("<rect"), 2)
        self.assertIn("P1 &lt;critical&gt;", svg)
        # a long period label goes on two lines, each cut to 14 characters
        self.assertIn(">05/05/2026<", svg)
        self.assertIn(">06/04/2026<", svg)

    def test_workbook(self):
        period = {"label": "Nov 2026", "logged": 4, "fcr_rate": 66.66666}
        values = {
            "current": period,
            "previous": {"label": "Oct 2026", "logged": 1, "fcr_rate": None},
            "forecast": 2,
            "forecast_method": "Linear trend",
            "breakdowns": {
                "team": [
                    {
                        "label": "L1",
                        "logged": 4,
                        "resolved": 3,
                        "fcr_rate": 200 / 3,
                        "ontime_rate": None,
                    }
                ],
                "priority": [],
            },
        }
        texts = {
            "title": "Service report 2026-11-01 - 2026-11-30",
            "customer": "All customers",
            "summary": "Summary",
            "figure": "Figure",
            "forecast": "Forecast of tickets next period",
            "sections": [
                ("team", "By team"),
                ("priority", "Breakdown by the priority of the ticket"),
            ],
            "columns": (
                ("logged", "Number Logged"),
                ("resolved", "Resolved"),
                ("fcr_rate", "FCR (%)"),
                ("ontime_rate", "On time (%)"),
            ),
            "availability": "Availability (%)",
        }
        labels = [("logged", "Tickets logged"), ("fcr_rate", "FCR")]
        content = service_report_xlsx(values, labels, texts)
        self.assertTrue(content.startswith(b"PK"), "an XLSX is a zip file")
        book = load_workbook(io.BytesIO(content))
        # a sheet name has at most 31 characters
        self.assertEqual(
            book.sheetnames, ["Summary", "By team", "Breakdown by the priority of th"]
        )
        summary = book["Summary"]
        self.assertEqual(summary["A1"].value, texts["title"])
        self.assertEqual(summary["A2"].value, "All customers")
        self.assertEqual(
            [c.value for c in summary[4]], ["Figure", "Nov 2026", "Oct 2026"]
        )
        self.assertEqual([c.value for c in summary[5]], ["Tickets logged", 4, 1])
        self.assertEqual([c.value for c in summary[6]], ["FCR", 66.67, None])
        self.assertEqual(
            [summary["A8"].value, summary["B8"].value], [texts["forecast"], 2]
        )
        self.assertEqual(summary["A9"].value, "Linear trend")
        team = book["By team"]
        self.assertEqual(
            [c.value for c in team[1]],
            ["By team", "Number Logged", "Resolved", "FCR (%)", "On time (%)"],
        )
        self.assertEqual([c.value for c in team[2]], ["L1", 4, 3, 66.67, None])
        self.assertEqual(book.worksheets[2].max_row, 1, "no rows: the headings only")

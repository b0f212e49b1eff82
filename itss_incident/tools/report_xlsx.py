"""The service report as an XLSX workbook. Plain Python, no ORM: the caller gives the
figures and every word already translated."""

import io

import xlsxwriter


def _rate(value):
    return round(value, 2) if value is not None else ""


def service_report_xlsx(values, labels, texts):
    """The workbook (bytes): a summary sheet, then a sheet per breakdown.

    ``values``: the figures of the report (``current`` and ``previous`` period, each
    with its ``label``; ``forecast``, ``forecast_method``; ``breakdowns`` by key, rows
    with ``label`` and the figures of ``itss_kpis``, configuration items' rows with
    their ``availability``).
    ``labels``: [(figure key, label)] in report order.
    ``texts``: ``title``, ``customer``, ``summary`` (sheet name), ``figure``,
    ``forecast`` (headings), ``sections`` ([(breakdown key, title)]), ``columns``
    ([(figure key, heading)] after a breakdown's title) and ``availability`` (the
    heading of the configuration items' availability).
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(texts["summary"])
    sheet.write(0, 0, texts["title"], bold)
    sheet.write(1, 0, texts["customer"])
    row = 3
    sheet.write(row, 0, texts["figure"], bold)
    sheet.write(row, 1, values["current"]["label"], bold)
    sheet.write(row, 2, values["previous"]["label"], bold)
    for key, label in labels:
        row += 1
        sheet.write(row, 0, label)
        for col, period in ((1, values["current"]), (2, values["previous"])):
            value = period[key]
            sheet.write(
                row, col, round(value, 2) if isinstance(value, float) else value
            )
    row += 2
    sheet.write(row, 0, texts["forecast"], bold)
    sheet.write(row, 1, values["forecast"])
    sheet.write(row + 1, 0, values["forecast_method"])
    for name, title in texts["sections"]:
        ws = book.add_worksheet(title[:31])
        columns = list(texts["columns"])
        if name == "ci":
            columns.append(("availability", texts["availability"]))
        for col, head in enumerate((title, *(head for _key, head in columns))):
            ws.write(0, col, head, bold)
        for r, line in enumerate(values["breakdowns"][name], start=1):
            ws.write(r, 0, str(line["label"]))
            for col, (key, _head) in enumerate(columns, start=1):
                value = line.get(key)
                ws.write(r, col, _rate(value) if isinstance(value, float) else value)
    book.close()
    return buffer.getvalue()

"""Bar charts of the service report as inline SVG, drawn on the server (no JavaScript,
so that wkhtmltopdf prints them). Plain Python, no ORM: the caller gives the title
already translated."""

from markupsafe import Markup


def svg_bars(items, title, target=None):
    """A bar chart of ``items`` ([(label, value)]) titled ``title``, with an optional
    dashed ``target`` line, as ``Markup`` (labels and title are escaped)."""
    width, height, left, bottom = 520, 180, 36, 40
    top = 24
    values = [value for _label, value in items] or [0]
    peak = max(max(values), target or 0, 1)
    slot = (width - left - 10) / max(len(items), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
        f'<text x="{left}" y="14" font-size="12" font-weight="bold">'
        f"{Markup.escape(title)}</text>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
        f'y2="{height - bottom}" stroke="#888"/>',
    ]
    usable = height - bottom - top
    for index, (label, value) in enumerate(items):
        bar = usable * value / peak
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="#4c78a8"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" '
            f'text-anchor="middle">{value}</text>'
        )
        # a label too long for one line ("05/05/2026 - 06/04/2026") goes on two;
        # cut before escaping, so that no entity is cut in half
        lines = str(label).split(" - ", 1) if len(str(label)) > 14 else [str(label)]
        for row, line in enumerate(lines):
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" '
                f'y="{height - bottom + 14 + 12 * row}" '
                f'text-anchor="middle">{Markup.escape(line[:14])}</text>'
            )
    if target is not None:
        y = height - bottom - usable * target / peak
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
            f'stroke="#d62728" stroke-dasharray="4 3"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

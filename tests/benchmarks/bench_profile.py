"""Where the SQL queries of a benchmarked operation go (used by bench_itss.py).

``QueryProfile`` records, through Odoo's own per-thread query hooks
(``threading.current_thread().query_hooks``, called by ``odoo.sql_db.Cursor.execute``
after each statement), every statement run inside a ``with`` block, and groups them
three ways:

- by statement and table (``SELECT helpdesk_ticket``, ``INSERT mail_message``...);
- by origin: the innermost frame of an addon (Odoo's, OCA's or ours) on the stack
  when the statement ran, as ``module/file.py:function`` (the ORM's own frames, in
  odoo/models.py, odoo/fields.py..., are skipped: their caller is the origin; a
  statement with no addon frame, such as a flush called by the bench, is named by
  the innermost ORM frame);
- by ITSS origin: the innermost frame of this repository's addons, i.e. which of our
  lines caused the statement, even when mail or helpdesk_mgmt ran it.

The profiled runs are separate from the timed ones (walking the stack costs time).
"""

import os
import re
import sys
import threading
from collections import Counter

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# frames below the ORM's own (the cursor, the query helpers): never an origin
PLUMBING = (
    "/odoo/sql_db.py",
    "/odoo/api.py",
    "/odoo/tools/sql.py",
    "/odoo/tools/query.py",
)
STATEMENT = re.compile(
    r"^\s*(?:(INSERT)\s+INTO\s+\"?(\w+)|(UPDATE)\s+\"?(\w+)|(DELETE)\s+FROM\s+\"?(\w+)"
    r"|(\w+))",
    re.IGNORECASE,
)
COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
TOKEN = re.compile(r"[()]|'(?:[^']|'')*'|\bFROM\s+\"?(\w+)", re.IGNORECASE)


def _main_from(query):
    """The first table after a FROM outside parentheses (the main query's)."""
    depth = 0
    for match in TOKEN.finditer(query):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif match.group(1) and depth == 0:
            return match.group(1)
    return None


def statement_of(query):
    """``VERB table`` of a SQL statement (``SAVEPOINT``, ``SELECT`` without FROM...)."""
    if isinstance(query, bytes):
        query = query.decode(errors="replace")
    query = COMMENT.sub(" ", query)
    match = STATEMENT.match(query)
    if not match:
        return "?"
    groups = [g for g in match.groups() if g]
    verb = groups[0].upper()
    if verb in ("SELECT", "WITH"):
        table = _main_from(query)
        return f"SELECT {table}" if table else "SELECT"
    return f"{verb} {groups[1]}" if len(groups) > 1 else verb


def _frame_name(frame, module):
    code = frame.f_code
    return f"{module}/{os.path.basename(code.co_filename)}:{code.co_name}"


def origins_of(frame):
    """(origin, ITSS origin) of the statement run under ``frame`` (see the header)."""
    origin = itss = core = None
    while frame is not None and itss is None:
        filename = frame.f_code.co_filename
        module = None
        ours = filename.startswith(REPO_ROOT + os.sep) and os.path.relpath(
            filename, REPO_ROOT
        ).startswith("itss_")
        if ours:
            module = os.path.relpath(filename, REPO_ROOT).split(os.sep, 1)[0]
            itss = _frame_name(frame, module)
        elif "/addons/" in filename:
            module = filename.rsplit("/addons/", 1)[1].split("/", 1)[0]
        elif core is None and "/odoo/" in filename and not filename.endswith(PLUMBING):
            core = f"odoo/{os.path.basename(filename)}:{frame.f_code.co_name}"
        if module and origin is None:
            origin = _frame_name(frame, module)
        frame = frame.f_back
    return origin or f"(ORM) {core}", itss or "(no ITSS frame)"


class QueryProfile:
    """``with QueryProfile() as p: ...``; then ``p.count``, ``p.by_statement``..."""

    def __init__(self):
        self.count = 0
        self.by_statement = Counter()
        self.by_origin = Counter()
        self.by_itss_origin = Counter()

    def _hook(self, cr, query, params, start, delay):
        self.count += 1
        self.by_statement[statement_of(query)] += 1
        origin, itss = origins_of(sys._getframe(2))
        self.by_origin[origin] += 1
        self.by_itss_origin[itss] += 1

    def __enter__(self):
        thread = threading.current_thread()
        self._saved = getattr(thread, "query_hooks", None)
        thread.query_hooks = (*(self._saved or ()), self._hook)
        return self

    def __exit__(self, *exc):
        thread = threading.current_thread()
        if self._saved is None:
            del thread.query_hooks
        else:
            thread.query_hooks = self._saved

    def as_dict(self, per):
        """Counts divided by ``per`` (the operations profiled), largest first."""

        def groups(counter):
            return [
                {"name": name, "queries": round(n / per, 2)}
                for name, n in counter.most_common()
            ]

        return {
            "operations": per,
            "queries_per_operation": round(self.count / per, 2),
            "by_statement": groups(self.by_statement),
            "by_origin": groups(self.by_origin),
            "by_itss_origin": groups(self.by_itss_origin),
        }


def markdown(profiles, top=15):
    """The profiles ({path: as_dict()}) as Markdown, for bench_profile.md."""
    lines = []
    for path, prof in profiles.items():
        lines += [
            f"## {path}",
            "",
            f"{prof['queries_per_operation']:g} queries per operation "
            f"(profiled over {prof['operations']} operations).",
            "",
        ]
        for key, title in (
            ("by_statement", "statement and table"),
            ("by_origin", "origin (innermost addon frame)"),
            ("by_itss_origin", "ITSS origin (innermost frame of our addons)"),
        ):
            rows = prof[key]
            lines += [f"| queries | {title} |", "| ---: | --- |"]
            lines += [f"| {r['queries']:g} | `{r['name']}` |" for r in rows[:top]]
            if len(rows) > top:
                rest = sum(r["queries"] for r in rows[top:])
                lines.append(f"| {rest:.2f} | ({len(rows) - top} more) |")
            lines.append("")
    return "\n".join(lines)

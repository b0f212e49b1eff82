"""The zh_CN translations follow the seeds' glossary (i18n/glossary.csv) and are
complete.

Pure file checks, no database work: every shipped zh_CN.po of the three addons (their
own ``i18n/`` and the ``i18n_extra/`` files holding helpdesk_mgmt's and document_page's
terms).
"""

import csv
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("itss_incident", "itss_incident_major", "itss_incident_knowledge")
GLOSSARY = ROOT / "itss_incident" / "i18n" / "glossary.csv"


def shipped_po_files():
    return sorted(
        path
        for addon in ADDONS
        for folder in ("i18n", "i18n_extra")
        for path in (ROOT / addon / folder).glob("zh_CN.po")
    )


def read_glossary():
    with GLOSSARY.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _term_pattern(english):
    # whole words, case-insensitive, an English plural allowed
    return re.compile(
        r"(?<![\w-])" + re.escape(english) + r"(?:s|es)?(?![\w-])", re.IGNORECASE
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|<[^>]*>")


def glossary_violations(po_paths=None, glossary=None):
    """[(po file, msgid, msgstr, english term, expected Chinese)] not following the
    glossary.

    A msgid equal to a term translates exactly as the glossary says; a msgid containing
    a ``phrase`` term uses its Chinese term somewhere in the translation."""
    glossary = glossary or read_glossary()
    patterns = [(row, _term_pattern(row["english"])) for row in glossary]
    exact = {row["english"]: row["chinese"] for row in glossary}
    violations = []
    for path in po_paths or shipped_po_files():
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            if entry.msgid in exact:
                if entry.msgstr != exact[entry.msgid]:
                    violations.append(
                        (
                            path.name,
                            entry.msgid,
                            entry.msgstr,
                            entry.msgid,
                            exact[entry.msgid],
                        )
                    )
                continue
            for row, pattern in patterns:
                if row["match"] == "phrase" and pattern.search(
                    PLACEHOLDER.sub(" ", entry.msgid)
                ):
                    if row["chinese"] not in entry.msgstr:
                        violations.append(
                            (
                                path.name,
                                entry.msgid,
                                entry.msgstr,
                                row["english"],
                                row["chinese"],
                            )
                        )
    return violations


@tagged("post_install", "-at_install")
class TestZhCnTranslations(TransactionCase):
    def test_glossary_is_well_formed(self):
        rows = read_glossary()
        self.assertGreater(len(rows), 20)
        for row in rows:
            self.assertTrue(
                row["english"] and row["chinese"] and row["seed"] and row["step"], row
            )
            self.assertIn(row["match"], ("exact", "phrase"), row)
        self.assertEqual(
            len({row["english"] for row in rows}), len(rows), "duplicate terms"
        )

    def test_shipped_files(self):
        names = {
            f"{path.parent.parent.name}/{path.parent.name}"
            for path in shipped_po_files()
        }
        self.assertLessEqual(
            {
                "itss_incident/i18n",
                "itss_incident/i18n_extra",
                "itss_incident_major/i18n",
                "itss_incident_knowledge/i18n",
                "itss_incident_knowledge/i18n_extra",
            },
            names,
        )

    def test_po_files_are_complete(self):
        for path in shipped_po_files():
            po = polib.pofile(str(path))
            with self.subTest(po=str(path.relative_to(ROOT))):
                self.assertEqual([e.msgid for e in po.untranslated_entries()], [])
                self.assertEqual([e.msgid for e in po.fuzzy_entries()], [])

    def test_every_glossary_term_is_followed(self):
        violations = glossary_violations()
        self.assertFalse(
            violations,
            "translations not following i18n/glossary.csv:\n"
            + "\n".join(
                f"{f}: {i!r} -> {s!r} ({t} = {c})" for f, i, s, t, c in violations
            ),
        )

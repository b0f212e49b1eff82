"""setup.py packages both addons under odoo.addons with their data files."""

import ast
import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_contains_both_addons(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("*.whl")
    manifest = ast.literal_eval(
        (ROOT / "itss_incident" / "__manifest__.py").read_text()
    )
    assert manifest["version"] in wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    for addon in ("itss_incident", "itss_incident_major", "itss_incident_knowledge"):
        assert f"odoo/addons/{addon}/__manifest__.py" in names
    for path in manifest["data"] + manifest["demo"]:
        assert f"odoo/addons/itss_incident/{path}" in names
    assert "odoo/addons/itss_incident/i18n/zh_CN.po" in names
    assert "odoo/addons/itss_incident/models/helpdesk_ticket.py" in names
    assert not any(name.startswith("odoo/__init__") for name in names)

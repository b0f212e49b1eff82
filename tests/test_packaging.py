"""setup.py packages the addons under odoo.addons, with their data files, for the Odoo
series it is built on: the wheel's version, requirements and classifier name it."""

import ast
import email.parser
import os
import pathlib
import re
import subprocess
import sys
import zipfile

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from odoo import release

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("itss_incident", "itss_incident_major", "itss_incident_knowledge")
SERIES = "{}.{}".format(*release.version_info[:2])


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def _build_wheel(tmp_path, **env):
    out = tmp_path / "dist"
    environ = {k: v for k, v in os.environ.items() if k != "ODOO_VERSION"}
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
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
        env={**environ, **env},
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


def test_manifests_are_series_less():
    for addon in ADDONS:
        assert re.fullmatch(r"\d+\.\d+\.\d+", _manifest(addon)["version"]), addon


def test_wheel_for_the_running_series(tmp_path):
    wheel = _build_wheel(tmp_path)
    manifest = _manifest("itss_incident")
    version = f"{SERIES}.{manifest['version']}"
    assert wheel.name.startswith(f"odoo_addons_itss_incident-{version}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for addon in ADDONS:
        assert f"odoo/addons/{addon}/__manifest__.py" in names
    for path in manifest["data"] + manifest["demo"]:
        assert f"odoo/addons/itss_incident/{path}" in names
    assert "odoo/addons/itss_incident/i18n/zh_CN.po" in names
    assert "odoo/addons/itss_incident/models/helpdesk_ticket.py" in names
    assert not any(name.startswith("odoo/__init__") for name in names)

    metadata = _metadata(wheel)
    assert metadata["Version"] == version
    requires = {
        canonicalize_name(req.name): req.specifier
        for req in map(Requirement, metadata.get_all("Requires-Dist"))
    }
    major = int(SERIES.split(".")[0])
    for name, inside in (
        ("odoo", f"{SERIES}.post20250101"),
        ("odoo-addon-helpdesk-mgmt", f"{SERIES}.9.0.0"),
    ):
        assert requires[name].contains(inside, prereleases=True), name
        for outside in (f"{major - 1}.0.9.0.0", f"{major + 1}.0", f"{major}.1"):
            assert not requires[name].contains(outside, prereleases=True), name
    assert f"Framework :: Odoo :: {SERIES}" in metadata.get_all("Classifier")
    assert SERIES in metadata["Summary"]


def test_series_override_and_bad_series(tmp_path):
    """ODOO_VERSION builds for the other series; anything else stops with a message."""
    other = "19.0" if SERIES == "18.0" else "18.0"
    wheel = _build_wheel(tmp_path, ODOO_VERSION=other)
    assert _metadata(wheel)["Version"].startswith(f"{other}.")
    with pytest.raises(subprocess.CalledProcessError) as failure:
        subprocess.run(
            [sys.executable, str(ROOT / "setup.py"), "--version"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "ODOO_VERSION": "17.0"},
        )
    assert "these addons run on Odoo 18.0 or 19.0" in failure.value.stderr

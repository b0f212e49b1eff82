"""Packages the three addons under the ``odoo.addons`` namespace for one Odoo series.

The series is the one of the Odoo installed in the interpreter that builds: build with
the Python of the Odoo the addons go into, without build isolation (an isolated build
sees no Odoo)::

    .local/venv-19.0/bin/python -m pip wheel --no-deps --no-build-isolation .
    .local/venv-19.0/bin/python -m pip install --no-build-isolation .

``ODOO_VERSION=18.0`` or ``19.0`` in the environment overrides it (for a build where no
Odoo is importable). The manifests carry series-less versions (``x.y.z``; Odoo prefixes
the series it runs); the distribution's version is ``<series>.<itss_incident's
manifest version>``, e.g. ``19.0.1.5.0``. It requires the matching Odoo and OCA
helpdesk_mgmt series; its other Python dependencies come from the manifests'
``external_dependencies``.
"""

import ast
import os
import re

from setuptools import setup

ROOT = os.path.dirname(os.path.abspath(__file__))
ADDONS = ["itss_incident", "itss_incident_major", "itss_incident_knowledge"]
# the lowest OCA helpdesk_mgmt of each series the addons are tested on
HELPDESK_MGMT_MIN = {"18.0": "18.0.1.19", "19.0": "19.0.1.3"}


def odoo_series():
    series = os.environ.get("ODOO_VERSION")
    if not series:
        try:
            import odoo.release
        except ImportError:
            raise SystemExit(
                "setup.py: no Odoo is importable by this interpreter, so the Odoo "
                "series to package for is unknown. Build with the Python of that Odoo "
                "and --no-build-isolation, or set ODOO_VERSION=18.0 or 19.0."
            ) from None
        major, minor = odoo.release.version_info[:2]
        series = f"{major}.{minor}"
    if series not in HELPDESK_MGMT_MIN:
        raise SystemExit(
            f"setup.py: Odoo {series}: these addons run on Odoo "
            f"{' or '.join(HELPDESK_MGMT_MIN)}"
        )
    return series


def read_manifest(addon):
    with open(os.path.join(ROOT, addon, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    if not re.fullmatch(r"\d+\.\d+\.\d+", manifest.get("version", "")):
        raise SystemExit(
            f"setup.py: {addon}'s manifest version {manifest.get('version')!r} is not "
            "series-less x.y.z"
        )
    return manifest


SERIES = odoo_series()
NEXT = f"{SERIES.split('.')[0]}.1dev"  # below the next minor series: 18.0.* < 18.1dev

packages, package_dir, package_data = [], {}, {}
python_deps = set()
for addon in ADDONS:
    python_deps.update(
        read_manifest(addon).get("external_dependencies", {}).get("python", [])
    )
    data = []
    for folder, dirs, files in os.walk(os.path.join(ROOT, addon)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(folder, os.path.join(ROOT, addon))
        if "__init__.py" in files:
            name = f"odoo.addons.{addon}"
            if rel != ".":
                name += "." + rel.replace(os.sep, ".")
            packages.append(name)
            package_dir[name] = os.path.join(addon, rel) if rel != "." else addon
        data += [
            os.path.normpath(os.path.join(rel, f))
            for f in files
            if not f.endswith((".py", ".pyc"))
        ]
    package_data["odoo.addons." + addon] = data

setup(
    name="odoo-addons-itss-incident",
    version=f"{SERIES}.{read_manifest('itss_incident')['version']}",
    description=(
        f"ITSS / ITIL incident management for Odoo {SERIES} on OCA helpdesk_mgmt"
    ),
    long_description=open(os.path.join(ROOT, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3",
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    install_requires=[
        f"odoo>={SERIES}a,<{NEXT}",
        f"odoo-addon-helpdesk_mgmt>={HELPDESK_MGMT_MIN[SERIES]},<{NEXT}",
        *sorted(python_deps),
    ],
    extras_require={
        # the optional bridge itss_incident_knowledge needs OCA document_page
        "knowledge": [f"odoo-addon-document_page>={SERIES},<{NEXT}"],
    },
    zip_safe=False,
    classifiers=[
        "Framework :: Odoo",
        f"Framework :: Odoo :: {SERIES}",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
)

"""Packages both addons under the ``odoo.addons`` namespace (``pip install .``).

The distribution's version is itss_incident's manifest version; each addon keeps its own
version in its manifest. Python dependencies come from the manifests'
``external_dependencies``.
"""

import ast
import os

from setuptools import setup

ROOT = os.path.dirname(os.path.abspath(__file__))
ADDONS = ["itss_incident", "itss_incident_major", "itss_incident_knowledge"]


def read_manifest(addon):
    with open(os.path.join(ROOT, addon, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


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
    version=read_manifest("itss_incident")["version"],
    description="ITSS / ITIL incident management for Odoo 18 on OCA helpdesk_mgmt",
    long_description=open(os.path.join(ROOT, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3",
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    install_requires=[
        "odoo>=18.0a,<18.1dev",
        "odoo-addon-helpdesk_mgmt>=18.0.1.19,<18.1dev",
        *sorted(python_deps),
    ],
    extras_require={
        # the optional bridge itss_incident_knowledge needs OCA document_page
        "knowledge": ["odoo-addon-document_page>=18.0,<18.1dev"],
    },
    zip_safe=False,
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
)

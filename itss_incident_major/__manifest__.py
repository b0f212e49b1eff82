# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITSS Major Incidents",
    "summary": "Major incident process: recovery and communication plans, reviews",
    "version": "18.0.1.2.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "ITSS Incident contributors",
    "website": "https://github.com/itss-incident/itss-incident",
    "depends": ["itss_incident"],
    "data": [
        "security/itss_incident_major_groups.xml",
        "security/ir.model.access.csv",
        "security/itss_major_incident_security.xml",
        "data/itss_major_incident_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_actions_server_data.xml",
        "views/itss_major_incident_views.xml",
        "reports/itss_major_incident_reports.xml",
    ],
    "demo": ["demo/itss_major_incident_demo.xml"],
    "assets": {
        "web.assets_tests": ["itss_incident_major/static/tests/tours/**/*"],
    },
    "installable": True,
}

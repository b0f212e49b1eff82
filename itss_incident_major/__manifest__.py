# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITSS Major Incidents",
    "summary": "Major incident process: recovery and communication plans, reviews",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "ITSS Incident contributors",
    "website": "https://github.com/itss-incident/itss-incident",
    "depends": ["itss_incident"],
    "installable": True,
}

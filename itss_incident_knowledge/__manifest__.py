# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ITSS Incident Knowledge",
    "summary": "Publish incident solutions to the OCA knowledge base, suggest articles",
    "version": "1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "ITSS Incident contributors",
    "website": "https://github.com/itss-incident/itss-incident",
    "depends": ["itss_incident", "document_page"],
    "data": [
        "security/itss_incident_knowledge_groups.xml",
        "views/document_page_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}

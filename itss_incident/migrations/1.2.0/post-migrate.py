from odoo import SUPERUSER_ID, api

# templates whose shipped text changed in 1.2.0 (customer notices, priority labels)
CHANGED_TEMPLATES = (
    "itss_incident.mail_template_itss_notification",
    "itss_incident.mail_template_itss_ticket_logged",
)


def migrate(cr, version):
    """The shipped mail templates that nobody edited take the new text; an edited one
    keeps its text (Reset Template on it takes the new one)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in CHANGED_TEMPLATES:
        template = env.ref(xmlid, raise_if_not_found=False)
        if template and template.write_uid.id == SUPERUSER_ID:
            template.reset_template()

"""The xml ids of the ITSS groups the models check (no model imports: the ticket's
model files are imported in their order of inheritance)."""

DESK_GROUP = "itss_incident.group_itss_service_desk"
MANAGER_GROUP = "itss_incident.group_itss_incident_manager"

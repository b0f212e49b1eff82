from . import itss_incident_report
from . import report_itss_service

from . import itss_incident_report
from . import itss_service_report_data
from . import report_itss_service
from . import itss_incident_report_kpis

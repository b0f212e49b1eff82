from . import itss_emergency_plan
from . import itss_major_incident
from . import itss_recovery_plan
from . import itss_communication
from . import itss_major_meeting
from . import itss_problem
from . import helpdesk_ticket
from . import itss_escalation_log

from . import itss_ticket_close
from . import itss_ticket_followup
from . import itss_ticket_reopen
from . import itss_ticket_reconfirm
from . import itss_service_report

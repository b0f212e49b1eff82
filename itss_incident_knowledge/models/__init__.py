from . import document_page
from . import helpdesk_ticket

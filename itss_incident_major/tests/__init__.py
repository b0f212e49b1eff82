from . import test_major_incident
from . import test_communication_access
from . import test_role_tour_major
from . import test_major_first_use
from . import test_reconfirm_withdrawal

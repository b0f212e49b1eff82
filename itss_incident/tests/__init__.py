from . import test_access_rights
from . import test_category
from . import test_lifecycle
from . import test_priority
from . import test_tours
from . import test_sla
from . import test_escalation
from . import test_cron_concurrency

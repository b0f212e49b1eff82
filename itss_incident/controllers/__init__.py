from . import alert
from . import portal
from . import portal_ci

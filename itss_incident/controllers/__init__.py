from . import alert
from . import portal

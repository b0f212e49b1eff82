from . import test_major_incident

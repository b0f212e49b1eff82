from . import itss_major_declare
from . import itss_major_bcp

from . import itss_major_declare

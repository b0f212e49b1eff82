from .cron_batch import run_locked_batch  # noqa: F401
from .actions import toast  # noqa: F401
from .report_forecast import linear_forecast  # noqa: F401
from .report_charts import svg_bars  # noqa: F401
from .report_xlsx import service_report_xlsx  # noqa: F401

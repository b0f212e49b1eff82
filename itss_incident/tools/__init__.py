from .cron_batch import run_locked_batch  # noqa: F401
from .actions import toast  # noqa: F401

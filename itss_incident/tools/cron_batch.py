"""The batch loop shared by the ITSS scheduled actions (see STYLE.md, section 5)."""

import logging

from .. import compat

_logger = logging.getLogger(__name__)


def run_locked_batch(model, query, batch_size, handle, on_failure=None):
    """Handle the due records of ``model`` that ``query`` selects and locks.

    ``query`` (an ``odoo.tools.SQL``) returns ids, ordered, at most ``batch_size + 1``
    of them, locked ``FOR NO KEY UPDATE SKIP LOCKED`` so that another worker skips
    them. Each record is handled by ``handle(record)`` in a savepoint; a failure is
    logged and given to ``on_failure(record)`` so that the next call can skip it.
    Progress goes to the cron runner, which calls again while something is left.
    """
    env = model.env
    env.flush_all()
    env.cr.execute(query)
    ids = [row[0] for row in env.cr.fetchall()]
    done = 0
    for record in model.browse(ids[:batch_size]):
        try:
            with env.cr.savepoint():
                handle(record)
            done += 1
        except Exception:
            _logger.exception("%s %s: scheduled action failed", model._name, record.id)
            if on_failure:
                on_failure(record)
    compat.cron_progress(env, done, max(len(ids) - batch_size, 0))
    return done

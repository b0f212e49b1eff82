"""The batch loop shared by the ITSS scheduled actions (see STYLE.md, section 5)."""

import logging

from psycopg2.errors import SerializationFailure

from odoo.tools import SQL

from .. import compat

_logger = logging.getLogger(__name__)


def run_locked_batch(model, query, batch_size, handle, on_failure=None):
    """Handle the due records of ``model`` that ``query`` selects.

    ``query`` (an ``odoo.tools.SQL``) returns ids, ordered, at most ``batch_size + 1``
    of them. Each record is locked (``FOR NO KEY UPDATE SKIP LOCKED``) and handled by
    ``handle(record)`` in a savepoint of its own. A record that another transaction
    holds, or that changed since this transaction's snapshot (under REPEATABLE READ
    locking it fails), is left to the next call; locking the whole batch in its
    SELECT would fail the whole run on one such record (bin/bench --load). A failure
    of ``handle`` is logged and given to ``on_failure(record)`` so that the next call
    can skip it. Progress goes to the cron runner, which calls again while something
    is left.
    """
    env = model.env
    env.flush_all()
    env.cr.execute(query)
    ids = [row[0] for row in env.cr.fetchall()]
    done = 0
    for record in model.browse(ids[:batch_size]):
        try:
            with env.cr.savepoint():
                env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(model._table),
                        record.id,
                    )
                )
                if not env.cr.fetchone():
                    continue  # another transaction holds it
                handle(record)
            done += 1
        except SerializationFailure:
            continue  # changed since this transaction's snapshot: the next call
        except Exception:
            _logger.exception("%s %s: scheduled action failed", model._name, record.id)
            if on_failure:
                on_failure(record)
    compat.cron_progress(env, done, max(len(ids) - batch_size, 0))
    return done

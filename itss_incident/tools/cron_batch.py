"""The batch loop shared by the ITSS scheduled actions (see STYLE.md, section 5)."""

import logging
import re

from psycopg2.errors import SerializationFailure

from odoo.tools import SQL

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
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute(query)
            ids = [row[0] for row in env.cr.fetchall()]
    except SerializationFailure:
        # a due record changed since this transaction's snapshot (a request of
        # another worker committed in between): locking it fails the whole SELECT,
        # and the batch's run with it (the runner retries a minute later). Lock the
        # records one by one instead, leaving those that changed to the next call.
        ids = _lock_one_by_one(model, query)
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


_LOCK_CLAUSE = re.compile(
    r"\bFOR\s+NO\s+KEY\s+UPDATE\b(\s+OF\s+\w+)?\s+SKIP\s+LOCKED\b"
)


def _lock_one_by_one(model, query):
    """The ids ``query`` selects, without its lock clause, that this transaction can
    lock now, each in a savepoint: a record another worker holds or that changed
    since the snapshot is left out."""
    env = model.env
    code, count = _LOCK_CLAUSE.subn("", query.code)
    if count != 1:
        raise ValueError(f"{model._name}: the batch's query has no lock clause to lift")
    env.cr.execute(SQL(code, *query.params))
    locked = []
    for (record_id,) in env.cr.fetchall():
        try:
            with env.cr.savepoint(flush=False):
                env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(model._table),
                        record_id,
                    )
                )
                if env.cr.fetchone():
                    locked.append(record_id)
        except SerializationFailure:
            continue
    return locked

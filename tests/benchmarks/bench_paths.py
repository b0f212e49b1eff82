"""The ITSS-only paths of the benchmark (used by bench_itss.py): the escalation cron
over 1k / 10k / 100k open tickets (1 % due, and idle), alert intake (new alerts and
repeats of an open one), and the service report of a month over a million tickets.

Each function measures ``runs`` times (inside savepoints rolled back, on the same
data) and returns ``{(path, size): [(seconds per operation, queries per operation),
...]}``; with ``profiles`` (a dict) it also profiles one more run of each path into it
(see bench_profile.py).
"""

import time
from collections import defaultdict
from datetime import timedelta

from bench_profile import QueryProfile

from odoo import fields


class Meter:
    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.queries = self.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.queries = self.cr.sql_log_count - self.queries


def ticket_vals(team, user, customer, i, kind):
    vals = {
        "name": f"Bench ticket {i}",
        "description": "<p>Something is broken</p>",
        "team_id": team.id,
        "user_id": user.id,
        # a customer without email or mobile: no customer notice on either side
        "partner_id": customer.id,
    }
    if kind == "itss":
        vals.update({"itss_impact": "3", "itss_urgency": "3"})
    return vals


def _copy_columns(cr, excluded):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name <> ALL(%s)",
        [list(excluded)],
    )
    return ", ".join(f'"{row[0]}"' for row in cr.fetchall())


def _escalate_all(env):
    """Runs the escalation cron until it logs nothing more (it works in batches)."""
    Ticket = env["helpdesk.ticket"]
    for _call in range(200):
        before = env["itss.escalation.log"].search_count([])
        Ticket._cron_itss_escalate()
        env.flush_all()
        if env["itss.escalation.log"].search_count([]) == before:
            break


def bench_cron(env, team, user, customer, sizes, runs, profiles=None):
    """Open tickets copied in SQL from a template; 1 % due."""
    cr = env.cr
    Ticket = env["helpdesk.ticket"]
    template = Ticket.create(ticket_vals(team, user, customer, "template", "itss"))
    env.flush_all()
    cols = _copy_columns(cr, ("id", "number"))
    samples = defaultdict(list)
    existing = 0
    for size in sizes:
        cr.execute(
            f"INSERT INTO helpdesk_ticket ({cols}, number) "
            f"SELECT {cols}, 'B' || g FROM helpdesk_ticket, generate_series(%s, %s) g "
            f"WHERE id = %s",
            [existing + 1, size, template.id],
        )
        existing = size
        due = max(size // 100, 1)
        cr.execute("ANALYZE helpdesk_ticket")
        profile_this = profiles is not None and size == sizes[-1]
        for run in range(runs + profile_this):
            env.invalidate_all()
            cr.execute("SAVEPOINT bench_cron")
            # each run sees the same due points: the dates are set from the clock of
            # that run (a run at 100k open takes minutes: later points fall due)
            now = fields.Datetime.now()
            cr.execute(
                "UPDATE helpdesk_ticket SET itss_next_action_date = %s, "
                "itss_logged_date = %s, itss_escalation_checked_date = NULL "
                "WHERE team_id = %s",
                [now + timedelta(days=30), now - timedelta(minutes=2), team.id],
            )
            cr.execute(
                "UPDATE helpdesk_ticket SET itss_next_action_date = %s WHERE id IN "
                "(SELECT id FROM helpdesk_ticket WHERE team_id = %s ORDER BY id "
                "LIMIT %s)",
                [now - timedelta(minutes=1), team.id, due],
            )
            # the statistics autovacuum keeps in a live database: without them the
            # planner takes every open ticket for due and filters them all
            cr.execute("ANALYZE helpdesk_ticket")
            env.invalidate_all()
            if run == runs:
                with QueryProfile() as prof:
                    _escalate_all(env)
                profiles[f"itss: escalation cron, per due ticket at {size} open"] = (
                    prof.as_dict(due)
                )
            else:
                with Meter(cr) as busy:
                    _escalate_all(env)
                samples[("cron_due", size)].append(
                    (busy.seconds / due, busy.queries / due)
                )
            cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
        env.invalidate_all()
        # nothing due: everything pushed to the future
        cr.execute("SAVEPOINT bench_idle")
        now = fields.Datetime.now()
        cr.execute(
            "UPDATE helpdesk_ticket SET itss_next_action_date = %s WHERE team_id = %s",
            [now + timedelta(days=30), team.id],
        )
        cr.execute("ANALYZE helpdesk_ticket")
        for run in range(runs + profile_this):
            env.invalidate_all()
            if run == runs:
                with QueryProfile() as prof:
                    Ticket._cron_itss_escalate()
                    env.flush_all()
                profiles[f"itss: idle escalation cron at {size} open"] = prof.as_dict(1)
            else:
                with Meter(cr) as idle:
                    Ticket._cron_itss_escalate()
                    env.flush_all()
                samples[("cron_idle", size)].append((idle.seconds, idle.queries))
        cr.execute("ROLLBACK TO SAVEPOINT bench_idle")
        env.invalidate_all()
    return samples


def _alert_payload(fingerprint):
    return {
        "version": "4",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {
                    "alertname": "Bench",
                    "instance": fingerprint,
                    "severity": "warning",
                    **{f"label{i}": str(i) for i in range(20)},
                },
                "annotations": {"summary": "bench"},
                "startsAt": "2026-11-20T08:00:00Z",
                "fingerprint": fingerprint,
            }
        ],
    }


def bench_alerts(env, team, runs, profiles=None, n=200):
    """Alert intake through the model (the endpoint's work after the token check):
    new alerts, and repeats of an open one."""
    cr = env.cr
    source = env["itss.alert.source"].create(
        {"name": "Bench alerts", "team_id": team.id}
    )
    env.flush_all()

    def ingest(fingerprint):
        source._itss_ingest(source._itss_parse(_alert_payload(fingerprint)))
        env.flush_all()

    samples = defaultdict(list)
    for run in range(runs + (profiles is not None)):
        env.invalidate_all()
        cr.execute("SAVEPOINT bench_alerts")
        if run == runs:
            count = 20
            with QueryProfile() as new:
                for i in range(count):
                    ingest(f"new-{i}")
            with QueryProfile() as dedup:
                for _i in range(count):
                    ingest("new-0")
            profiles["itss: new alert (a ticket each)"] = new.as_dict(count)
            profiles["itss: repeat of an open alert"] = dedup.as_dict(count)
        else:
            with Meter(cr) as new:
                for i in range(n):
                    ingest(f"new-{i}")
            with Meter(cr) as dedup:
                for _i in range(n):
                    ingest("new-0")
            samples[("alert_new", 1)].append((new.seconds / n, new.queries / n))
            samples[("alert_repeat", 1)].append((dedup.seconds / n, dedup.queries / n))
        cr.execute("ROLLBACK TO SAVEPOINT bench_alerts")
    env.invalidate_all()
    return samples


def bench_report(env, team, user, customer, rows, runs, profiles=None):
    """The service report of a month over ``rows`` tickets spread over two years.
    Returns (samples, facts)."""
    cr = env.cr
    Ticket = env["helpdesk.ticket"]
    template = Ticket.create(
        ticket_vals(team, user, customer, "report template", "itss")
    )
    env.flush_all()
    cols = _copy_columns(
        cr,
        (
            "id",
            "number",
            "itss_logged_date",
            "itss_resolved_date",
            "itss_first_response_date",
            "itss_escalation_count",
            "itss_resolve_breached",
        ),
    )
    start = time.perf_counter()
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket ({cols}, number,
                                     itss_logged_date, itss_resolved_date,
                                     itss_first_response_date, itss_escalation_count,
                                     itss_resolve_breached)
        SELECT {cols}, 'R' || g,
               TIMESTAMP '2025-01-01' + (g %% 730) * INTERVAL '1 day'
                   + (g %% 600) * INTERVAL '1 minute',
               CASE WHEN g %% 10 < 9
                    THEN TIMESTAMP '2025-01-01' + (g %% 730) * INTERVAL '1 day'
                         + INTERVAL '5 hours' END,
               TIMESTAMP '2025-01-01' + (g %% 730) * INTERVAL '1 day'
                   + INTERVAL '20 minutes',
               (g %% 7 = 0)::int, (g %% 20 = 0)
          FROM helpdesk_ticket, generate_series(1, %s) g WHERE id = %s
        """,
        [rows, template.id],
    )
    cr.execute("ANALYZE helpdesk_ticket")
    generated = time.perf_counter() - start
    wizard = env["itss.service.report"].create({"period": "month", "lang": "en_US"})
    wizard.write({"date_from": "2026-11-01", "date_to": "2026-11-30"})
    report = env.ref("itss_incident.action_report_itss_service")
    Report = env["ir.actions.report"]
    samples = defaultdict(list)
    html = b""
    for run in range(runs + (profiles is not None)):
        env.invalidate_all()
        if run == runs:
            with QueryProfile() as prof:
                Report._render_qweb_html(report, wizard.ids)
            profiles[f"itss: service report of a month over {rows} tickets"] = (
                prof.as_dict(1)
            )
        else:
            with Meter(cr) as m:
                html, _kind = Report._render_qweb_html(report, wizard.ids)
            samples[("report_month", rows)].append((m.seconds, m.queries))
    return samples, {"generated_s": generated, "html_kb": len(html) / 1024}

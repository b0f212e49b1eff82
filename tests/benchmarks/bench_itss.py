"""Benchmark: ITSS incident management against plain helpdesk_mgmt, in one run.

Run it through ``bin/bench`` (it builds the databases). Prints, for each database:
ticket creation (batch 1 and 100: tickets per second, SQL queries per ticket), a stage
change, the list view of 80 tickets (and of 20, to show the query count does not
depend on the rows), and, for ITSS, the escalation cron with 1k / 10k / 100k open
tickets of which 1 % are due. Figures are wall-clock on this machine: compare the
two columns of one run, not runs on different machines.

    python3 tests/benchmarks/bench_itss.py ODOO_CONF PLAIN_DB ITSS_DB
        [--sizes 1000,10000,100000] [--report-rows 1000000]
"""

import argparse
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import config

from odoo.addons.itss_incident import compat


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


def setup_team(env, itss):
    users = env["res.users"].create(
        [
            {
                "login": f"bench_{role}",
                "name": f"Bench {role}",
                "email": f"{role}@example.com",
            }
            for role in ("agent", "pm", "director", "leader")
        ]
    )
    for user in users:
        user.partner_id[compat.MOBILE] = "+86 138 0000 0000"
    vals = {
        "name": "Bench team",
        "user_ids": [(6, 0, users[:1].ids)],
        "user_id": users[0].id,
    }
    if itss:
        vals.update(
            {
                "itss_tier": "1",
                "itss_incident_manager_id": users[0].id,
                "itss_project_manager_id": users[1].id,
                "itss_director_id": users[2].id,
                "itss_leader_id": users[3].id,
            }
        )
    return env["helpdesk.ticket.team"].create(vals), users[0]


def ticket_vals(team, user, i, itss):
    vals = {
        "name": f"Bench ticket {i}",
        "description": "<p>Something is broken</p>",
        "team_id": team.id,
        "user_id": user.id,
    }
    if itss:
        vals.update({"itss_impact": "3", "itss_urgency": "3"})
    return vals


def bench_db(registry, itss, sizes, report_rows=0):
    res = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Ticket = env["helpdesk.ticket"]
        team, user = setup_team(env, itss)
        env.flush_all()
        # warm the caches (views, ACL, templates)
        Ticket.create(ticket_vals(team, user, 0, itss))
        env.flush_all()
        n = 200
        with Meter(cr) as m:
            for i in range(n):
                Ticket.create(ticket_vals(team, user, i, itss))
                env.flush_all()
        res["create_1_rate"] = n / m.seconds
        res["create_1_queries"] = m.queries / n
        with Meter(cr) as m:
            for _batch in range(2):
                Ticket.create([ticket_vals(team, user, i, itss) for i in range(100)])
                env.flush_all()
        res["create_100_rate"] = 200 / m.seconds
        res["create_100_queries"] = m.queries / 200
        tickets = Ticket.search([("team_id", "=", team.id)], limit=100)
        stages = team._get_applicable_stages()
        target = (
            stages.filtered(lambda s: s.itss_state == "assigned") if itss else stages[1]
        )
        env.invalidate_all()
        with Meter(cr) as m:
            for ticket in tickets:
                ticket.stage_id = target
                env.flush_all()
        res["stage_queries"] = m.queries / len(tickets)
        res["stage_ms"] = m.seconds * 1000 / len(tickets)
        fields_in_view = Ticket.get_views([(False, "list")])["models"][
            "helpdesk.ticket"
        ]["fields"]
        spec = {name: {} for name in fields_in_view}
        for limit in (80, 20):
            env.invalidate_all()
            with Meter(cr) as m:
                Ticket.web_search_read([("team_id", "=", team.id)], spec, limit=limit)
            res[f"list_{limit}_queries"] = m.queries
            res[f"list_{limit}_ms"] = m.seconds * 1000
        if itss:
            res["cron"] = bench_cron(env, team, user, sizes)
            res["alerts"] = bench_alerts(env, team)
            if report_rows:
                res["report"] = bench_report(env, team, user, report_rows)
        cr.rollback()
    return res


def bench_cron(env, team, user, sizes):
    """Open tickets copied in SQL from a template; 1 % due."""
    cr = env.cr
    Ticket = env["helpdesk.ticket"]
    template = Ticket.create(ticket_vals(team, user, "template", True))
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN ('id', 'number')"
    )
    columns = [row[0] for row in cr.fetchall()]
    cols = ", ".join(f'"{c}"' for c in columns)
    results = []
    existing = 0
    now = fields.Datetime.now()
    for size in sizes:
        cr.execute(
            f"INSERT INTO helpdesk_ticket ({cols}, number) "
            f"SELECT {cols}, 'B' || g FROM helpdesk_ticket, generate_series(%s, %s) g "
            f"WHERE id = %s",
            [existing + 1, size, template.id],
        )
        existing = size
        cr.execute(
            "UPDATE helpdesk_ticket SET itss_next_action_date = %s, "
            "itss_logged_date = %s, itss_escalation_checked_date = NULL "
            "WHERE team_id = %s",
            [now + timedelta(days=30), now - timedelta(minutes=2), team.id],
        )
        due = max(size // 100, 1)
        cr.execute(
            "UPDATE helpdesk_ticket SET itss_next_action_date = %s WHERE id IN "
            "(SELECT id FROM helpdesk_ticket WHERE team_id = %s ORDER BY id LIMIT %s)",
            [now - timedelta(minutes=1), team.id, due],
        )
        cr.execute("ANALYZE helpdesk_ticket")
        env.invalidate_all()
        cr.execute("SAVEPOINT bench_cron")
        with Meter(cr) as busy:
            calls = 0
            while True:
                calls += 1
                before = env["itss.escalation.log"].search_count([])
                Ticket._cron_itss_escalate()
                env.flush_all()
                if env["itss.escalation.log"].search_count([]) == before or calls > 200:
                    break
        cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
        env.invalidate_all()
        # nothing due: everything pushed to the future
        cr.execute(
            "UPDATE helpdesk_ticket SET itss_next_action_date = %s WHERE team_id = %s",
            [now + timedelta(days=30), team.id],
        )
        with Meter(cr) as idle:
            Ticket._cron_itss_escalate()
            env.flush_all()
        results.append(
            {
                "open": size,
                "due": due,
                "idle_queries": idle.queries,
                "idle_ms": idle.seconds * 1000,
                "due_seconds": busy.seconds,
                "due_queries_per_ticket": busy.queries / due,
            }
        )
    return results


def bench_alerts(env, team, n=200):
    """Alert intake through the model (the endpoint's work after the token check):
    new alerts, and repeats of an open one."""
    cr = env.cr
    source = env["itss.alert.source"].create(
        {"name": "Bench alerts", "team_id": team.id}
    )

    def payload(fingerprint):
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

    env.flush_all()
    with Meter(cr) as new:
        for i in range(n):
            source._itss_ingest(source._itss_parse(payload(f"new-{i}")))
            env.flush_all()
    with Meter(cr) as dedup:
        for _i in range(n):
            source._itss_ingest(source._itss_parse(payload("new-0")))
            env.flush_all()
    return {
        "new_rate": n / new.seconds,
        "new_queries": new.queries / n,
        "dedup_rate": n / dedup.seconds,
        "dedup_queries": dedup.queries / n,
    }


def bench_report(env, team, user, rows):
    """The service report of a month over ``rows`` tickets spread over two years."""
    cr = env.cr
    Ticket = env["helpdesk.ticket"]
    template = Ticket.create(ticket_vals(team, user, "report template", True))
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
        "('id', 'number', 'itss_logged_date', 'itss_resolved_date', "
        "'itss_first_response_date', 'itss_escalation_count', 'itss_resolve_breached')"
    )
    cols = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
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
    with Meter(cr) as m:
        html, _kind = env["ir.actions.report"]._render_qweb_html(report, wizard.ids)
    return {
        "rows": rows,
        "generated_s": generated,
        "render_s": m.seconds,
        "queries": m.queries,
        "html_kb": len(html) / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("conf")
    parser.add_argument("plain_db")
    parser.add_argument("itss_db")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--report-rows", type=int, default=1000000)
    args = parser.parse_args()
    config.parse_config(["-c", args.conf])
    sizes = [int(s) for s in args.sizes.split(",")]
    plain = bench_db(odoo.modules.registry.Registry(args.plain_db), False, sizes)
    itss = bench_db(
        odoo.modules.registry.Registry(args.itss_db), True, sizes, args.report_rows
    )
    rows = [
        ("create, batch 1: tickets/s", "create_1_rate", "{:.0f}"),
        ("create, batch 1: queries/ticket", "create_1_queries", "{:.1f}"),
        ("create, batch 100: tickets/s", "create_100_rate", "{:.0f}"),
        ("create, batch 100: queries/ticket", "create_100_queries", "{:.1f}"),
        ("stage change: queries", "stage_queries", "{:.1f}"),
        ("stage change: ms", "stage_ms", "{:.1f}"),
        ("list view, 80 rows: queries", "list_80_queries", "{:.0f}"),
        ("list view, 20 rows: queries", "list_20_queries", "{:.0f}"),
        ("list view, 80 rows: ms", "list_80_ms", "{:.1f}"),
    ]
    print()
    print(f"{'':38} {'helpdesk_mgmt':>14} {'+ itss':>10} {'ratio':>7}")
    for label, key, fmt in rows:
        ratio = itss[key] / plain[key] if plain[key] else float("nan")
        before, after = fmt.format(plain[key]), fmt.format(itss[key])
        print(f"{label:38} {before:>14} {after:>10} {ratio:>7.2f}")
    print()
    print("escalation cron (ITSS only), 1 % of open tickets due:")
    print(
        f"{'open':>8} {'due':>6} {'idle queries':>13} {'idle ms':>8} "
        f"{'due: s':>8} {'queries/due ticket':>19}"
    )
    for row in itss["cron"]:
        print(
            f"{row['open']:>8} {row['due']:>6} {row['idle_queries']:>13} "
            f"{row['idle_ms']:>8.1f} {row['due_seconds']:>8.2f} "
            f"{row['due_queries_per_ticket']:>19.1f}"
        )

    alerts = itss["alerts"]
    print()
    print("alert intake (ITSS only, 23 labels per alert):")
    print(
        f"  new alert (a ticket each):   {alerts['new_rate']:8.0f} /s  "
        f"{alerts['new_queries']:6.1f} queries"
    )
    print(
        f"  repeat of an open alert:     {alerts['dedup_rate']:8.0f} /s  "
        f"{alerts['dedup_queries']:6.1f} queries"
    )
    print(
        f"  ticket by the ORM (batch 1): {itss['create_1_rate']:8.0f} /s  "
        f"{itss['create_1_queries']:6.1f} queries"
    )
    if itss.get("report"):
        rep = itss["report"]
        print()
        print(
            f"service report of one month over {rep['rows']} tickets: rendered in "
            f"{rep['render_s']:.2f} s with {rep['queries']} queries "
            f"({rep['html_kb']:.0f} kB of HTML; "
            f"tickets generated in SQL in {rep['generated_s']:.0f} s)"
        )


if __name__ == "__main__":
    main()

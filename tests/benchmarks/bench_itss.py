"""Benchmark: ITSS incident management against plain helpdesk_mgmt and OCA's
helpdesk_mgmt_sla, in one run.

Run it through ``bin/bench`` (it builds the databases). Prints, for each database:
ticket creation (batch 1 and 100: tickets per second, SQL queries per ticket), a stage
change, the list view of 80 tickets (and of 20, to show the query count does not
depend on the rows), and, for ITSS, the escalation cron with 1k / 10k / 100k open
tickets of which 1 % are due, alert intake and the service report of a month. Every
figure is the median of ``--runs`` runs (3 at least), and the machine's load (before
and after) is printed with them. Figures are wall-clock on this machine: compare the
columns of one run, not runs on different machines. Then, for ITSS, where the queries
of each hot path go (bench_profile.py), into ``--profile FILE`` (Markdown).

    python3 tests/benchmarks/bench_itss.py ODOO_CONF PLAIN_DB ITSS_DB
        [--sla-db SLA_DB] [--sizes 1000,10000,100000] [--report-rows 1000000]
        [--runs 3] [--json FILE] [--profile FILE]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict

from bench_paths import Meter, bench_alerts, bench_cron, bench_report, ticket_vals
from bench_profile import QueryProfile, markdown

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

KINDS = {"plain": "helpdesk_mgmt", "sla": "+ OCA sla", "itss": "+ itss"}


def setup_team(env, kind):
    from odoo.addons.itss_incident import compat  # on the addons path once configured

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
    customer = env["res.partner"].create({"name": "Bench customer"})
    vals = {
        "name": "Bench team",
        "user_ids": [(6, 0, users[:1].ids)],
        "user_id": users[0].id,
    }
    if kind == "itss":
        vals.update(
            {
                "itss_tier": "1",
                "itss_incident_manager_id": users[0].id,
                "itss_project_manager_id": users[1].id,
                "itss_director_id": users[2].id,
                "itss_leader_id": users[3].id,
            }
        )
    elif kind == "sla":
        # like ITSS's P3 on its working calendar: respond (reach "In Progress") in
        # 1 h (OCA's SLA counts whole hours; ours 30 min), resolve (reach the first
        # closed stage) in 8 h, on the company's working hours
        vals.update(
            {
                "use_sla": True,
                "resource_calendar_id": env.company.resource_calendar_id.id,
            }
        )
    team = env["helpdesk.ticket.team"].create(vals)
    if kind == "sla":
        stages = team._get_applicable_stages()
        env["helpdesk.sla"].create(
            [
                {
                    "name": "P3 respond",
                    "team_ids": [(6, 0, team.ids)],
                    "hours": 1,
                    "stage_id": stages[1].id,
                },
                {
                    "name": "P3 resolve",
                    "team_ids": [(6, 0, team.ids)],
                    "hours": 8,
                    "stage_id": stages.filtered("closed")[:1].id,
                },
            ]
        )
    return team, users[0], customer


def bench_basic(registry, kind, runs, profiles=None):
    """Create (batch 1 and 100), stage change, list view: ``runs`` times, each in a
    cursor rolled back; with ``profiles``, the last run profiles create and stage
    change after its timed parts."""
    samples = defaultdict(list)
    for run in range(runs):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Ticket = env["helpdesk.ticket"]
            team, user, customer = setup_team(env, kind)
            env.flush_all()
            # warm the caches (views, ACL, templates)
            Ticket.create(ticket_vals(team, user, customer, 0, kind))
            env.flush_all()
            n = 200
            with Meter(cr) as m:
                for i in range(n):
                    Ticket.create(ticket_vals(team, user, customer, i, kind))
                    env.flush_all()
            samples[("create_1", 1)].append((m.seconds / n, m.queries / n))
            with Meter(cr) as m:
                for _batch in range(2):
                    Ticket.create(
                        [ticket_vals(team, user, customer, i, kind) for i in range(100)]
                    )
                    env.flush_all()
            samples[("create_100", 100)].append((m.seconds / 200, m.queries / 200))
            stages = team._get_applicable_stages()
            target = (
                stages.filtered(lambda s: s.itss_state == "assigned")
                if kind == "itss"
                else stages[1]
            )
            tickets = Ticket.search(
                [("team_id", "=", team.id), ("stage_id", "!=", target.id)], limit=110
            )
            env.invalidate_all()
            with Meter(cr) as m:
                for ticket in tickets[:100]:
                    ticket.stage_id = target
                    env.flush_all()
            samples[("stage", 1)].append((m.seconds / 100, m.queries / 100))
            view = Ticket.get_views([(False, "list")])["models"]["helpdesk.ticket"]
            spec = {name: {} for name in view["fields"]}
            for limit in (80, 20):
                env.invalidate_all()
                with Meter(cr) as m:
                    Ticket.web_search_read(
                        [("team_id", "=", team.id)], spec, limit=limit
                    )
                samples[(f"list_{limit}", limit)].append((m.seconds, m.queries))
            if profiles is not None and run == runs - 1:
                count = 10
                with QueryProfile() as prof:
                    for i in range(count):
                        Ticket.create(ticket_vals(team, user, customer, i, kind))
                        env.flush_all()
                profiles[f"{kind}: create, batch 1"] = prof.as_dict(count)
                with QueryProfile() as prof:
                    for ticket in tickets[100:110]:
                        ticket.stage_id = target
                        env.flush_all()
                profiles[f"{kind}: stage change"] = prof.as_dict(count)
            cr.rollback()
    return samples


def bench_itss_paths(registry, sizes, runs, report_rows, profiles):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team, user, customer = setup_team(env, "itss")
        env.flush_all()
        samples = bench_cron(env, team, user, customer, sizes, runs, profiles)
        samples.update(bench_alerts(env, team, runs, profiles))
        facts = {}
        if report_rows:
            more, facts = bench_report(
                env, team, user, customer, report_rows, runs, profiles
            )
            samples.update(more)
        cr.rollback()
    return samples, facts


def figures_of(kind, samples):
    out = {}
    for (path, size), runs in samples.items():
        seconds = [s for s, _q in runs]
        queries = [q for _s, q in runs]
        out[path, size] = {
            "configuration": kind,
            "database": KINDS[kind],
            "path": path,
            "size": size,
            "median_seconds": statistics.median(seconds),
            "runs_seconds": seconds,
            "queries": statistics.median(queries),
            "runs_queries": queries,
        }
    return out


def load():
    one, five, fifteen = os.getloadavg()
    return {"1 min": one, "5 min": five, "15 min": fifteen}


def print_figures(figs, kinds, machine, facts):
    def get(kind, path, size, what):
        fig = figs[kind].get((path, size))
        return fig and fig[what]

    rows = [
        ("create, batch 1: tickets/s", "create_1", 1, "rate", "{:.0f}"),
        ("create, batch 1: queries/ticket", "create_1", 1, "queries", "{:.1f}"),
        ("create, batch 1: ms/ticket", "create_1", 1, "ms", "{:.1f}"),
        ("create, batch 100: tickets/s", "create_100", 100, "rate", "{:.0f}"),
        ("create, batch 100: queries/ticket", "create_100", 100, "queries", "{:.1f}"),
        ("stage change: queries", "stage", 1, "queries", "{:.1f}"),
        ("stage change: ms", "stage", 1, "ms", "{:.2f}"),
        ("list view, 80 rows: queries", "list_80", 80, "queries", "{:.0f}"),
        ("list view, 20 rows: queries", "list_20", 20, "queries", "{:.0f}"),
        ("list view, 80 rows: ms", "list_80", 80, "ms", "{:.1f}"),
    ]

    def value(kind, path, size, what):
        seconds = get(kind, path, size, "median_seconds")
        if seconds is None:
            return None
        if what == "rate":
            return 1 / seconds
        if what == "ms":
            return seconds * 1000
        return get(kind, path, size, "queries")

    print()
    print(
        f"medians of {machine['runs']} runs; {machine['nproc']} CPUs; load average "
        "(1/5/15 min) before "
        + "/".join(f"{v:.2f}" for v in machine["load_before"].values())
        + ", after "
        + "/".join(f"{v:.2f}" for v in machine["load_after"].values())
    )
    header = f"{'':36} {KINDS['plain']:>14}"
    for kind in kinds[1:]:
        header += f" {KINDS[kind]:>10} {'ratio':>6}"
    print(header)
    for label, path, size, what, fmt in rows:
        base = value("plain", path, size, what)
        line = f"{label:36} {fmt.format(base):>14}"
        for kind in kinds[1:]:
            val = value(kind, path, size, what)
            ratio = val / base if base else float("nan")
            line += f" {fmt.format(val):>10} {ratio:>6.2f}"
        print(line)

    itss = figs["itss"]
    print()
    print("escalation cron (ITSS only), 1 % of open tickets due:")
    print(
        f"{'open':>8} {'due':>6} {'idle queries':>13} {'idle ms':>8} "
        f"{'due: s':>8} {'ms/due ticket':>14} {'queries/due ticket':>19}"
    )
    for (path, size), fig in itss.items():
        if path != "cron_due":
            continue
        idle = itss["cron_idle", size]
        due = max(size // 100, 1)
        print(
            f"{size:>8} {due:>6} {idle['queries']:>13.0f} "
            f"{idle['median_seconds'] * 1000:>8.1f} "
            f"{fig['median_seconds'] * due:>8.2f} "
            f"{fig['median_seconds'] * 1000:>14.1f} "
            f"{fig['queries']:>19.1f}"
        )
    print()
    print("alert intake (ITSS only, 23 labels per alert):")
    for label, key in (
        ("new alert (a ticket each):  ", ("alert_new", 1)),
        ("repeat of an open alert:    ", ("alert_repeat", 1)),
        ("ticket by the ORM (batch 1):", ("create_1", 1)),
    ):
        fig = itss[key]
        print(
            f"  {label} {1 / fig['median_seconds']:8.0f} /s "
            f"{fig['median_seconds'] * 1000:7.1f} ms {fig['queries']:6.1f} queries"
        )
    for (path, size), fig in itss.items():
        if path == "report_month":
            print()
            print(
                f"service report of one month over {size} tickets: rendered in "
                f"{fig['median_seconds']:.2f} s with {fig['queries']:.0f} queries "
                f"({facts['html_kb']:.0f} kB of HTML; "
                f"tickets generated in SQL in {facts['generated_s']:.0f} s)"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("conf")
    parser.add_argument("plain_db")
    parser.add_argument("itss_db")
    parser.add_argument("--sla-db", help="a database with OCA helpdesk_mgmt_sla")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--report-rows", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    parser.add_argument(
        "--profile", metavar="FILE", help="write ITSS's query breakdown (Markdown)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 at least (3 for medians worth the name)")
    config.parse_config(["-c", args.conf])
    odoo.modules.module.initialize_sys_path()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["plain"] + (["sla"] if args.sla_db else []) + ["itss"]
    dbs = {"plain": args.plain_db, "sla": args.sla_db, "itss": args.itss_db}
    machine = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "odoo": odoo.release.version,
        "runs": args.runs,
        "sizes": sizes,
        "report_rows": args.report_rows,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_before": load(),
    }
    profiles = {}
    registries = {kind: odoo.modules.registry.Registry(dbs[kind]) for kind in kinds}
    # the configurations take turns, run by run: the machine's load drifts
    basic = {kind: defaultdict(list) for kind in kinds}
    for run in range(args.runs):
        for kind in kinds:
            last = run == args.runs - 1
            samples = bench_basic(registries[kind], kind, 1, profiles if last else None)
            for key, values in samples.items():
                basic[kind][key] += values
    figs = {kind: figures_of(kind, basic[kind]) for kind in kinds}
    samples, facts = bench_itss_paths(
        registries["itss"], sizes, args.runs, args.report_rows, profiles
    )
    figs["itss"].update(figures_of("itss", samples))
    machine["load_after"] = load()
    print_figures(figs, kinds, machine, facts)
    if args.profile:
        with open(args.profile, "w") as out:
            out.write(markdown(profiles) + "\n")
        print(f"\nquery breakdown written to {args.profile}")
    else:
        print()
        print("queries per operation, profiled (--profile FILE for the breakdown):")
        for path, prof in profiles.items():
            print(f"  {path:56} {prof['queries_per_operation']:6.1f}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "machine": machine,
                    "facts": facts,
                    "figures": [f for kind in kinds for f in figs[kind].values()],
                    "profiles": profiles,
                },
                out,
                indent=1,
            )
        print(f"figures written to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()

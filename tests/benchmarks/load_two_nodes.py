# ruff: noqa: E501  (report tables and SQL read better on one line; see the report)
"""Load test: two Odoo nodes on one database, real HTTP clients, both cron workers.

Run it through ``bin/bench --load`` (it builds a throwaway cluster and database with
itss_incident, then calls this script). Never collected by pytest (no test_ name).

    python3 tests/benchmarks/load_two_nodes.py WORKDIR ODOO_CONF DB
        [--duration 240] [--short] [--no-replica]

1. Setup (ORM, in this process): a first-line team of desk agents and engineers, a
   category mapped to it, customers with portal logins, an alert source; the
   escalation and auto-close crons every minute.
2. A streaming replica of the cluster (pg_basebackup -R) on a port of its own, given
   to Odoo as db_replica_host / db_replica_port.
3. Two Odoo servers (prefork: --workers=2 --max-cron-threads=1 each, their own ports,
   one database, one data_dir), no proxy: every client kind spreads over both.
4. For --duration seconds: portal customers log tickets and reply to them; bursts of
   the same alert posted to both nodes at once, and resolves; agents moving tickets
   through JSON-RPC (/web/dataset/call_kw, as the web client); every minute the
   stored SLA dates of open tickets are shifted back in SQL (escalation work due) and
   resolved tickets' auto-close dates put in the past (auto-close work due).
5. Checks in the database (a failure exits 1): every ticket a client got a success
   for is there once, nothing doubled; every alert post counted exactly
   (rows of itss_alert_firing); no notification twice for a due point, each with its mail;
   the due cron work drained within a deadline; no server error (5xx, or a JSON-RPC
   error that is not a user error).
6. Reports on the replica: the service report (PDF), the incident analysis pivot
   (read_group) and the XLSX export, with every statement logged on both servers:
   the report's queries are counted on the replica, none on the primary.
7. Figures: throughput, p50/p95/p99 latency and errors per kind of request, against
   the issue's targets; the slowest routes from the servers' access log (time in SQL
   and elsewhere, queries per request).
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta

import psycopg2
import requests

ALERT_TARGET_RATE = 150.0  # alert posts per second over HTTP (2-core machine)
ALERT_TARGET_P95 = 0.250  # seconds
# seconds after the load for the due cron work: the shifts make every unchecked open
# ticket's due points fall due at once (P1 alert tickets: a dozen notifications each),
# and one cron worker at a time runs the escalation job (about 4 tickets a second on
# 2 cores)
DRAIN_DEADLINE = 300
SHIFT_EVERY = 60  # seconds between two shifts of stored dates
FINGERPRINTS = 24  # distinct alerts
BURST = 4  # posts of one alert at once (half to each node)

AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def say(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- setup (ORM) -----------------------------------------------------------------------


def setup(conf, db, customers, agents):
    """The fixtures, with Odoo's ORM; returns what the clients need."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(["-c", conf])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        company.helpdesk_mgmt_portal_select_category = True
        company.itss_major_priority = "0"

        def user(login, groups):
            return (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "login": login,
                        "password": login + "-pw",
                        "name": login.replace("_", " ").title(),
                        "email": f"{login}@example.com",
                        "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
                    }
                )
            )

        internal = ["base.group_user"]
        desk = [
            user(f"load_desk{i}", internal + ["itss_incident.group_itss_service_desk"])
            for i in range(agents)
        ]
        engineers = [
            user(f"load_eng{i}", internal + ["itss_incident.group_itss_engineer"])
            for i in range(agents)
        ]
        manager = user(
            "load_manager",
            internal
            + [
                "itss_incident.group_itss_incident_manager",
                "itss_incident.group_itss_service_desk",
            ],
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Load L1",
                "itss_tier": "1",
                "user_id": manager.id,
                "itss_incident_manager_id": manager.id,
                "user_ids": [(6, 0, [u.id for u in desk + engineers + [manager]])],
            }
        )
        category = env["helpdesk.ticket.category"].create(
            {"name": "Load servers", "itss_team_id": team.id}
        )
        company_partner = env["res.partner"].create(
            {"name": "Load Customer Co", "is_company": True}
        )
        portal = []
        for i in range(customers):
            login = f"load_cust{i}"
            portal_user = user(login, ["base.group_portal"])
            portal_user.partner_id.parent_id = company_partner
            portal.append(login)
        source = env["itss.alert.source"].create(
            {"name": "Load monitoring", "team_id": team.id, "quiet_minutes": 1}
        )
        action = source.action_generate_token()
        token = env["itss.alert.source.token"].browse(action["res_id"]).token
        for xmlid in (
            "itss_incident.ir_cron_itss_escalation",
            "itss_incident.ir_cron_itss_auto_close",
        ):
            cron = env.ref(xmlid)
            cron.write(
                {"interval_number": 1, "interval_type": "minutes", "active": True}
            )
        # no SMTP server here: the mail queue stays queued (the checks read it)
        env.ref("mail.ir_cron_mail_scheduler_action").active = False
        cr.commit()
        return {
            "desk": [u.login for u in desk],
            "engineers": [u.login for u in engineers],
            "manager": manager.login,
            "customers": portal,
            "category": category.id,
            "source": source.id,
            "token": token,
            "company": company.id,
            "crons": [
                env.ref(x).id
                for x in (
                    "itss_incident.ir_cron_itss_escalation",
                    "itss_incident.ir_cron_itss_auto_close",
                )
            ],
        }


# --- PostgreSQL replica ----------------------------------------------------------------


def pg(args, **kw):
    return subprocess.run(
        AS_POSTGRES + args, check=True, capture_output=True, text=True, **kw
    )


def start_replica(pg_bin, primary_dir, primary_port, work):
    """A hot standby streaming from the primary (pg_basebackup -R), every statement
    logged; returns (socket dir, port)."""
    rdir = os.path.join(work, "replica")
    os.makedirs(rdir, exist_ok=True)
    if AS_POSTGRES:
        shutil.chown(rdir, "postgres")
    port = free_port()
    pg(
        [
            f"{pg_bin}/pg_basebackup",
            "-h",
            primary_dir,
            "-p",
            str(primary_port),
            "-U",
            "postgres",
            "-D",
            f"{rdir}/data",
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]
    )
    options = (
        f"-p {port} -k {rdir} -c listen_addresses='' -c fsync=off -c hot_standby=on "
        "-c log_statement=all -c log_line_prefix='%m [%p] %a: '"
    )
    pg(
        [
            f"{pg_bin}/pg_ctl",
            "-D",
            f"{rdir}/data",
            "-l",
            f"{rdir}/postgres.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ]
    )
    return rdir, port


def stop_replica(pg_bin, rdir):
    subprocess.run(
        AS_POSTGRES
        + [f"{pg_bin}/pg_ctl", "-D", f"{rdir}/data", "-m", "fast", "-w", "stop"],
        capture_output=True,
        check=False,
    )


# --- Odoo nodes ------------------------------------------------------------------------


class Node:
    def __init__(self, index, python, conf, db, work):
        self.index = index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(work, f"node{index}.log")
        if os.path.exists(self.log):
            os.remove(self.log)  # the access-log profile reads this run only
        self.proc = subprocess.Popen(
            [
                python,
                "-m",
                "odoo",
                "-c",
                conf,
                # one database, no filter: a request without a session (the alert
                # webhook) then finds it without listing the server's databases
                "-d",
                db,
                "--workers=2",
                "--max-cron-threads=1",
                f"--http-port={self.port}",
                f"--gevent-port={free_port()}",
                "--http-interface=127.0.0.1",
                f"--logfile={self.log}",
                "--log-level=warn",
                "--log-handler=werkzeug:INFO",
                "--limit-time-real=300",
                "--limit-time-cpu=240",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"node {self.index} exited (see {self.log})")
            try:
                if requests.get(self.url + "/web/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit(
            f"node {self.index} not ready after {timeout} s (see {self.log})"
        )

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)


# --- clients ---------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(lambda: defaultdict(int))
        self.examples = {}  # a response body per kind of failure

    def record(self, kind, seconds, error=None):
        with self.lock:
            if error:
                self.errors[kind][error] += 1
            else:
                self.latency[kind].append(seconds)

    def failed(self):
        """Every error but a user error (an agent's move that another agent made
        first): server errors (5xx, JSON-RPC errors), unexpected 4xx, timeouts."""
        return {
            f"{k} {e}": n
            for k, errs in self.errors.items()
            for e, n in errs.items()
            if e != "user"
        }


def timed(stats, kind, func):
    """Call func() -> (error or None, value); record its latency and error."""
    start = time.perf_counter()
    try:
        error, value = func()
    except requests.Timeout:
        error, value = "timeout", None
    except requests.RequestException as exc:
        error, value = f"conn:{type(exc).__name__}", None
    stats.record(kind, time.perf_counter() - start, error)
    return error, value


def login(session, url, login_name, timeout=30):
    response = session.post(
        url + "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": session.db,
                "login": login_name,
                "password": login_name + "-pw",
            },
        },
        timeout=timeout,
    )
    result = response.json()
    if "error" in result:
        raise SystemExit(f"login {login_name}: {result['error']['data']['message']}")
    return result["result"]["uid"]


def call_kw(session, url, model, method, args, kwargs=None, button=False):
    """(error, result) of a web client's JSON-RPC call; error None, 'user' (a user
    error: someone else moved the ticket first) or the server's."""
    path = "call_button" if button else "call_kw"
    response = session.post(
        f"{url}/web/dataset/{path}/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        },
        timeout=60,
    )
    if response.status_code >= 500:
        return str(response.status_code), None
    body = response.json()
    if "error" in body:
        name = body["error"]["data"].get("name", "")
        if name.startswith(
            ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")
        ):
            return "user", None
        return f"rpc:{name}", None
    return None, body["result"]


class Load:
    def __init__(self, nodes, db, fixtures, duration, stats):
        self.nodes = nodes
        self.db = db
        self.fx = fixtures
        self.stop_at = time.time() + duration
        self.stats = stats
        self.lock = threading.Lock()
        self.tickets = []  # (subject, id) of each ticket a customer got a success for
        self.replies = []  # (ticket id, body marker) of each reply that succeeded
        self.firing = defaultdict(int)  # fingerprint -> successful firing posts
        self.unsure = defaultdict(int)  # fingerprint -> posts without a clear answer

    def running(self):
        return time.time() < self.stop_at

    def node(self, i):
        return self.nodes[i % len(self.nodes)].url

    def customer(self, i):
        session = requests.Session()
        session.db = self.db
        url = self.node(i)
        login(session, url, self.fx["customers"][i % len(self.fx["customers"])])
        mine = []
        while self.running():
            if mine and random.random() < 0.5:
                ticket_id = random.choice(mine)
                marker = f"load-reply-{uuid.uuid4().hex}"

                def reply(ticket_id=ticket_id, marker=marker):
                    response = session.post(
                        url + "/mail/message/post",
                        json={
                            "jsonrpc": "2.0",
                            "params": {
                                "thread_model": "helpdesk.ticket",
                                "thread_id": ticket_id,
                                "post_data": {
                                    "body": f"Still broken ({marker})",
                                    "message_type": "comment",
                                    "subtype_xmlid": "mail.mt_comment",
                                },
                            },
                        },
                        timeout=60,
                    )
                    if response.status_code >= 400:
                        return str(response.status_code), None
                    body = response.json()
                    if "error" in body:
                        return "rpc:" + body["error"]["data"].get("name", "?"), None
                    return None, None

                if not timed(self.stats, "portal reply", reply)[0]:
                    with self.lock:
                        self.replies.append((ticket_id, marker))
                continue
            subject = f"Load ticket {uuid.uuid4().hex}"

            def create(subject=subject):
                page = session.get(url + "/new/ticket", timeout=60)
                if page.status_code != 200:
                    return str(page.status_code), None
                csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
                response = session.post(
                    url + "/submitted/ticket",
                    data={
                        "csrf_token": csrf and csrf.group(1),
                        "subject": subject,
                        "description": "The mail server does not answer.",
                        "category": self.fx["category"],
                        "itss_people": "one",
                        "itss_work": "blocked",
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                match = re.search(
                    r"/my/ticket/(\d+)", response.headers.get("Location", "")
                )
                if response.status_code in (302, 303) and match:
                    return None, int(match.group(1))
                return str(response.status_code), None

            error, ticket_id = timed(self.stats, "portal new ticket", create)
            if not error:
                mine.append(ticket_id)
                with self.lock:
                    self.tickets.append((subject, ticket_id))

    def alerts(self, i):
        sessions = [requests.Session() for _node in self.nodes]
        headers = {"Authorization": f"Bearer {self.fx['token']}"}
        barrier = threading.Barrier(BURST)
        results = [None] * BURST
        fingerprint = [None, None]

        def post(slot):
            url = self.node(slot)
            payload = {
                "version": "4",
                "status": fingerprint[1],
                "alerts": [
                    {
                        "status": fingerprint[1],
                        "fingerprint": fingerprint[0],
                        "labels": {
                            "alertname": "DiskFull",
                            "instance": fingerprint[0],
                            "severity": "critical",
                        },
                        "annotations": {"summary": "disk full"},
                    }
                ],
            }

            def send():
                response = sessions[slot % len(sessions)].post(
                    f"{url}/itss/alert/{self.fx['source']}",
                    json=payload,
                    headers=headers,
                    timeout=60,
                )
                if response.status_code != 200:
                    self.stats.examples.setdefault(
                        f"alert {response.status_code}", response.text[-300:]
                    )
                    return str(response.status_code), None
                return None, None

            results[slot] = timed(self.stats, f"alert {fingerprint[1]}", send)[0]

        while self.running():
            fingerprint[0] = f"load-{i}-{random.randrange(FINGERPRINTS)}"
            fingerprint[1] = "resolved" if random.random() < 0.15 else "firing"
            threads = [
                threading.Thread(target=lambda s=s: (barrier.wait(), post(s)))
                for s in range(BURST)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if fingerprint[1] == "firing":
                with self.lock:
                    for error in results:
                        if error is None:
                            self.firing[fingerprint[0]] += 1
                        elif not error.startswith("4"):
                            self.unsure[fingerprint[0]] += 1

    def agent(self, i):
        desk, engineer = requests.Session(), requests.Session()
        desk.db = engineer.db = self.db
        url = self.node(i)
        login(desk, url, self.fx["desk"][i % len(self.fx["desk"])])
        eng_uid = login(
            engineer, url, self.fx["engineers"][i % len(self.fx["engineers"])]
        )
        steps = [
            (desk, "new", "action_itss_assign", {}),
            (engineer, "assigned", "action_itss_accept", {}),
            (
                engineer,
                "in_progress",
                "action_itss_resolve",
                {
                    "itss_solution": "<p>Restarted the service</p>",
                    "itss_closure_code_id": "closure",
                    "itss_recovery_date": "now",
                },
            ),
        ]
        closure = None
        while self.running():
            session, state, method, vals = random.choice(steps)
            domain = [("itss_state", "=", state), ("team_id.name", "=", "Load L1")]
            if state != "new":
                domain.append(("user_id", "in", [eng_uid, False]))
            error, found = timed(
                self.stats,
                "rpc search_read",
                lambda s=session, d=domain: call_kw(
                    s,
                    url,
                    "helpdesk.ticket",
                    "search_read",
                    [d],
                    {"fields": ["id"], "limit": 20},
                ),
            )
            if error or not found:
                time.sleep(0.2)
                continue
            ticket_id = random.choice(found)["id"]
            if vals:
                if closure is None:
                    _e, codes = call_kw(
                        session,
                        url,
                        "itss.closure.code",
                        "search_read",
                        [[]],
                        {"fields": ["id"], "limit": 1},
                    )
                    closure = codes[0]["id"]
                now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
                vals = dict(vals, itss_closure_code_id=closure, itss_recovery_date=now)
                timed(
                    self.stats,
                    "rpc write",
                    lambda s=session, v=vals, t=ticket_id: call_kw(
                        s, url, "helpdesk.ticket", "write", [[t], v]
                    ),
                )
            timed(
                self.stats,
                f"rpc {method}",
                lambda s=session, m=method, t=ticket_id: call_kw(
                    s, url, "helpdesk.ticket", m, [[t]], button=True
                ),
            )


# --- stored dates and crons ------------------------------------------------------------

# moments the shift leaves alone: the cron's own bookkeeping (null on shifted tickets)
NOT_SHIFTED = ("itss_escalation_checked_date", "itss_escalation_retry_date")


def shift_dates(dsn, fixtures):
    """Make cron work due: every stored moment of open tickets not yet checked by the
    escalation 12 hours earlier (logged, occurred, dispatched, deadlines, warnings...:
    they stay consistent, warnings and breaches fall due), resolved ones' auto-close
    in the past; wake both cron workers. Returns the moment (UTC, naive) by which
    this work is due."""
    with psycopg2.connect(dsn) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamp(0)")
        (moment,) = cr.fetchone()
        cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'helpdesk_ticket' AND data_type LIKE 'timestamp%%'
                  AND column_name LIKE 'itss\\_%%' AND column_name <> ALL(%s)""",
            (list(NOT_SHIFTED),),
        )
        columns = [name for (name,) in cr.fetchall()]
        sets = ", ".join(f"{name} = {name} - interval '12 hours'" for name in columns)
        cr.execute(
            f"""UPDATE helpdesk_ticket SET {sets}
                 WHERE itss_state IN ('new', 'assigned', 'in_progress')
                   AND itss_escalation_checked_date IS NULL AND itss_next_action_date IS NOT NULL"""
        )
        shifted = cr.rowcount
        cr.execute(
            """UPDATE helpdesk_ticket SET itss_auto_close_date = %s - interval '1 minute'
                WHERE itss_state = 'resolved' AND itss_auto_close_date > %s""",
            (moment, moment),
        )
        closing = cr.rowcount
        for cron_id in fixtures["crons"]:
            cr.execute(
                "INSERT INTO ir_cron_trigger (cron_id, call_at) VALUES (%s, %s)",
                (cron_id, moment),
            )
        cr.execute("NOTIFY cron_trigger")
    say(f"shifted {shifted} open tickets' SLA dates, {closing} auto-closes due")
    return moment


def due_work(cr, moment):
    cr.execute(
        """SELECT count(*) FILTER (WHERE itss_next_action_date <= %(m)s),
                  count(*) FILTER (WHERE itss_state = 'resolved' AND itss_auto_close_date <= %(m)s),
                  count(*) FILTER (WHERE itss_escalation_retry_date IS NOT NULL)
             FROM helpdesk_ticket""",
        {"m": moment},
    )
    return cr.fetchone()


# --- checks ----------------------------------------------------------------------------


def check(dsn, load, stats, fixtures, last_shift):
    """The correctness checks; returns the list of failures."""
    failures = []
    with psycopg2.connect(dsn) as cnx, cnx.cursor() as cr:
        cr.execute(
            # a reply to a closed ticket opens a ticket continuing it (same subject,
            # itss_reopened_from_id): not a double
            """SELECT name, array_agg(id ORDER BY id) FILTER (WHERE itss_reopened_from_id IS NULL),
                      count(*) FILTER (WHERE itss_reopened_from_id IS NOT NULL)
                 FROM helpdesk_ticket WHERE name LIKE 'Load ticket %%' GROUP BY name"""
        )
        rows = cr.fetchall()
        in_db = {name: ids or [] for name, ids, _n in rows}
        continued = sum(n for _name, _ids, n in rows)
        lost = [s for s, _i in load.tickets if not in_db.get(s)]
        doubled = [s for s, ids in in_db.items() if len(ids) > 1]
        wrong = [s for s, i in load.tickets if s in in_db and in_db[s] != [i]]
        print(
            f"portal tickets: {len(load.tickets)} created, {len(lost)} lost, {len(doubled)} doubled, "
            f"{len(wrong)} answered with another id; {continued} continuations of closed tickets"
        )
        if lost or doubled or wrong:
            failures.append(
                f"portal tickets: lost {lost[:3]}, doubled {doubled[:3]}, wrong id {wrong[:3]}"
            )
        cr.execute(
            """SELECT m.res_id, substring(m.body from 'load-reply-[0-9a-f]+'), count(*)
                 FROM mail_message m
                WHERE m.model = 'helpdesk.ticket' AND m.body LIKE '%%load-reply-%%'
                GROUP BY 1, 2"""
        )
        replies = {(t, marker): n for t, marker, n in cr.fetchall()}
        lost = [r for r in load.replies if r not in replies]
        doubled = [r for r, n in replies.items() if n > 1]
        print(
            f"portal replies: {len(load.replies)} posted, {len(lost)} lost, {len(doubled)} doubled"
        )
        if lost or doubled:
            failures.append(f"portal replies: lost {lost[:3]}, doubled {doubled[:3]}")
        cr.execute(
            """SELECT t.itss_alert_fingerprint,
                      (SELECT count(*) FROM itss_alert_firing f
                        JOIN helpdesk_ticket o ON o.id = f.ticket_id
                       WHERE o.itss_alert_source_id = t.itss_alert_source_id
                         AND o.itss_alert_fingerprint = t.itss_alert_fingerprint),
                      count(*),
                      count(*) FILTER (WHERE t.itss_state NOT IN ('closed', 'cancelled'))
                 FROM helpdesk_ticket t WHERE t.itss_alert_source_id = %s GROUP BY 1, 2""",
            (fixtures["source"],),
        )
        counted = {
            f: (int(n), tickets, open_) for f, n, tickets, open_ in cr.fetchall()
        }
        bad = []
        for fingerprint in set(counted) | set(load.firing):
            n = counted.get(fingerprint, (0, 0, 0))[0]
            posted, unsure = (
                load.firing.get(fingerprint, 0),
                load.unsure.get(fingerprint, 0),
            )
            if not posted <= n <= posted + unsure:
                bad.append((fingerprint, posted, unsure, n))
        several_open = [f for f, (_n, _t, open_) in counted.items() if open_ > 1]
        print(
            f"alerts: {sum(load.firing.values())} firing posts succeeded over {len(load.firing)} alerts, "
            f"{sum(t for _n, t, _o in counted.values())} tickets; miscounted {len(bad)}, "
            f"several open tickets {len(several_open)}"
        )
        if bad or several_open:
            failures.append(
                f"alerts miscounted (fingerprint, posts, unsure, counted): {bad[:5]}; "
                f"several open: {several_open[:3]}"
            )
        cr.execute(
            """SELECT count(*) FROM (SELECT 1 FROM itss_escalation_log
                 GROUP BY ticket_id, kind, COALESCE(rule_id, 0), sequence, channel HAVING count(*) > 1) d"""
        )
        (twice,) = cr.fetchone()
        cr.execute(
            """SELECT count(*), count(*) FILTER (WHERE channel = 'email' AND mail_id IS NULL),
                      count(DISTINCT ticket_id)
                 FROM itss_escalation_log"""
        )
        logs, no_mail, tickets = cr.fetchone()
        cr.execute(
            """SELECT count(*) FROM (SELECT mail_id FROM itss_escalation_log WHERE mail_id IS NOT NULL
                 GROUP BY mail_id HAVING count(*) > 1) d"""
        )
        (shared,) = cr.fetchone()
        print(
            f"notifications: {logs} due points notified on {tickets} tickets, {twice} twice, "
            f"{no_mail} mail rows without their mail, {shared} mails shared"
        )
        if twice or no_mail or shared:
            failures.append(
                f"notifications: {twice} due points twice, {no_mail} without mail, {shared} shared"
            )
        begin = time.time()
        end = begin + DRAIN_DEADLINE
        backlog = None
        while True:
            escalations, closes, retries = due_work(cr, last_shift)
            cnx.commit()
            if backlog is None:
                backlog = (escalations, closes)
            if not (escalations or closes or retries) or time.time() > end:
                break
            time.sleep(5)
        print(
            f"cron backlog when the checks began: {backlog[0]} due escalations, "
            f"{backlog[1]} auto-closes; drained after {time.time() - begin:.0f} s"
        )
        cr.execute(
            "SELECT count(*) FROM helpdesk_ticket WHERE itss_close_origin IN ('auto', 'alert')"
        )
        (auto_closed,) = cr.fetchone()
        print(
            f"cron work due by {last_shift} left after {DRAIN_DEADLINE} s at most: {escalations} escalations, "
            f"{closes} auto-closes, {retries} batches to retry; {auto_closed} tickets closed automatically"
        )
        if escalations or closes or retries:
            failures.append(
                f"cron work not drained: {escalations} escalations, {closes} closes, {retries} retries"
            )
    errors = stats.failed()
    server = sum(
        n for kind, n in errors.items() if kind.split()[-1].startswith(("5", "rpc:"))
    )
    print(
        f"server errors (5xx, JSON-RPC): {server}; other failed requests: {sum(errors.values()) - server}"
    )
    if errors:
        failures.append(f"failed requests: {errors}; responses: {stats.examples}")
    return failures


# --- reports on the replica ------------------------------------------------------------


class StatementLog:
    """Statements a PostgreSQL server logged (log_statement=all) between two marks."""

    def __init__(self, dsn, path):
        self.dsn, self.path = dsn, path

    def mark(self, name):
        with psycopg2.connect(self.dsn) as cnx, cnx.cursor() as cr:
            cr.execute(f"SELECT 'itss-load-mark-{name}'")

    def between(self, start, end):
        with open(self.path, errors="replace") as log:
            text = log.read()
        first = text.rfind(f"itss-load-mark-{start}")
        last = text.rfind(f"itss-load-mark-{end}")
        chunk = text[text.find("\n", first) + 1 : text.rfind("\n", 0, last)]
        return [
            s
            for s in re.split(r"\n(?=\d{4}-\d\d-\d\d )", chunk)
            if "statement: " in s or "execute " in s
        ]


def run_reports(node, db, fixtures, primary_log, replica_log):
    """The service report (PDF), the pivot and the XLSX export as the incident
    manager, each between marks on both servers; returns (rows, failures)."""
    session = requests.Session()
    session.db = db
    login(session, node.url, fixtures["manager"])
    today = date.today()
    start = today.replace(day=1)
    error, wizard_id = call_kw(
        session,
        node.url,
        "itss.service.report",
        "create",
        [
            {
                "period": "custom",
                "date_from": str(start - timedelta(days=31)),
                "date_to": str(today),
                "lang": "en_US",
            }
        ],
    )
    assert not error, error
    time.sleep(1)  # the replica replays the wizard (streaming: milliseconds)

    def pdf():
        response = session.get(
            f"{node.url}/report/pdf/itss_incident.report_itss_service/{wizard_id}",
            timeout=300,
        )
        ok = response.status_code == 200 and response.content.startswith(b"%PDF")
        return ok, f"{response.status_code}, {len(response.content)} bytes"

    def pivot():
        # what the pivot view asks: months by priority, its measures
        error, groups = call_kw(
            session,
            node.url,
            "itss.incident.report",
            "read_group",
            [
                [],
                [
                    "nbr:sum",
                    "resolved:sum",
                    "resolve_in_sla:sum",
                    "response_in_sla:sum",
                ],
                ["date:month", "itss_priority"],
            ],
            {"lazy": False},
        )
        return not error, error or f"{len(groups)} groups"

    def xlsx():
        error, action = call_kw(
            session,
            node.url,
            "itss.service.report",
            "action_xlsx",
            [[wizard_id]],
            button=True,
        )
        return not error and "url" in (action or {}), error or action["url"]

    rows, failures = [], []
    for name, func in (
        ("service report PDF", pdf),
        ("incident pivot", pivot),
        ("XLSX export", xlsx),
    ):
        key = name.split()[1]
        for log in (primary_log, replica_log):
            log.mark(f"{key}-start")
        started = time.perf_counter()
        ok, what = func()
        seconds = time.perf_counter() - started
        time.sleep(0.5)
        for log in (primary_log, replica_log):
            log.mark(f"{key}-end")
        time.sleep(0.5)
        on_replica = replica_log.between(f"{key}-start", f"{key}-end")
        on_primary = primary_log.between(f"{key}-start", f"{key}-end")
        ticket_reads = [s for s in on_replica if "helpdesk_ticket" in s]
        primary_reads = [
            s for s in on_primary if "helpdesk_ticket" in s and "select" in s.lower()
        ]
        writes = [s for s in on_replica if re.search(r"\b(INSERT|UPDATE|DELETE)\b", s)]
        rows.append(
            (
                name,
                what,
                seconds,
                len(on_replica),
                len(ticket_reads),
                len(on_primary),
                len(primary_reads),
            )
        )
        if not ok:
            failures.append(f"{name}: {what}")
        if not ticket_reads:
            failures.append(f"{name}: no query on the replica read the tickets")
        if primary_reads:
            failures.append(
                f"{name}: {len(primary_reads)} ticket queries on the primary, e.g. {primary_reads[0][:300]}"
            )
        if writes:
            failures.append(f"{name}: writes tried on the replica: {writes[0][:300]}")
    return rows, failures


def enable_primary_log(dsn, on):
    cnx = psycopg2.connect(dsn)
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            if on:
                cr.execute("ALTER SYSTEM SET log_statement = 'all'")
                cr.execute("ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '")
            else:
                cr.execute("ALTER SYSTEM RESET log_statement")
            cr.execute("SELECT pg_reload_conf()")
    finally:
        cnx.close()
    time.sleep(0.5)


# --- figures ---------------------------------------------------------------------------


def percentile(values, pct):
    values = sorted(values)
    return (
        values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]
        if values
        else 0.0
    )


def print_figures(stats, seconds):
    print(
        f"\n{'request':<28}{'ok':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  errors"
    )
    for kind in sorted(set(stats.latency) | set(stats.errors)):
        values = stats.latency.get(kind, [])
        errors = (
            ", ".join(
                f"{e}: {n}" for e, n in sorted(stats.errors.get(kind, {}).items())
            )
            or "-"
        )
        print(
            f"{kind:<28}{len(values):>7}{len(values) / seconds:>8.1f}{percentile(values, 50) * 1000:>9.0f}"
            f"{percentile(values, 95) * 1000:>9.0f}{percentile(values, 99) * 1000:>9.0f}  {errors}"
        )
    posts = stats.latency.get("alert firing", []) + stats.latency.get(
        "alert resolved", []
    )
    rate, p95 = len(posts) / seconds, percentile(posts, 95)
    met = rate >= ALERT_TARGET_RATE and p95 <= ALERT_TARGET_P95
    print(
        f"\nalert posts: {rate:.1f}/s (target {ALERT_TARGET_RATE:.0f}/s), p95 {p95 * 1000:.0f} ms "
        f"(target {ALERT_TARGET_P95 * 1000:.0f} ms): {'met' if met else 'MISSED'}"
    )
    return met


ACCESS = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')


def print_profile(logs):
    """Where the time goes, from the servers' access log: per route, requests, SQL
    queries per request, and time in SQL and in Python (Odoo logs both per request)."""
    routes = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for path in logs:
        with open(path, errors="replace") as log:
            for match in ACCESS.finditer(log.read()):
                route = re.sub(r"/\d+", "/<id>", match.group(2).split("?")[0])
                route = re.sub(
                    r"^/web/dataset/(call_\w+)/[\w.]+/(\w+)",
                    r"/web/dataset/\1 \2",
                    route,
                )
                row = routes[f"{match.group(1)} {route}"]
                row[0] += 1
                row[1] += int(match.group(4))
                row[2] += float(match.group(5))
                row[3] += float(match.group(6))
    print(
        "\nserver side, both nodes (Odoo's access log: queries, SQL time, other time)"
    )
    print(
        f"{'route':<52}{'requests':>9}{'queries/req':>12}{'SQL ms/req':>11}{'other ms/req':>13}"
    )
    for route, (n, queries, sql, other) in sorted(
        routes.items(), key=lambda r: -(r[1][2] + r[1][3])
    )[:12]:
        print(
            f"{route[:51]:<52}{n:>9}{queries / n:>12.1f}{sql / n * 1000:>11.1f}{other / n * 1000:>13.1f}"
        )


def worker_pids(node):
    """(cron worker, HTTP workers) of ``node``'s prefork server: Odoo runs its cron
    workers at nice 10; the gevent (websocket) process is left out."""
    cron, http = None, []
    children = subprocess.run(
        ["pgrep", "-P", str(node.proc.pid)], capture_output=True, text=True
    ).stdout.split()
    for pid in children:
        try:
            with open(f"/proc/{pid}/cmdline") as cmd:
                if "gevent" in cmd.read().split("\0"):  # not --gevent-port
                    continue
            with open(f"/proc/{pid}/stat") as stat:
                nice = int(stat.read().rsplit(")", 1)[1].split()[16])
        except OSError:
            continue
        if nice > 0:
            cron = pid
        else:
            http.append(pid)
    return cron, http


class Profiler:
    """Where the time goes while the load runs: a sampling profile of one cron worker
    and one HTTP worker (py-spy, when on PATH), and what the database's sessions are
    doing (pg_stat_activity every second: running, or waiting for a lock, or idle in
    an open transaction, and the longest transaction)."""

    def __init__(self, dsn, db, workdir):
        self.dsn, self.db, self.workdir = dsn, db, workdir
        self.samples = defaultdict(int)
        self.longest = (0.0, "")
        self.spies = []
        self.ticks = 0

    def sample(self, stop):
        cnx = psycopg2.connect(self.dsn)
        cnx.autocommit = True
        with cnx.cursor() as cr:
            while not stop.is_set():
                cr.execute(
                    """SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu'),
                              regexp_replace(left(ltrim(query), 60), '\\s+', ' ', 'g'),
                              extract(epoch FROM now() - xact_start)
                         FROM pg_stat_activity
                        WHERE datname = %s AND pid <> pg_backend_pid() AND state <> 'idle'""",
                    (self.db,),
                )
                self.ticks += 1
                for state, wait, query, age in cr.fetchall():
                    what = "idle in transaction" if state.startswith("idle") else wait
                    self.samples[(what, query)] += 1
                    if age and age > self.longest[0]:
                        self.longest = (float(age), query)
                stop.wait(1)
        cnx.close()

    def spy(self, nodes, seconds):
        spy = shutil.which("py-spy")
        if not spy:
            return
        cron, http = worker_pids(nodes[0])
        for name, pid in (("cron", cron), ("http", http[0] if http else None)):
            if pid:
                out = os.path.join(self.workdir, f"py-spy-{name}.txt")
                self.spies.append(
                    (
                        name,
                        out,
                        subprocess.Popen(
                            [
                                spy,
                                "record",
                                "-p",
                                pid,
                                "-d",
                                str(seconds),
                                "-r",
                                "50",
                                "--idle",
                                "-f",
                                "raw",
                                "-o",
                                out,
                            ],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        ),
                    )
                )

    def report(self):
        print(
            f"\ndatabase sessions of {self.db}, {self.ticks} samples (1/s): share of samples"
        )
        for (what, query), n in sorted(self.samples.items(), key=lambda r: -r[1])[:12]:
            print(f"{n / self.ticks:>6.2f} sessions  {what:<28} {query}")
        print(f"longest transaction: {self.longest[0]:.1f} s ({self.longest[1]})")
        if not self.spies:
            print("(py-spy not on PATH: no sampling profile of the workers)")
        for name, out, proc in self.spies:
            proc.wait()
            # busy time only: not the worker waiting for work (its sleep) nor the
            # main thread waiting for the worker thread; the framework's trunk
            # (server loop, WSGI, dispatch) left out of the inclusive list
            inclusive, leaf, samples, busy = defaultdict(int), defaultdict(int), 0, 0
            if os.path.exists(out):
                for line in open(out):
                    stack, _sep, count = line.rstrip().rpartition(" ")
                    if not count.isdigit():
                        continue
                    count = int(count)
                    samples += count
                    frames = [
                        re.sub(r" \(.*?([\w/.]+\.py):\d+\)", r" (\1)", f)
                        for f in stack.split(";")
                    ]
                    if IDLE.search(frames[-1]):
                        continue
                    busy += count
                    leaf[frames[-1]] += count
                    for frame in set(frames):
                        if (
                            "itss_incident" in frame or "odoo/" in frame
                        ) and not TRUNK.search(frame):
                            inclusive[frame] += count
            print(
                f"\npy-spy, node 0's {name} worker: {samples} samples, {busy} busy "
                f"({busy / max(samples, 1):.0%}); share of busy time, own (leaf frames):"
            )
            for frame, n in sorted(leaf.items(), key=lambda r: -r[1])[:8]:
                print(f"{n / max(busy, 1):>6.1%}  {frame[:110]}")
            print("inclusive, Odoo's and our frames:")
            for frame, n in sorted(inclusive.items(), key=lambda r: -r[1])[:16]:
                print(f"{n / max(busy, 1):>6.1%}  {frame[:110]}")


IDLE = re.compile(r"^(Worker\w*\.sleep|Thread\._wait_for_tstate_lock|select|poll) ")
TRUNK = re.compile(
    r"\((odoo/service/(server|model)\.py|odoo/cli/|odoo/__main__\.py|odoo/http\.py|"
    r"odoo/addons/base/models/ir_(http|cron)\.py)\)"
)


# --- main ------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir")
    parser.add_argument("conf")
    parser.add_argument("db")
    parser.add_argument(
        "--duration", type=int, default=240, help="seconds of load (default 240)"
    )
    parser.add_argument(
        "--short", action="store_true", help="70 s of load, for development"
    )
    parser.add_argument(
        "--no-replica", action="store_true", help="no replica, no report checks"
    )
    parser.add_argument("--customers", type=int, default=6)
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument(
        "--alert-clients",
        type=int,
        default=4,
        help="burst senders (each 4 posts at once)",
    )
    args = parser.parse_args()
    duration = 70 if args.short else args.duration
    if not (args.short or 60 <= duration <= 600):
        parser.error("--duration: 60 to 600 seconds (two cron ticks at least, bounded)")
    from configparser import ConfigParser

    ini = ConfigParser()
    ini.read(args.conf)
    options = ini["options"]
    pg_dir, pg_port = options["db_host"], int(options["db_port"])
    dsn = f"host={pg_dir} port={pg_port} dbname={args.db} user={options['db_user']}"
    admin_dsn = f"host={pg_dir} port={pg_port} dbname={args.db} user=postgres"
    pg_bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")

    say("Setting up customers, agents, a team, an alert source; crons every minute")
    fixtures = setup(args.conf, args.db, args.customers, args.agents)
    conf = os.path.join(args.workdir, "nodes.conf")
    lines = [
        line
        for line in open(args.conf)
        if not line.startswith(("max_cron_threads", "log_level"))
    ]
    replica = None
    if not args.no_replica:
        say("Starting a streaming replica (pg_basebackup -R)")
        replica = start_replica(pg_bin, pg_dir, pg_port, args.workdir)
        lines += [
            f"db_replica_host = {replica[0]}\n",
            f"db_replica_port = {replica[1]}\n",
        ]
    with open(conf, "w") as out:
        out.writelines(lines)
    failures = []
    nodes = []
    try:
        nodes = [Node(i, sys.executable, conf, args.db, args.workdir) for i in range(2)]
        for node in nodes:
            node.wait_ready()
        for node in nodes:  # wkhtmltopdf reads the assets from a node
            requests.get(node.url + "/web/login", timeout=120)
        with psycopg2.connect(dsn) as cnx, cnx.cursor() as cr:
            cr.execute(
                "UPDATE ir_config_parameter SET value = %s WHERE key = 'web.base.url'",
                (nodes[0].url,),
            )
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES ('report.url', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (nodes[0].url,),
            )
        say(f"Two nodes up ({', '.join(n.url for n in nodes)}); {duration} s of load")
        stats = Stats()
        load = Load(nodes, args.db, fixtures, duration, stats)
        threads = (
            [
                threading.Thread(target=load.customer, args=(i,))
                for i in range(args.customers)
            ]
            + [
                threading.Thread(target=load.alerts, args=(i,))
                for i in range(args.alert_clients)
            ]
            + [
                threading.Thread(target=load.agent, args=(i,))
                for i in range(args.agents)
            ]
        )
        profiler = Profiler(admin_dsn, args.db, args.workdir)
        stop_sampling = threading.Event()
        sampler = threading.Thread(target=profiler.sample, args=(stop_sampling,))
        sampler.start()
        started = time.time()
        for thread in threads:
            thread.start()
        profiler.spy(nodes, duration - 5)
        last_shift = None
        while load.running():
            time.sleep(
                min(
                    SHIFT_EVERY / 2 if last_shift is None else SHIFT_EVERY,
                    max(load.stop_at - time.time(), 0),
                )
            )
            if load.running():
                last_shift = shift_dates(admin_dsn, fixtures)
        for thread in threads:
            thread.join()
        seconds = time.time() - started
        stop_sampling.set()
        sampler.join()
        last_shift = shift_dates(admin_dsn, fixtures)
        say("Load over: checking the database (waiting for the due cron work)")
        failures += check(dsn, load, stats, fixtures, last_shift)
        print_figures(stats, seconds)
        print_profile([n.log for n in nodes])
        profiler.report()
        if replica:
            say("Reports on the replica")
            primary_log = os.path.join(pg_dir, "postgres.log")
            enable_primary_log(admin_dsn, True)
            try:
                rows, report_failures = run_reports(
                    nodes[1],
                    args.db,
                    fixtures,
                    StatementLog(admin_dsn, primary_log),
                    StatementLog(
                        f"host={replica[0]} port={replica[1]} dbname={args.db} user=postgres",
                        os.path.join(replica[0], "postgres.log"),
                    ),
                )
            finally:
                enable_primary_log(admin_dsn, False)
            print(
                f"\n{'report':<22}{'seconds':>8}{'replica stmts':>14}{'ticket reads':>13}"
                f"{'primary stmts':>14}{'ticket reads':>13}  result"
            )
            for name, what, secs, rep, rep_t, pri, pri_t in rows:
                print(
                    f"{name:<22}{secs:>8.2f}{rep:>14}{rep_t:>13}{pri:>14}{pri_t:>13}  {what}"
                )
            failures += report_failures
        for node in nodes:
            with open(node.log, errors="replace") as log:
                tracebacks = log.read().count("Traceback")
            print(f"node {node.index} log: {tracebacks} tracebacks ({node.log})")
    finally:
        for node in nodes:
            node.stop()
        if replica:
            stop_replica(pg_bin, replica[0])
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll correctness checks passed.")


if __name__ == "__main__":
    main()

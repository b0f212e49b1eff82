"""The differences between Odoo 18.0 and 19.0 that the addons meet, in one place.

The addons run from one tree on both series. Python code asks this module, never
``odoo.release``; each shim below names the Odoo change it covers. XML data cannot be
shimmed from Python: the data files are written in forms both series accept, and the
few records whose fields differ are written by the hook ``itss.compat`` (in
``models/itss_compat.py``), called from the data files with ``<function>``:

- ``_set_privilege``: the ITSS roles' place in the user form. 18.0: the groups'
  ``category_id``; 19.0: a ``res.groups.privilege`` (``privilege_id``, new in 19.0)
  in that category, created with the xml id ``itss_incident.res_groups_privilege_itss``.
- ``_add_users``: users of a group (18.0 ``res.groups.users``, 19.0 ``user_ids``):
  the incident manager and major incident manager groups for root and admin.
- ``_set_groups``: groups of a record (18.0 ``groups_id``, 19.0 ``group_ids``): the
  demo users' roles, the server actions' and reports' groups.
- ``_keep_done``: done escalation calls stay on the ticket (18.0
  ``mail.activity.type.keep_done``; 19.0 keeps every done activity, archived).
- ``_set_mobile``: the demo people's mobile numbers (18.0 ``res.partner.mobile``; 19.0
  has no mobile field, the number goes to ``phone``).
"""

import contextlib

from odoo import models, release

try:  # odoo/odoo 19.0 moved Intervals and float_to_time from resource's utils to
    # odoo.tools
    from odoo.tools.date_utils import float_to_time
    from odoo.tools.intervals import Intervals
except ImportError:  # 18.0
    from odoo.addons.resource.models.utils import Intervals, float_to_time

SERIES = release.serie
V19 = release.version_info[0] >= 19

# odoo/odoo 19.0: res.users.groups_id became group_ids, res.groups.users user_ids, and
# the same for the groups of actions, reports, menus and views (groups_id -> group_ids).
GROUPS = "group_ids" if V19 else "groups_id"
USERS = "user_ids" if V19 else "users"

# odoo/odoo 19.0 removed res.partner.mobile (one phone field): text messages go to the
# phone there.
MOBILE = "phone" if V19 else "mobile"


__all__ = ["Intervals", "float_to_time"]


# odoo/odoo 19.0 answers a UserError raised by an http route with 422 Unprocessable
# Content (18.0: 400 Bad Request); the page shows the message on both.
USER_ERROR_STATUS = 422 if V19 else 400


def mobile(partner):
    """The number a text message to ``partner`` goes to, or False."""
    return partner[MOBILE] or False


def separate_mobile(partner):
    """The partner's mobile when it has one besides its phone (18.0), else False:
    19.0 keeps one number, the phone."""
    return False if V19 else partner.mobile or False


def users_of(group):
    """The users explicitly in ``group`` (no implied groups)."""
    return group[USERS]


def in_group_domain(groups):
    """A res.users domain: users explicitly in one of ``groups``."""
    return [(GROUPS, "in", groups.ids)]


def sql_constraints(cls):
    """Class decorator: the model's ``_sql_constraints`` on both series.

    18.0 reads ``_sql_constraints = [(name, definition, message)]``; 19.0 ignores it
    (with a warning) and wants one ``models.Constraint`` class attribute ``_<name>`` per
    constraint (odoo/odoo 19.0, ``odoo/orm/table_objects.py``). The database name is
    ``<table>_<name>`` on both, so an upgrade keeps the constraint.
    """
    if not V19:
        return cls
    for name, definition, message in cls.__dict__.get("_sql_constraints", ()):
        constraint = models.Constraint(definition, message)
        setattr(cls, f"_{name}", constraint)
        constraint.__set_name__(cls, f"_{name}")
    if "_sql_constraints" in cls.__dict__:
        delattr(cls, "_sql_constraints")
    return cls


def declared_constraints(model, modules):
    """The names of the SQL constraints ``modules`` declare on ``model``."""
    if V19:
        return [
            obj.name
            for obj in model._table_objects.values()
            if isinstance(obj, models.Constraint) and obj._module in modules
        ]
    names = []
    for cls in type(model).__mro__:
        if getattr(cls, "_module", None) in modules:
            names += [
                key for key, _def, _msg in cls.__dict__.get("_sql_constraints", ())
            ]
    return names


def cron_progress(env, done, remaining):
    """Tell the cron runner how much of a batch is done and how much is left.

    18.0: ``ir.cron._notify_progress``. 19.0 deprecates it for ``_commit_progress``,
    which also commits (outside a cron too): there it is only called inside a cron
    run, where the runner commits after each batch on 18.0 as well.
    """
    cron = env["ir.cron"]
    if not V19:
        cron._notify_progress(done=done, remaining=remaining)
        if done and remaining and env.context.get("cron_id"):
            # 18.0's runner calls a job at most 10 times a run, then leaves the rest
            # to the cron worker's next poll, a minute later: a trigger at once wakes
            # it (19.0's runner keeps calling for a minimum time and reschedules
            # itself)
            cron.browse(env.context["cron_id"])._trigger()
    elif env.context.get("ir_cron_progress_id"):
        cron._commit_progress(done, remaining=remaining)


def wkhtmltopdf_bin():
    """The wkhtmltopdf Odoo prints with (odoo/odoo 19.0 replaced
    ``_get_wkhtmltopdf_bin()`` by the cached ``_wkhtml().bin``)."""
    from odoo.addons.base.models import ir_actions_report

    if V19:
        return ir_actions_report._wkhtml().bin
    return ir_actions_report._get_wkhtmltopdf_bin()


def allow_requests(case):
    """Context for an HttpCase whose requests come from outside its own opener and
    browser (threads, Alertmanager). odoo/odoo 19.0 serves a request during a test only
    while the test thread has released the registry's test lock and with the test's
    cookie (``HttpCase.allow_requests``); 18.0 serves every request."""
    if V19:
        return case.allow_requests(all_requests=True)
    return contextlib.nullcontext()


def test_lock(registry):
    """The lock a request's test cursor holds while it runs (18.0: the registry's
    ``test_lock``; odoo/odoo 19.0: one module-level lock of ``odoo.tests.common``)."""
    if V19:
        from odoo.tests import common

        return common._registry_test_lock
    return registry.test_lock


@contextlib.contextmanager
def smtp_in_tests(env):
    """Let mails really go to an SMTP server during a test (a local sink): odoo/odoo
    19.0 disables sending while a test runs (``ir.mail_server._disable_send``); 18.0
    sends."""
    if not V19:
        yield
        return
    from unittest.mock import patch

    with patch.object(
        type(env["ir.mail_server"]), "_disable_send", classmethod(lambda cls: False)
    ):
        yield

"""Project-wide pytest hooks.

- Odoo test modules are collected as Odoo's own test runner collects them: only the
  test classes defined in the module itself, and only the test methods a class defines
  (unless it sets ``allow_inherited_tests_method``). pytest alone would also run the
  classes a test module imports (helpdesk_mgmt's ``test_js`` imports web's
  ``WebSuite``) and every inherited method, which is not that module's suite.
- A skipped test fails the run: pytest-odoo silently skips HttpCase tests (tours)
  without ``--odoo-http``, and a test skipped for a missing tool proves nothing.
"""

import unittest

import pytest

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("skipped tests fail this run", red=True)
        for report in _skipped:
            reason = (
                report.longrepr[2]
                if isinstance(report.longrepr, tuple)
                else report.longrepr
            )
            terminalreporter.write_line(f"{report.nodeid}: {reason}")


def _odoo_runner_collects(item):
    cls = getattr(item, "cls", None)
    if cls is None or not issubclass(cls, unittest.TestCase):
        return True
    if cls.__module__ != item.module.__name__:
        return False
    name = getattr(item, "originalname", None) or item.name
    return getattr(cls, "allow_inherited_tests_method", False) or name in cls.__dict__


def pytest_collection_modifyitems(config, items):
    deselected = [item for item in items if not _odoo_runner_collects(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if _odoo_runner_collects(item)]


def pytest_collection_finish(session):
    """Read every addon's manifest once, before any test server thread runs.

    Python 3.11 before 3.11.8 may raise "SystemError: AST constructor recursion depth
    mismatch" when two threads parse Python source at once (python/cpython#106905):
    the HTTP threads of a PDF or tour test reading manifests together did, now and
    then. Odoo caches each manifest after its first read.
    """
    try:
        from odoo.modules.module import get_manifest, get_modules
    except ImportError:
        return
    for name in get_modules():
        get_manifest(name)

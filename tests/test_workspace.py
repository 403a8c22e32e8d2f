"""The workspace commands: what `./o2o test` counts and how `./o2o run` finds Odoo."""

import os
import subprocess
import sys
import time

from conftest import ROOT


def test_summary_and_skip_lines_are_recognised(cli):
    summary = (
        "2026-11-23 12:00:00,000 42 INFO o2o_test_1 odoo.tests.result: "
        "0 failed, 1 error(s) of 57 tests when loading database 'o2o_test_1'"
    )
    assert cli.SUMMARY_RE.search(summary).groups() == ("0", "1", "57")
    skip = (
        "2026-11-23 12:00:00,000 42 INFO o2o_test_1 odoo.addons.o2o_base.tests.test_tours: "
        "skipped test_dashboard_tour (odoo.addons.o2o_base.tests.test_tours.TestTours) : "
        "websocket-client module is not installed"
    )
    assert "websocket-client" in cli.SKIP_RE.search(skip).group(2)
    error = "2026-11-23 12:00:00,000 42 ERROR o2o_test_1 odoo.modules.loading: boom"
    assert cli.LOG_ERROR_RE.search(error)
    assert not cli.LOG_ERROR_RE.search(skip)


def test_every_addon_is_found(cli):
    addons = cli.o2o_addons()
    assert "o2o_base" in addons
    assert all((ROOT / "addons" / name / "__manifest__.py").is_file() for name in addons)


def test_run_stops_with_instructions_without_odoo(tmp_path):
    env = dict(os.environ, ODOO_PATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, str(ROOT / "o2o"), "run"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "does not hold an Odoo source tree" in result.stderr
    assert "git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git" in result.stderr


def test_ci_calls_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "./o2o test" in ci
    assert "./o2o test" in readme


def test_skips_fail_unless_an_optional_odoo_module_is_missing(cli):
    summary = (0, 0, 10)
    missing_tool = ["TestTours.test_dashboard_tour: websocket-client module is not installed"]
    passed, failed, skipped, problems = cli.summarise_odoo_run(0, summary, missing_tool, [], None, "log")
    assert (passed, failed, skipped) == (9, 1, 0)
    optional = ["TestPoSSale.test_pos_repair: Repair module is required for this test"]
    passed, failed, skipped, problems = cli.summarise_odoo_run(
        0, summary, optional, [], None, "log", allowed_skip=r"module is required for this test"
    )
    assert (passed, failed, skipped) == (9, 0, 1)
    passed, failed, skipped, problems = cli.summarise_odoo_run(1, None, [], [], None, "log")
    assert failed == 1 and "stopped before reporting" in problems[0]


def test_only_odoos_own_tours_may_log_an_error_after_they_passed(cli):
    after = (
        "2026-12-03 16:17:39,891 1 ERROR o2o_compat_1 odoo.addons.website_sale_loyalty.tests.t.T.test_x"
        ".browser: Error received after termination: TypeError: Cannot read properties of undefined"
    )
    other = "2026-12-03 16:17:39,891 1 ERROR o2o_compat_1 odoo.sql_db: bad query"
    odoo_suites = {"allowed_skip": cli.ODOO_ALLOWED_SKIPS, "allowed_error": cli.ODOO_AFTER_TOUR_ERRORS}
    passed, failed, _skipped, problems = cli.summarise_odoo_run(
        0, (0, 0, 10), [], [after], None, "log", **odoo_suites
    )
    assert (passed, failed) == (10, 0) and "listed, not counted" in problems[0]
    assert cli.summarise_odoo_run(0, (0, 0, 10), [], [after, other], None, "log", **odoo_suites)[1] == 1
    assert cli.summarise_odoo_run(0, (0, 0, 10), [], [after], None, "log")[1] == 1, (
        "our own tours stay strict"
    )


def _follow(cli, script, monkeypatch, **limits):
    for name, value in limits.items():
        monkeypatch.setenv(name, str(value))
    proc = subprocess.Popen(
        ["sh", "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen = []
    started = time.monotonic()
    hang = cli.follow_odoo(proc, seen.append, lambda: any("of 3 tests" in line for line in seen))
    cli.kill_group(proc)
    return proc.wait(), seen, hang, time.monotonic() - started


def test_a_helper_left_behind_does_not_hold_the_test_run(cli, monkeypatch, tmp_path):
    # A browser helper that outlives Odoo keeps Odoo's output open; the run still ends.
    pidfile = tmp_path / "helper.pid"
    returncode, seen, hang, took = _follow(
        cli, f"sleep 300 & echo $! > {pidfile}; echo finished", monkeypatch
    )
    assert (returncode, hang) == (0, None)
    assert seen == ["finished\n"]
    assert took < 30
    helper = int(pidfile.read_text())
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{helper}") or "Z" in open(f"/proc/{helper}/stat").read().split()[2]


def test_odoo_that_does_not_exit_after_its_tests_is_stopped_and_counted(cli, monkeypatch):
    script = "echo '0 failed, 0 error(s) of 3 tests when loading database x'; trap '' QUIT; sleep 300"
    returncode, _seen, hang, took = _follow(cli, script, monkeypatch, O2O_EXIT_TIMEOUT=2)
    assert returncode == -9
    assert "did not exit within 2s" in hang
    assert took < 30
    passed, failed, _skipped, problems = cli.summarise_odoo_run(returncode, (0, 0, 3), [], [], hang, "log")
    assert (passed, failed) == (3, 1)
    assert "did not exit" in problems[0]


def test_odoo_running_past_its_time_limit_is_stopped(cli, monkeypatch):
    returncode, _seen, hang, took = _follow(cli, "echo working; sleep 300", monkeypatch, O2O_TEST_TIMEOUT=2)
    assert returncode < 0
    assert "O2O_TEST_TIMEOUT" in hang
    assert took < 30

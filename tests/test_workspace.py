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


def test_failed_test_lines_name_the_test_to_run_again(cli):
    fail = (
        "2026-12-07 03:42:21,843 10421 ERROR o2o_compat_pos_1 odoo.addons.point_of_sale.tests."
        "test_pos_cash_rounding: FAIL: TestPosCashRounding.test_cash_rounding_halfup_add_invoice_line "
    )
    error = "2026-12-07 03:42:21,843 1 ERROR db odoo.addons.pos_sale.tests.test_pos_sale_flow: ERROR: TestPoSSale.test_x"
    assert cli.FAILED_TEST_RE.search(fail).groups() == (
        "point_of_sale",
        "TestPosCashRounding",
        "test_cash_rounding_halfup_add_invoice_line",
    )
    assert cli.FAILED_TEST_RE.search(error).groups() == ("pos_sale", "TestPoSSale", "test_x")
    # A class that failed to set up names no single test: nothing is run again for it.
    setup = "2026-12-07 03:42:21,843 1 ERROR db odoo.addons.pos_sale.tests.t: ERROR: setUpClass (odoo.addons.pos_sale.tests.t.T)"
    assert not cli.FAILED_TEST_RE.search(setup)


def _fake_test_command(cli, monkeypatch, tmp_path, outcomes, uninstalled=(4, 0, [])):
    """./o2o test with Odoo's runs replaced by ``outcomes[(dbname prefix)]`` (one per call), and
    the uninstall check by ``uninstalled`` ((passed, failed, problems))."""
    calls = []

    def fake_uninstall(env, params, dbname, log_path, prefix=""):
        calls.append(("uninstall", dbname.rsplit("_", 1)[0]))
        return uninstalled

    def fake_run(odoo, env, params, dbname, modules, log_path, tags=None, extra=(), prefix="", failures=None):
        key = dbname.rsplit("_", 1)[0] if not dbname.endswith("_again") else "again"
        calls.append((key, tags))
        result, failed_tests = outcomes[key].pop(0)
        if failures is not None:
            failures.extend(failed_tests)
        return result

    monkeypatch.setattr(cli, "pip_install", lambda *a: None)
    monkeypatch.setattr(cli, "find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(cli.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(cli, "find_odoo", lambda: ([sys.executable, "-m", "odoo"], {}))
    monkeypatch.setattr(cli, "find_postgres", lambda: {})
    monkeypatch.setattr(cli, "drop_database", lambda params, name: None)
    monkeypatch.setattr(cli, "run_pytest", lambda path: (0, 0))
    monkeypatch.setattr(cli, "run_odoo_tests", fake_run)
    monkeypatch.setattr(cli, "check_uninstall", fake_uninstall)
    monkeypatch.setattr(cli, "VAR", tmp_path)
    args = type("Args", (), {"modules": None, "jobs": 1, "no_odoo_suites": False, "keep_db": False})
    return cli.cmd_test(args), calls


def test_odoos_own_tests_failing_beside_another_run_are_run_again_alone(cli, monkeypatch, tmp_path, capsys):
    tour = ("point_of_sale", "TestPosCashRounding", "test_invoice_tour")
    failed_line = "2026-12-07 03:42:21,843 1 ERROR db odoo.addons.point_of_sale.tests.t: FAIL: TestPosCashRounding.test_invoice_tour"
    passed = (0, (0, 0, 40), [], [], None)
    outcomes = {
        "o2o_compat_pos": [((1, (1, 0, 40), [], [failed_line], None), [tour])],
        "o2o_test": [(passed, [])],
        "o2o_compat": [(passed, [])],
        "again": [((0, (0, 0, 1), [], [], None), [])],
    }
    code, calls = _fake_test_command(cli, monkeypatch, tmp_path, outcomes)
    out = capsys.readouterr().out
    assert code == 0
    assert ("again", ["/point_of_sale:TestPosCashRounding.test_invoice_tour"]) in calls
    assert "passed alone" in out and "124 passed, 0 failed" in out
    assert [call for call in calls if call[0] == "uninstall"] == [("uninstall", "o2o_test")], (
        "the o2o addons are uninstalled from the database our tests ran on, once"
    )

    # Failing again alone: counted. Our own suite's failures are never run again.
    outcomes["o2o_compat_pos"] = [((1, (1, 0, 40), [], [failed_line], None), [tour])]
    outcomes["o2o_test"] = [((1, (1, 0, 40), [], [], None), [("o2o_base", "TestX", "test_y")])]
    outcomes["o2o_compat"] = [(passed, [])]
    outcomes["again"] = [((1, (1, 0, 1), [], [], None), [tour])]
    code, calls = _fake_test_command(cli, monkeypatch, tmp_path, outcomes)
    out = capsys.readouterr().out
    assert code == 1
    assert [key for key, _tags in calls].count("again") == 1
    assert "failed again when run alone" in out and "122 passed, 2 failed" in out


def test_an_addon_that_leaves_something_behind_fails_the_run(cli, monkeypatch, tmp_path, capsys):
    passed = (0, (0, 0, 40), [], [], None)
    outcomes = {"o2o_compat_pos": [(passed, [])], "o2o_test": [(passed, [])], "o2o_compat": [(passed, [])]}
    left = (3, 1, ["uninstall: FAIL o2o_pickup: state uninstalled; left behind: table o2o_pickup_x"])
    code, _calls = _fake_test_command(cli, monkeypatch, tmp_path, outcomes, uninstalled=left)
    out = capsys.readouterr().out
    assert code == 1
    assert "left behind: table o2o_pickup_x" in out and "123 passed, 1 failed" in out

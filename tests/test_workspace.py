"""The workspace commands: what `./o2o test` counts and how `./o2o run` finds Odoo."""

import os
import subprocess
import sys

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
    passed, failed, skipped, problems = cli.summarise_odoo_run(0, summary, missing_tool, [], "log")
    assert (passed, failed, skipped) == (9, 1, 0)
    optional = ["TestPoSSale.test_pos_repair: Repair module is required for this test"]
    passed, failed, skipped, problems = cli.summarise_odoo_run(
        0, summary, optional, [], "log", allowed_skip=r"module is required for this test"
    )
    assert (passed, failed, skipped) == (9, 0, 1)
    passed, failed, skipped, problems = cli.summarise_odoo_run(1, None, [], [], "log")
    assert failed == 1 and "stopped before reporting" in problems[0]

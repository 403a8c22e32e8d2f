"""o2o workspace commands.

    ./o2o run     install dependencies, find Odoo 18 and PostgreSQL, create or update
                  the database with every o2o addon and its demo data, serve on :8069
    ./o2o test    install every o2o addon on a throw-away database, run all o2o tests
                  (Odoo tests with browser tours, then tests/), print `N passed, N failed`
    ./o2o lint    ruff and pylint-odoo on the project (as pre-commit runs them)

Settings come from the environment: ODOO_PATH (an Odoo 18 source checkout, when Odoo
is not importable), PGHOST/PGPORT/PGUSER/PGPASSWORD (PostgreSQL), O2O_DB (database of
`run`, default o2o), O2O_HTTP_PORT (default 8069), O2O_TEST_JOBS (Odoo test runs at a
time), O2O_TEST_TIMEOUT and O2O_EXIT_TIMEOUT (limits of one Odoo test run of `test`, see the
README).
"""

import argparse
import getpass
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout (this file is tools/o2o_cli.py)
ADDONS = ROOT / "addons"
VAR = ROOT / "var"
CONF = ROOT / "odoo.conf"
PYTHON = sys.executable

ODOO_HELP = """\
Odoo 18 was not found. o2o runs on Odoo 18.0 Community, which you install once:

    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git ~/odoo18
    sudo apt-get install -y libpq-dev libldap2-dev libsasl2-dev wkhtmltopdf  # psycopg2, python-ldap; PDFs
    {python} -m pip install -r ~/odoo18/requirements.txt
    {python} -m pip install --no-deps -e ~/odoo18

then run this command again. Instead of `pip install -e`, you may set
ODOO_PATH=~/odoo18 (the folder holding odoo-bin)."""


def say(message):
    print(f"[o2o] {message}", flush=True)


def die(message, code=2):
    print(f"[o2o] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


# ----------------------------------------------------------------------
# Python dependencies and Odoo
# ----------------------------------------------------------------------


def pip_install(*requirement_files):
    """Our Python dependencies, then the OCA addons we build on (requirements-oca.txt) without
    theirs: they ask for an Odoo installed in Python, which ODOO_PATH users do not have."""
    base = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = [base + [arg for req in requirement_files for arg in ("-r", str(ROOT / req))]]
    steps.append(base + ["--no-deps", "-r", str(ROOT / "requirements-oca.txt")])
    say(f"Installing Python dependencies ({', '.join(requirement_files + ('requirements-oca.txt',))})")
    for args in steps:
        if subprocess.run(args, check=False).returncode:
            die("pip could not install the Python dependencies (see above).")


def odoo_env(odoo_path):
    env = dict(os.environ, TZ="UTC", PYTHONUNBUFFERED="1")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(odoo_path), env.get("PYTHONPATH")]))
    return env


def editable_odoo_path():
    """The source tree of an Odoo installed with `pip install -e`, or None.

    Such an install is found through an import hook that comes after Python's own search, and an
    OCA addon from PyPI (requirements-oca.txt) puts an `odoo/addons/` folder in site-packages:
    Python then takes `odoo` for an empty namespace package. On the path, the tree comes first."""
    probe = subprocess.run(
        [
            PYTHON,
            "-c",
            "import importlib.metadata as m; "
            "print(m.distribution('odoo').read_text('direct_url.json') or '')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        info = json.loads(probe.stdout or "{}")
    except ValueError:
        return None
    url = info.get("url", "") if info.get("dir_info", {}).get("editable") else ""
    path = Path(url[len("file://") :]) if url.startswith("file://") else None
    return path if path and (path / "odoo" / "release.py").is_file() else None


def find_odoo():
    """Return (command prefix, environment) to run Odoo 18, or stop with instructions."""
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path:
        odoo_path = Path(odoo_path).expanduser().resolve()
        if not (odoo_path / "odoo" / "release.py").is_file():
            die(
                f"ODOO_PATH={odoo_path} does not hold an Odoo source tree (no odoo/release.py).\n\n"
                + ODOO_HELP.format(python=PYTHON)
            )
    odoo_path = odoo_path or editable_odoo_path()
    env = odoo_env(odoo_path)
    probe = subprocess.run(
        [
            PYTHON,
            "-c",
            "import odoo.release as r; print(r.version_info[0], r.version);import odoo.service.server",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode:
        if "No module named 'odoo'" in probe.stderr:
            die(ODOO_HELP.format(python=PYTHON))
        die(
            "Odoo was found but does not start; its own dependencies may be missing "
            f"(pip install -r <odoo>/requirements.txt):\n{probe.stderr.strip()[-2000:]}"
        )
    major, version = probe.stdout.split()[:2]
    if major != "18":
        die(f"Odoo {version} was found; o2o needs Odoo 18.\n\n" + ODOO_HELP.format(python=PYTHON))
    say(f"Odoo {version} found" + (f" in {odoo_path}" if odoo_path else " (installed in Python)"))
    return [PYTHON, "-m", "odoo"], env


def addons_path(env):
    """Odoo's own addons plus ours (Odoo adds its base addons by itself)."""
    out = subprocess.run(
        [PYTHON, "-c", "import odoo.addons, os; print(os.pathsep.join(odoo.addons.__path__))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    paths = [p for p in out.split(os.pathsep) if p and Path(p).is_dir()]
    return ",".join([str(ADDONS)] + paths)


# Odoo modules the demo instance (`run`, and the database our tests run on) adds to ours:
# Odoo's demo payment provider, in test mode, so that a shopper can pay online without a
# real provider (never a dependency of an addon: once installed it is offered on every
# website), and Odoo's Vietnamese accounting, whose demo company (in dong, with Vietnamese VAT)
# becomes the demo retailer "o2o Việt Nam" (o2o_base/models/res_company.py).
DEMO_MODULES = ["payment_demo", "l10n_vn"]


def o2o_addons():
    return sorted(p.name for p in ADDONS.iterdir() if (p / "__manifest__.py").is_file())


# ----------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------


def conf_options():
    parser = ConfigParser()
    parser.read(CONF)
    return dict(parser["options"]) if parser.has_section("options") else {}


def _value(value):
    return None if value in (None, "", "False", "false") else value


def pg_candidates():
    """Connection settings to try, from the environment, odoo.conf, then libpq defaults."""
    conf = conf_options()
    user = os.environ.get("PGUSER") or _value(conf.get("db_user")) or getpass.getuser()
    password = os.environ.get("PGPASSWORD") or _value(conf.get("db_password"))
    if os.environ.get("PGHOST") or os.environ.get("PGPORT"):
        yield {
            "host": os.environ.get("PGHOST"),
            "port": os.environ.get("PGPORT", "5432"),
            "user": user,
            "password": password,
            "origin": "the PG* environment",
        }
        return
    if _value(conf.get("db_host")):
        yield {
            "host": conf["db_host"],
            "port": _value(conf.get("db_port")) or "5432",
            "user": user,
            "password": password,
            "origin": "odoo.conf",
        }
    yield {"host": None, "port": "5432", "user": user, "password": password, "origin": "the local socket"}
    yield {
        "host": "127.0.0.1",
        "port": "5432",
        "user": user,
        "password": password,
        "origin": "127.0.0.1:5432",
    }


def pg_connect(params, dbname="postgres"):
    import psycopg2

    kwargs = {k: v for k, v in params.items() if k in ("host", "port", "user", "password") and v}
    return psycopg2.connect(dbname=dbname, connect_timeout=3, **kwargs)


def local_pgserver():
    """Start (or reuse) a project-local PostgreSQL under var/ with pgserver."""
    try:
        import pgserver
    except ImportError:
        say("Installing pgserver (a private PostgreSQL 16 from PyPI)")
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "pgserver"], check=True)
        import pgserver
    pgdata = VAR / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = re.search(r"host=([^&]+)", server.get_uri()).group(1)
    server.psql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'o2o') THEN "
        "CREATE ROLE o2o LOGIN SUPERUSER; END IF; END $$;"
    )
    return {
        "host": socket_dir,
        "port": None,
        "user": "o2o",
        "password": None,
        "origin": f"the project-local PostgreSQL in {pgdata}",
    }


def find_postgres():
    errors = []
    for params in pg_candidates():
        if params["user"] == "postgres":
            errors.append(f"{params['origin']}: Odoo refuses the database user 'postgres'")
            continue
        try:
            pg_connect(params).close()
        except Exception as error:  # noqa: BLE001 - any failure means: try the next one
            errors.append(f"{params['origin']}: {str(error).strip().splitlines()[0]}")
            continue
        say(f"PostgreSQL found through {params['origin']} (user {params['user']})")
        return params
    say("No PostgreSQL reachable (" + "; ".join(errors) + ")")
    params = local_pgserver()
    say(f"Started {params['origin']} (user o2o); it keeps running after this command")
    return params


def db_args(params):
    args = []
    if params.get("host"):
        args.append(f"--db_host={params['host']}")
    if params.get("port"):
        args.append(f"--db_port={params['port']}")
    args.append(f"--db_user={params['user']}")
    if params.get("password"):
        args.append(f"--db_password={params['password']}")
    return args


def database_exists(params, dbname):
    conn = pg_connect(params)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
            return bool(cr.fetchone())
    finally:
        conn.close()


def installed_modules(params, dbname, names):
    conn = pg_connect(params, dbname=dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                (list(names),),
            )
            return sorted(row[0] for row in cr.fetchall())
    finally:
        conn.close()


def drop_database(params, dbname):
    conn = pg_connect(params)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    finally:
        conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------
# run
# ----------------------------------------------------------------------


def cmd_run(args):
    pip_install("requirements.txt")
    odoo, env = find_odoo()
    params = find_postgres()
    dbname = args.db
    modules = ",".join(o2o_addons() + DEMO_MODULES)
    base = odoo + ["-c", str(CONF), f"--addons-path={addons_path(env)}", *db_args(params), "-d", dbname]
    if database_exists(params, dbname):
        installed = installed_modules(params, dbname, o2o_addons() + DEMO_MODULES)
        missing = [m for m in o2o_addons() + DEMO_MODULES if m not in installed]
        ours = [m for m in installed if m not in DEMO_MODULES]
        say(f"Updating database {dbname} ({', '.join(ours) or 'no o2o addon yet'})")
        step = base + ["-u", ",".join(ours) or "base", "--stop-after-init"]
        if missing:
            say(f"Installing {', '.join(missing)} in {dbname}")
            step += ["-i", ",".join(missing)]
    else:
        say(f"Creating database {dbname} with {modules} and demo data (a few minutes)")
        step = base + ["-i", modules, "--stop-after-init"]
    if subprocess.run(step, env=env, check=False).returncode:
        die("Odoo could not install or update the o2o addons (see the log above).")
    say(f"Serving Odoo on http://localhost:{args.port} (database {dbname}); Ctrl+C stops it")
    say(
        "Demo logins: admin/admin (administrator), cashier/cashier (store cashier), "
        "shopper/shopper (portal shopper)"
    )
    server = base + [f"--http-port={args.port}", "--http-interface=127.0.0.1", f"--db-filter=^{dbname}$"]
    simulator = None
    if not args.no_simulator:
        point_demo_shops_at_simulator(params, dbname, args.sim_port)
        simulator = start_simulator(args.sim_port, f"http://127.0.0.1:{args.port}")
    try:
        return subprocess.run(server, env=env, check=False).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if simulator:
            simulator.terminate()
            simulator.wait(timeout=10)


def point_demo_shops_at_simulator(params, dbname, port):
    """The demo shops call the simulator on the port it runs on (8079 unless --sim-port):
    with another port they would get no answer. Only the demo's own shops on 127.0.0.1."""
    import psycopg2

    conn = pg_connect(params, dbname)
    try:
        with conn, conn.cursor() as cr:
            cr.execute(
                r"""
                UPDATE o2o_marketplace_shop shop
                   SET host = regexp_replace(host, '^http://127\.0\.0\.1:\d+/', %(base)s),
                       auth_host = regexp_replace(auth_host, '^http://127\.0\.0\.1:\d+/', %(base)s)
                  FROM ir_model_data imd
                 WHERE imd.model = 'o2o.marketplace.shop' AND imd.res_id = shop.id
                   AND imd.module = 'o2o_marketplace'
                   AND shop.host ~ '^http://127\.0\.0\.1:\d+/'
                   AND shop.host !~ %(exact)s
                """,
                {"base": f"http://127.0.0.1:{port}/", "exact": rf"^http://127\.0\.0\.1:{port}/"},
            )
            if cr.rowcount:
                say(f"The demo marketplace shops now call the simulator on port {port}")
    except psycopg2.Error as error:  # no o2o_marketplace yet, or another schema: leave the shops be
        say(f"The demo marketplace shops were left as they are ({error.__class__.__name__})")
    finally:
        conn.close()


def start_simulator(port, odoo_url):
    """The local Shopee/Lazada/TikTok Shop simulator with the demo shops (tools/marketplace_sim)."""
    say(
        f"Marketplace simulator on http://127.0.0.1:{port} (demo shops of o2o_marketplace; "
        "a new order every 2 minutes, pushed to Odoo)"
    )
    sim_env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"))
    return subprocess.Popen(
        [PYTHON, "-m", "marketplace_sim", "--demo", f"--port={port}", f"--odoo-url={odoo_url}"],
        env=sim_env,
        cwd=ROOT,
    )


# ----------------------------------------------------------------------
# test
# ----------------------------------------------------------------------

# Odoo's own tests that must keep passing with an o2o addon installed. They run on a second
# database without demo data: they assume Odoo's demo company (one warehouse), which our
# demo stores change.
ODOO_SUITES = {
    # Odoo's own flows our hooks run inside: a delivery validated by warehouse staff, a POS order.
    "o2o_base": ("sale_stock", "point_of_sale"),
    "o2o_pickup": ("website_sale_collect", "pos_sale"),
    "o2o_loyalty": ("loyalty", "sale_loyalty", "pos_loyalty", "website_sale_loyalty"),
}

# The run whose database, once its tests are done, has every o2o addon uninstalled one by one
# (tools/o2o_uninstall.py): nothing of an addon may stay behind.
UNINSTALL_RUN = "o2o"

POS_SUITE_PREFIXES = ("point_of_sale", "pos_")
# Odoo's tests left out of its suites: MobileTestUi runs all 53 point of sale tours a second
# time in a phone-sized window (about ten minutes here, a quarter of the longest run). The
# server flows our hooks take part in are the same in both layouts; the desktop tours run.
ODOO_SUITE_EXCLUDES = {"point_of_sale": ("-/point_of_sale:MobileTestUi",)}
# Odoo's own tests that skip themselves: they need an optional module we do not install
# (mrp, repair, purchase), or test a feature Odoo switched off in this release.
ODOO_ALLOWED_SKIPS = r"module is required for this test|To re-introduce when feature is ready"
ODOO_AFTER_TOUR_ERRORS = r"\.browser: Error received after termination: "
SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r" INFO \S+ \S+: skipped (.+?) : (.*)$")
# "FAIL: Class.test_method" / "ERROR: Class.test_method" as Odoo's runner logs a failing test.
FAILED_TEST_RE = re.compile(
    r" (?:ERROR|CRITICAL) \S+ odoo\.addons\.(\w+)\.tests\.[\w.]+: (?:FAIL|ERROR): (\w+)\.(test\w*)\s*$"
)
# Odoo's own tests that failed beside another run are run again alone, at most this many.
ODOO_RETRY_LIMIT = 20
LOG_ERROR_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) |demo data failed to install")


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


# Odoo skips a browser test whose Chromium has not opened its debugging port within 10 s;
# with two Odoo runs, their browsers and PostgreSQL on two cores, a start sometimes takes
# longer (seen once in CI). Test runs give it a minute: a browser that never starts still
# skips, and a skip for a missing tool still fails the run.
BROWSER_START_SECONDS = 60
ODOO_TEST_MAIN = (
    "import logging\n"
    "logging.getLogger('odoo.tests.common').disabled = True  # its import-time notice, before the config\n"
    "import odoo.tests.common as c\n"
    "logging.getLogger('odoo.tests.common').disabled = False\n"
    f"c.CHECK_BROWSER_ITERATIONS = int({BROWSER_START_SECONDS} / c.CHECK_BROWSER_SLEEP)\n"
    "c.BROWSER_WAIT = c.CHECK_BROWSER_SLEEP * c.CHECK_BROWSER_ITERATIONS\n"
    "from odoo.cli.command import main\n"
    "main()\n"
)


def run_odoo_tests(
    odoo, env, params, dbname, modules, log_path, tags=None, extra=(), prefix="", failures=None
):
    """Install ``modules`` on ``dbname`` and run the tests of ``tags`` (modules, or full test tags).

    Returns (returncode, summary, skips, log_errors, hang); the tests that failed, as
    ``(module, class, method)``, are appended to ``failures`` when it is given.
    """
    tags = ",".join(tag if tag.startswith(("/", "-")) else f"/{tag}" for tag in (tags or modules))
    if odoo[1:] == ["-m", "odoo"]:
        odoo = [odoo[0], "-c", ODOO_TEST_MAIN]
    cmd = odoo + [
        "-c",
        str(CONF),
        f"--addons-path={addons_path(env)}",
        *db_args(params),
        "-d",
        dbname,
        "-i",
        ",".join(modules),
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        "--http-interface=127.0.0.1",
        "--max-cron-threads=0",
        "--log-level=info",
        "--log-handler=odoo.modules.loading:WARNING",
        "--log-handler=odoo.modules.registry:WARNING",
        "--log-handler=odoo.addons.base.models.ir_module:WARNING",
        "--log-handler=odoo.addons.base.models.ir_attachment:WARNING",
        "--log-handler=odoo.service.server:WARNING",
        "--log-handler=werkzeug:WARNING",
        "--log-handler=odoo.models:WARNING",
        "--log-handler=odoo.models.unlink:WARNING",
        "--log-handler=odoo.addons.base.models.ir_qweb:WARNING",
        "--log-handler=odoo.addons.base.models.assetsbundle:WARNING",
        "--log-handler=odoo.addons.point_of_sale.models.pos_order:WARNING",
        *extra,
    ]
    say(f"Installing {', '.join(modules)} on {dbname} and running the tests of {tags}")
    summary, skips, log_errors = None, [], []

    def scan(line):
        nonlocal summary
        sys.stdout.write(prefix + line)
        log.write(line)
        if match := SUMMARY_RE.search(line):
            summary = tuple(int(x) for x in match.groups())
        if match := SKIP_RE.search(line):
            skips.append(f"{match.group(1)}: {match.group(2)}")
        if LOG_ERROR_RE.search(line):
            log_errors.append(line.strip())
        if failures is not None and (match := FAILED_TEST_RE.search(line)):
            failures.append(match.groups())

    with open(log_path, "w", encoding="utf-8") as log:
        # Odoo runs in its own process group: the browsers its tours start inherit its
        # output, and one of their helpers outliving Odoo must not keep the pipe open.
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        try:
            hang = follow_odoo(proc, scan, lambda: summary is not None)
        finally:
            kill_group(proc)
        returncode = proc.wait()
    return returncode, summary, skips, log_errors, hang


def kill_group(proc, sig=signal.SIGKILL):
    """Send ``sig`` to Odoo's process group (0: only look); whether any process was left in it."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def follow_odoo(proc, scan, reported):
    """Feed Odoo's output to ``scan`` until Odoo has exited and its output is read.

    Returns why Odoo had to be stopped, or None. Odoo is stopped when it runs longer than
    O2O_TEST_TIMEOUT seconds (default 4000), or does not exit within O2O_EXIT_TIMEOUT
    seconds (default 120) of reporting its results; it is first asked for the stacks of
    its threads (SIGQUIT), which land in the log, so that the cause can be read there.
    """
    lines = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    started = time.monotonic()
    run_limit = float(os.environ.get("O2O_TEST_TIMEOUT", "4000"))
    exit_limit = float(os.environ.get("O2O_EXIT_TIMEOUT", "120"))
    reported_at = exited_at = stopping_at = None
    hang = None
    while True:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            line = ""
        if line is None:
            return hang
        if line:
            scan(line)
        now = time.monotonic()
        if reported_at is None and reported():
            reported_at = now
        if exited_at is None and proc.poll() is not None:
            exited_at = now
            if kill_group(proc, 0):  # what Odoo left behind (a browser helper) holds the output open
                say("Odoo exited and left processes running (a browser's helpers?); stopping them")
                kill_group(proc)
        if exited_at is not None:
            if now - exited_at > 10:
                return hang  # output still held open by a process we cannot kill
            continue
        if stopping_at is None:
            if now - started > run_limit:
                hang = f"Odoo was stopped after running {run_limit:.0f}s (O2O_TEST_TIMEOUT)"
            elif reported_at is not None and now - reported_at > exit_limit:
                hang = f"Odoo did not exit within {exit_limit:.0f}s of reporting its tests"
            if hang:
                say(f"{hang}; the stacks of its threads follow")
                stopping_at = now
                kill_group(proc, signal.SIGQUIT)
        elif now - stopping_at > 5:
            kill_group(proc)


def summarise_odoo_run(
    returncode, summary, skips, log_errors, hang, log_path, allowed_skip=None, allowed_error=None
):
    """(passed, failed, skipped, problems) of one Odoo test run.

    A skipped test fails the run, unless its reason matches ``allowed_skip`` (Odoo's own
    tests skip what needs an optional module we do not install, e.g. mrp or repair).
    """
    passed = failed = 0
    problems = []
    allowed = [skip for skip in skips if allowed_skip and re.search(allowed_skip, skip)]
    skips = [skip for skip in skips if skip not in allowed]
    if hang:
        failed += 1
        problems.append(f"{hang}; see {log_path}")
    if summary is None:
        failed += 1
        problems.append(
            f"Odoo stopped before reporting test results (exit code {returncode}); see {log_path}"
        )
    else:
        odoo_failed, odoo_errors, odoo_run = summary
        if odoo_run == 0:
            problems.append(f"Odoo ran no test ({log_path})")
            failed += 1
        failed += odoo_failed + odoo_errors + len(skips)
        passed += odoo_run - odoo_failed - odoo_errors - len(skips) - len(allowed)
        if returncode and not (odoo_failed or odoo_errors or hang):
            failed += 1
            problems.append(f"Odoo exited with code {returncode} ({log_path})")
    if skips:
        problems.append(
            "skipped tests (a missing tool or library counts as a failure):\n    " + "\n    ".join(skips)
        )
    tolerated = [line for line in log_errors if allowed_error and re.search(allowed_error, line)]
    log_errors = [line for line in log_errors if line not in tolerated]
    if tolerated:
        problems.append(
            "logged by Odoo's own tours after they had passed (listed, not counted):\n    "
            + "\n    ".join(tolerated[:20])
        )
    if log_errors and not failed:
        failed += 1
        problems.append("errors were logged outside any failing test:\n    " + "\n    ".join(log_errors[:20]))
    if allowed:
        problems.append(
            "skipped by Odoo itself (an optional module, a feature it switched off):\n    "
            + "\n    ".join(allowed)
        )
    return passed, failed, len(allowed), problems


UNINSTALL_SCRIPT = ROOT / "tools" / "o2o_uninstall.py"


def check_uninstall(env, params, dbname, log_path, prefix=""):
    """Uninstall every o2o addon from ``dbname`` (tools/o2o_uninstall.py): (passed, failed, problems),
    one test per addon."""
    cmd = [PYTHON, str(UNINSTALL_SCRIPT), "-c", str(CONF), f"--addons-path={addons_path(env)}"]
    cmd += [*db_args(params), "-d", dbname, "--log-level=warn", f"--logfile={log_path}"]
    say(f"{prefix}Uninstalling the o2o addons from {dbname}, checking what each leaves behind")
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    for line in lines:
        say(f"{prefix}uninstall: {line}")
    passed = sum(line.startswith("PASS") for line in lines)
    failed = sum(line.startswith("FAIL") for line in lines)
    problems = [f"uninstall: {line} (log {log_path})" for line in lines if line.startswith("FAIL")]
    if run.returncode and not failed:
        failed = 1
        problems.append(
            f"uninstall check stopped (exit code {run.returncode}; log {log_path}): "
            + (run.stderr.strip()[-1500:] or "no output")
        )
    return passed, failed, problems


def run_pytest(junit_path):
    tests_dir = ROOT / "tests"
    if not any(tests_dir.rglob("test_*.py")):
        return 0, 0
    say("Running tests/ with pytest")
    result = subprocess.run(
        [PYTHON, "-m", "pytest", str(tests_dir), "-q", "-p", "no:cacheprovider", f"--junitxml={junit_path}"],
        cwd=ROOT,
        check=False,
    )
    if not junit_path.exists():
        return 0, 1
    suite = ET.parse(junit_path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failures, errors, skipped = (
        int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")
    )
    failed = failures + errors + skipped
    if result.returncode and not failed:
        failed = 1
    return total - failures - errors - skipped, failed


def cmd_test(args):
    pip_install("requirements.txt", "requirements-dev.txt")
    missing = []
    if not find_browser():
        missing.append("Chromium (browser tours): apt-get install chromium")
    if subprocess.run([PYTHON, "-c", "import websocket"], check=False, capture_output=True).returncode:
        missing.append("websocket-client (browser tours): pip install websocket-client")
    if not shutil.which("wkhtmltopdf"):
        # Without it Odoo's POS tours that invoice wait for a PDF that never comes.
        missing.append("wkhtmltopdf (invoices printed by the POS tours): apt-get install wkhtmltopdf")
    if missing:
        die("Browser tests would be skipped or fail; install first:\n  " + "\n  ".join(missing))
    odoo, env = find_odoo()
    params = find_postgres()
    modules = args.modules.split(",") if args.modules else o2o_addons()
    VAR.mkdir(exist_ok=True)
    started = time.time()
    # Ours on a database made as `run` makes it (demo data, the demo instance's modules).
    runs = [
        ("o2o", f"o2o_test_{os.getpid()}", modules + DEMO_MODULES, modules, (), VAR / "test-odoo.log", None)
    ]
    suites = sorted({suite for module in modules for suite in ODOO_SUITES.get(module, ())})
    if suites and not args.no_odoo_suites:
        # Odoo's suites on two databases of their own: the point of sale's (mostly browser
        # tours, the longest run, started first) and the others, so that two cores stay busy.
        # (Measured: point_of_sale alone beside ours, the other POS suites with the rest, took
        # longer, 2561 s against 2403 s, with two browser-heavy runs side by side.)
        pos = [suite for suite in suites if suite.startswith(POS_SUITE_PREFIXES)]
        groups = (("odoo-pos", "compat-pos", pos), ("odoo", "compat", [s for s in suites if s not in pos]))
        for name, label, group in groups:
            if not group:
                continue
            excluded = [tag for suite in group for tag in ODOO_SUITE_EXCLUDES.get(suite, ())]
            run = (
                name,
                f"o2o_{label.replace('-', '_')}_{os.getpid()}",
                modules,
                group + excluded,
                ("--without-demo=all",),
                VAR / f"test-odoo-{label}.log",
                ODOO_ALLOWED_SKIPS,
            )
            if name == "odoo-pos":
                runs.insert(0, run)
            else:
                runs.append(run)
    jobs = max(1, min(args.jobs, len(runs)))

    def one_run(name, run_db, run_modules, tags, extra, run_log, allowed_skip):
        run_started = time.time()
        drop_database(params, run_db)
        failures = []
        uninstalled = (0, 0, [])
        try:
            result = run_odoo_tests(
                odoo,
                env,
                params,
                run_db,
                run_modules,
                run_log,
                tags=tags,
                extra=extra,
                prefix=f"[{name}] " if jobs > 1 else "",
                failures=failures,
            )
            if name == UNINSTALL_RUN and not args.modules:
                uninstalled = check_uninstall(
                    env,
                    params,
                    run_db,
                    run_log.with_name("test-uninstall.log"),
                    f"[{name}] " if jobs > 1 else "",
                )
        finally:
            if not args.keep_db:
                drop_database(params, run_db)
        if allowed_skip:
            result = retry_alone(name, run_db, run_modules, extra, run_log, result, failures)
        # Odoo's own suites only: a browser error one of Odoo's tours logs after it passed
        # (a request cut off as the browser closes) is Odoo's, not ours; our tours stay strict.
        allowed_error = ODOO_AFTER_TOUR_ERRORS if allowed_skip else None
        passed, failed, skipped, problems = summarise_odoo_run(
            *result, run_log, allowed_skip=allowed_skip, allowed_error=allowed_error
        )
        outcome = (passed + uninstalled[0], failed + uninstalled[1], skipped, problems + uninstalled[2])
        return outcome, time.time() - run_started

    def retry_alone(name, run_db, run_modules, extra, run_log, result, failures):
        """Odoo's own tests that failed beside another run, run again on a database of their own.

        Odoo's POS tours wait 10 s per step; with two runs and their browsers on two cores a
        step sometimes takes longer (seen: the invoice step of two cash-rounding tours, which
        pass alone). Only Odoo's own suites get this second chance, only for a few tests whose
        failures were all recognised, and only a pass of every one of them alone clears them;
        the problems list names them either way.
        """
        returncode, summary, skips, log_errors, hang = result
        tests = sorted(set(failures))
        if hang or not summary or not tests or len(tests) > ODOO_RETRY_LIMIT:
            return result
        if summary[0] + summary[1] != len(tests):
            return result
        names = [f"{cls}.{method}" for _module, cls, method in tests]
        say(f"[{name}] {len(tests)} of Odoo's own tests failed; running them again alone: {', '.join(names)}")
        retry_db, retry_log = f"{run_db}_again", run_log.with_name(run_log.stem + "-again.log")
        drop_database(params, retry_db)
        try:
            again = run_odoo_tests(
                odoo,
                env,
                params,
                retry_db,
                run_modules,
                retry_log,
                tags=[f"/{module}:{cls}.{method}" for module, cls, method in tests],
                extra=extra,
                prefix=f"[{name}-again] " if jobs > 1 else "",
            )
        finally:
            if not args.keep_db:
                drop_database(params, retry_db)
        # Judged as the first run is: the same tolerated skips and after-tour browser errors.
        again_passed, again_failed, _skipped, _problems = summarise_odoo_run(
            *again, retry_log, allowed_skip=ODOO_ALLOWED_SKIPS, allowed_error=ODOO_AFTER_TOUR_ERRORS
        )
        if again_failed or again_passed != len(tests):
            retry_notes.append(f"{name}: failed again when run alone ({retry_log}): " + ", ".join(names))
            return result
        retry_notes.append(
            f"{name}: failed beside another run, passed alone ({retry_log}): " + ", ".join(names)
        )
        kept = [
            line
            for line in log_errors
            if not any(test in line for test in names) and "odoo.tests.result:" not in line
        ]
        return 0 if returncode and not kept else returncode, (0, 0, summary[2]), skips, kept, hang

    retry_notes = []

    # The Odoo runs are independent databases: on a machine with two cores or more they run
    # side by side (a run spends much of its time waiting on PostgreSQL and the browser).
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(one_run, *run) for run in runs]
        outcomes = [future.result() for future in futures]
    passed = failed = skipped = 0
    problems = []
    timings = []
    for run, ((run_passed, run_failed, run_skipped, run_problems), took) in zip(runs, outcomes, strict=True):
        passed += run_passed
        failed += run_failed
        skipped += run_skipped
        problems += run_problems
        timings.append(f"{run[0]} tests {took:.0f}s")
    pytest_started = time.time()
    py_passed, py_failed = run_pytest(VAR / "test-pytest.xml")
    timings.append(f"pytest {time.time() - pytest_started:.0f}s")
    passed += py_passed
    failed += py_failed
    say(f"Odoo logs: {', '.join(str(run[5]) for run in runs)}")
    say(f"took {time.time() - started:.0f}s ({', '.join(timings)}; {jobs} Odoo run(s) at a time)")
    for problem in problems + retry_notes:
        say(problem)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if failed else 0


# ----------------------------------------------------------------------
# lint
# ----------------------------------------------------------------------


def cmd_lint(_args):
    pip_install("requirements-dev.txt")
    result = subprocess.run(
        [PYTHON, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"], cwd=ROOT, check=False
    )
    if result.returncode:
        say("lint found problems (see above)")
    else:
        say("lint clean")
    return result.returncode


def main():
    parser = argparse.ArgumentParser(
        prog="o2o", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="create or update the database and serve Odoo")
    run.add_argument("--db", default=os.environ.get("O2O_DB", "o2o"))
    run.add_argument("--port", type=int, default=int(os.environ.get("O2O_HTTP_PORT", "8069")))
    run.add_argument("--sim-port", type=int, default=int(os.environ.get("O2O_SIM_PORT", "8079")))
    run.add_argument("--no-simulator", action="store_true", help="do not start the marketplace simulator")
    run.set_defaults(func=cmd_run)
    test = sub.add_parser("test", help="run every o2o test on a throw-away database")
    test.add_argument("--modules", help="comma-separated o2o addons (default: all)")
    test.add_argument("--keep-db", action="store_true", help="keep the test databases for inspection")
    test.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("O2O_TEST_JOBS", min(2, os.cpu_count() or 1))),
        help="Odoo test runs at a time (default: 2 on a machine with two cores or more)",
    )
    test.add_argument(
        "--no-odoo-suites", action="store_true", help="skip Odoo's own tests of the modules o2o extends"
    )
    test.set_defaults(func=cmd_test)
    lint = sub.add_parser("lint", help="ruff and pylint-odoo")
    lint.set_defaults(func=cmd_lint)
    args = parser.parse_args()
    sys.exit(args.func(args) or 0)


if __name__ == "__main__":
    main()

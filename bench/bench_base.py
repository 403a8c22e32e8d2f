#!/usr/bin/env python3
"""o2o_base benchmark: find-or-link a customer by phone among 100,000 customers, and the
O2O dashboard over 200,000 order lines.

    python3 bench/bench_base.py [--db o2o_bench] [--customers 100000] [--lines 200000]

Creates the database (o2o_base without demo data) on first use and keeps it, so later runs
measure at once. PostgreSQL is found as `./o2o` finds it (PG* environment, odoo.conf, local
socket). Customers are created through the ORM; orders, which only feed the dashboard, are
bulk-inserted with SQL (confirmed sale orders and paid POS orders over the last year).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_cli():
    """The ``./o2o`` command as a module; Odoo found as it finds it, and importable from here."""
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    import o2o_cli as module

    module.find_odoo()  # stops with how to get Odoo 18 when there is none
    odoo_path = os.environ.get("ODOO_PATH") or module.editable_odoo_path()
    if odoo_path:
        odoo_path = str(Path(odoo_path).expanduser().resolve())
        if odoo_path not in sys.path:
            sys.path.insert(0, odoo_path)
    return module


def connect(dbname, modules="o2o_base"):
    """The Odoo registry of the benchmark database, created with ``modules`` on first use."""
    cli = load_cli()
    params = cli.find_postgres()
    ensure_database(cli, params, dbname, modules=modules)
    return open_registry(cli, params, dbname)


def print_figures(figures):
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(figures))


def phone_for(index):
    """A valid Vietnamese mobile number for customer ``index`` (national form)."""
    return f"09{index:08d}"


def ensure_database(cli, params, dbname, modules="o2o_base"):
    if cli.database_exists(params, dbname):
        return
    odoo, env = cli.find_odoo()
    print(f"Creating {dbname} with {modules} (no demo data)...", flush=True)
    cmd = [
        *odoo, "-c", str(cli.CONF), f"--addons-path={cli.addons_path(env)}", *cli.db_args(params),
        "-d", dbname, "-i", modules, "--without-demo=all", "--stop-after-init", "--log-level=warn",
    ]  # fmt: skip
    subprocess.run(cmd, env=env, check=True)


def open_registry(cli, params, dbname):
    import odoo
    from odoo.tools import config

    _odoo, env = cli.find_odoo()
    config.parse_config(
        ["-c", str(cli.CONF), f"--addons-path={cli.addons_path(env)}", *cli.db_args(params), "-d", dbname]
        + ["--log-level=warn"]
    )
    return odoo.modules.registry.Registry(dbname)


def seed_customers(env, count):
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    existing = Partner.search_count([("ref", "=like", "BENCH-%")])
    if existing >= count:
        return 0
    started = time.time()
    batch = 2000
    for start in range(existing, count, batch):
        stop = min(start + batch, count)
        Partner.create(
            [
                {"name": f"Bench customer {i}", "ref": f"BENCH-{i}", "mobile": phone_for(i)}
                for i in range(start, stop)
            ]
        )
        env.cr.commit()
        print(f"  customers: {stop}/{count}", end="\r", flush=True)
    print()
    return time.time() - started


def bench_find(env, count, samples=500):
    """Median time and queries of one find-or-link by phone (a hit), typed in several formats."""
    Partner = env["res.partner"]
    rng = random.Random(42)
    formats = [
        lambda p: p,
        lambda p: "+84 " + p[1:4] + " " + p[4:7] + " " + p[7:],
        lambda p: "84" + p[1:],
        lambda p: p[:4] + "." + p[4:7] + "." + p[7:],
    ]
    figures = {}
    for label, cold in (("find", False), ("find_cold", True)):
        times, queries = [], []
        for n in range(samples):
            index = rng.randrange(count)
            typed = formats[n % len(formats)](phone_for(index))
            if cold:
                # As the first lookup of a request: nothing cached, not even the company.
                env.invalidate_all()
            q0 = env.cr.sql_log_count
            t0 = time.perf_counter()
            found = Partner._o2o_find_customer(phone=typed)
            times.append(time.perf_counter() - t0)
            queries.append(env.cr.sql_log_count - q0)
            assert found.ref == f"BENCH-{index}", (typed, found.ref)
        figures[f"{label}_median_ms"] = round(statistics.median(times) * 1000, 3)
        figures[f"{label}_p95_ms"] = round(sorted(times)[int(len(times) * 0.95)] * 1000, 3)
        figures[f"{label}_median_queries"] = statistics.median(queries)
    # The miss path: claim the phone and create the customer (rolled back afterwards).
    create_times, create_queries = [], []
    for n in range(50):
        q0 = env.cr.sql_log_count
        t0 = time.perf_counter()
        Partner._o2o_find_or_create_customer({"name": f"New {n}", "mobile": f"0399{n:06d}"})
        create_times.append(time.perf_counter() - t0)
        create_queries.append(env.cr.sql_log_count - q0)
    env.cr.rollback()
    figures["create_median_ms"] = round(statistics.median(create_times) * 1000, 3)
    figures["create_median_queries"] = statistics.median(create_queries)
    return figures


def seed_orders(env, lines_wanted):
    cr = env.cr
    cr.execute("SELECT count(*) FROM sale_order_line WHERE name = 'bench line'")
    sale_lines = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM pos_order_line WHERE name = 'bench line'")
    pos_lines = cr.fetchone()[0]
    if sale_lines + pos_lines >= lines_wanted:
        return 0
    started = time.time()
    company = env.ref("base.main_company")
    company.country_id = env.ref("base.vn")
    stores = env["stock.warehouse"].search([("o2o_is_store", "=", True)])
    for n in range(len(stores), 3):
        stores |= env["stock.warehouse"].create(
            {"name": f"Bench store {n}", "code": f"BS{n}", "o2o_is_store": True}
        )
    product = env["product.product"].search([("default_code", "=", "BENCH")]) or env[
        "product.product"
    ].create({"name": "Bench product", "default_code": "BENCH", "list_price": 10.0, "available_in_pos": True})
    config = env["pos.config"].search([("name", "=", "Bench POS")]) or env["pos.config"].create(
        {"name": "Bench POS", "warehouse_id": stores[0].id}
    )
    cr.execute(
        """INSERT INTO pos_session (name, config_id, user_id, state, start_at, stop_at)
           VALUES ('BENCH/SESSION', %s, %s, 'closed', now(), now()) RETURNING id""",
        [config.id, env.uid],
    )
    session_id = cr.fetchone()[0]
    teams = {
        "website": env.ref("sales_team.salesteam_website_sales").id,
        "backoffice": env.ref("sales_team.team_sales_department").id,
        "store": stores[0].o2o_team_id.id,
    }
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE ref LIKE 'BENCH-%%'")
    min_partner, max_partner = cr.fetchone()
    # 3/4 of the lines on sale orders (3 lines each), 1/4 on POS orders (2 lines each).
    sale_orders = (lines_wanted * 3 // 4) // 3
    pos_orders = (lines_wanted - sale_orders * 3) // 2
    cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
                                date_order, picking_policy, state, currency_id, currency_rate,
                                amount_untaxed, amount_tax, amount_total, team_id, o2o_channel_type,
                                o2o_store_id, create_date, write_date)
        SELECT 'BENCH-SO-' || g, p, p, p, %(company)s,
               now() - (random() * interval '365 days'), 'direct', 'sale', %(currency)s, 1.0,
               30.0 + (g %% 50), 0, 30.0 + (g %% 50),
               CASE WHEN g %% 3 = 0 THEN %(web_team)s ELSE %(bo_team)s END,
               CASE WHEN g %% 3 = 0 THEN 'website' ELSE 'backoffice' END,
               CASE WHEN g %% 5 = 0 THEN %(store)s END, now(), now()
          FROM generate_series(1, %(n)s) g,
               LATERAL (SELECT %(pmin)s + floor(random() * (%(pmax)s - %(pmin)s + 1))::int + g * 0 AS p) r
        """,
        {
            "company": company.id, "currency": company.currency_id.id, "n": sale_orders,
            "web_team": teams["website"], "bo_team": teams["backoffice"], "store": stores[1].id,
            "pmin": min_partner, "pmax": max_partner,
        },
    )  # fmt: skip
    cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit,
                                     price_subtotal, customer_lead, company_id, currency_id)
        SELECT so.id, 'bench line', %s, 1, 10, 10, 0, so.company_id, so.currency_id
          FROM sale_order so, generate_series(1, 3)
         WHERE so.name LIKE 'BENCH-SO-%%'
        """,
        [product.id],
    )
    cr.execute(
        """
        INSERT INTO pos_order (name, session_id, config_id, company_id, partner_id, date_order, state,
                               amount_paid, amount_return, amount_tax, amount_total, currency_rate,
                               crm_team_id, o2o_channel_type, o2o_store_id, o2o_revenue,
                               create_date, write_date)
        SELECT 'BENCH-POS-' || g, %(session)s, %(config)s, %(company)s,
               CASE WHEN g %% 4 = 0 THEN NULL
                    ELSE %(pmin)s + floor(random() * (%(pmax)s - %(pmin)s + 1))::int END,
               now() - (random() * interval '365 days'), 'paid', 20, 0, 0, 20, 1.0,
               %(team)s, 'store', (%(stores)s::int[])[1 + g %% %(nstores)s], 20, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        {
            "session": session_id, "config": config.id, "company": company.id, "n": pos_orders,
            "pmin": min_partner, "pmax": max_partner, "team": teams["store"],
            "stores": stores.ids, "nstores": len(stores),
        },
    )  # fmt: skip
    cr.execute(
        """
        INSERT INTO pos_order_line (order_id, name, product_id, qty, price_unit, price_subtotal,
                                    price_subtotal_incl, company_id)
        SELECT po.id, 'bench line', %s, 1, 10, 10, 10, po.company_id
          FROM pos_order po, generate_series(1, 2)
         WHERE po.name LIKE 'BENCH-POS-%%'
        """,
        [product.id],
    )
    cr.execute("ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE pos_order; ANALYZE pos_order_line")
    cr.commit()
    return time.time() - started


def bench_dashboard(env, runs=3):
    Report = env["o2o.order.report"]
    cr = env.cr
    cr.execute(
        "SELECT (SELECT count(*) FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id"
        " WHERE so.state = 'sale') + (SELECT count(*) FROM pos_order_line)"
    )
    lines = cr.fetchone()[0]
    store = env["stock.warehouse"].search([("o2o_is_store", "=", True)], limit=1)
    cases = {
        "all_time": {},
        "last_30_days": {"date_from": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400))},
        "one_store": {"store_ids": store.ids},
    }
    results = {"order_lines": lines}
    for name, filters in cases.items():
        timings, queries = [], []
        for _run in range(runs):
            env.invalidate_all()
            q0 = cr.sql_log_count
            t0 = time.perf_counter()
            data = Report.get_dashboard_data(**filters)
            timings.append(time.perf_counter() - t0)
            queries.append(cr.sql_log_count - q0)
        results[f"dashboard_{name}_s"] = round(statistics.median(timings), 3)
        results[f"dashboard_{name}_queries"] = statistics.median(queries)
        results[f"dashboard_{name}_orders"] = next(k["value"] for k in data["kpis"] if k["key"] == "orders")
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="o2o_bench")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()

    registry = connect(args.db)
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.country_id = env.ref("base.vn")
        cr.commit()
        seeded = seed_customers(env, args.customers)
        figures = {"customers": env["res.partner"].search_count([("ref", "=like", "BENCH-%")])}
        if seeded:
            figures["seed_customers_s"] = round(seeded, 1)
        figures.update(bench_find(env, args.customers))
        seeded = seed_orders(env, args.lines)
        if seeded:
            figures["seed_orders_s"] = round(seeded, 1)
        figures.update(bench_dashboard(env))

    print_figures(figures)


if __name__ == "__main__":
    sys.exit(main())

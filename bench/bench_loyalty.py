#!/usr/bin/env python3
"""o2o_loyalty benchmark: the nightly expiry and tier jobs over 100,000 members and 1,000,000
history lines (wall time, peak memory), and SQL queries per synced POS order with o2o_loyalty
versus Odoo's pos_loyalty alone.

    python3 bench/bench_loyalty.py [--db o2o_bench_loyalty] [--members 100000] [--history 1000000]
                                   [--orders 200] [--pos-per-call 1 50] [--skip-jobs | --skip-pos]

Creates its databases on first use and keeps them:
- ``<db>`` (o2o_loyalty, no demo data): members are created through the ORM; their year
  of lots and history lines is bulk-inserted with SQL (a fifth of the lots past their
  expiry date, every member due for the tier review). Each measured run restores that
  state first, then runs the two jobs as the cron does (a batch of cards per run, until done)
  in a fresh process, so its peak memory is the job's own.
- ``<db>_pos_native`` (pos_loyalty with Odoo's demo data) and ``<db>_pos_o2o`` (o2o_loyalty with
  demo data): the same loyalty program, customer and order. Each POS order is counted as the
  front end sends it: sync_from_ui, then confirm_coupon_programs and add_loyalty_history_lines;
  with one order per sync call, and with 50 (a register that was offline syncs its orders at once).
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_base import connect, print_figures

HERE = Path(__file__).resolve()
# Of the lots past their date, every n-th one is still open when the job runs (1: all of
# them, as on the first night after the points' validity was introduced).
EXPIRED_LEFT_EVERY = 1


def membership(env):
    program = env["loyalty.program"]._o2o_membership(env.company)
    if program:
        return program
    program = env["loyalty.program"].create(
        {
            "name": "Bench membership",
            "program_type": "loyalty",
            "applies_on": "both",
            "trigger": "auto",
            "o2o_is_membership": True,
            "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})],
            "reward_ids": [
                (
                    0,
                    0,
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_point",
                        "discount": 0.1,
                        "required_points": 10,
                    },
                )
            ],
            "o2o_tier_ids": [
                (0, 0, {"name": "Member", "threshold": 0}),
                (0, 0, {"name": "Silver", "threshold": 5000, "earn_multiplier": 1.25}),
                (0, 0, {"name": "Gold", "threshold": 15000, "earn_multiplier": 1.5}),
            ],
        }
    )
    env.cr.commit()
    return program


def seed_members(env, program, members, history):
    cr = env.cr
    cr.execute("SELECT count(*) FROM loyalty_card WHERE program_id = %s", [program.id])
    have = cr.fetchone()[0]
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    batch = 2000
    while have < members:
        n = min(batch, members - have)
        partners = Partner.create([{"name": f"Bench member {have + i}"} for i in range(n)])
        cr.execute(
            """
            INSERT INTO loyalty_card (program_id, company_id, partner_id, points, code, active, o2o_is_member,
                                      create_date, write_date, create_uid, write_uid)
            SELECT %s, %s, p, 0, 'MBBENCH' || p, true, true, now(), now(), 1, 1 FROM unnest(%s::int[]) p
            """,
            [program.id, env.company.id, partners.ids],
        )
        cr.commit()
        have += n
        print(f"  members: {have}/{members}", end="\r", flush=True)
    print()
    cr.execute(
        "SELECT count(*) FROM loyalty_history h JOIN loyalty_card c ON c.id = h.card_id "
        "WHERE c.program_id = %s",
        [program.id],
    )
    if cr.fetchone()[0] >= history:
        return
    per_member = max(history // members, 1)
    print(f"  inserting {per_member} history lines and {per_member // 2} lots per member...", flush=True)
    # Lots: half of the history lines are earnings, spread over the last 15 months.
    cr.execute(
        """
        INSERT INTO o2o_loyalty_lot (card_id, program_id, company_id, kind, date, expiry_date,
                                     points, remaining,
                                     reversed_points, amount, reversed_amount, origin, channel_type,
                                     create_date, write_date, create_uid, write_uid)
        SELECT c.id, c.program_id, c.company_id, 'earn', d, d + interval '12 months',
               pts, pts, 0, pts * 10, 0,
               'bench', (ARRAY['store','website','marketplace'])[1 + (c.id + g) %% 3], now(), now(), 1, 1
        FROM loyalty_card c, generate_series(1, %s) g,
             LATERAL (SELECT (current_date - ((c.id * 7 + g * 41) %% 450) * interval '1 day')::date AS d,
                             (10 + (c.id + g) %% 90)::float AS pts) x
        WHERE c.program_id = %s
        """,
        [per_member // 2, program.id],
    )
    cr.execute(
        """
        INSERT INTO loyalty_history (card_id, description, issued, used, o2o_kind, o2o_channel_type,
                                     create_date, write_date, create_uid, write_uid)
        SELECT c.id, 'Bench order', CASE WHEN g %% 2 = 0 THEN 10 ELSE 0 END,
               CASE WHEN g %% 2 = 1 THEN 5 ELSE 0 END,
               CASE WHEN g %% 2 = 0 THEN 'earn' ELSE 'spend' END, 'store', now(), now(), 1, 1
        FROM loyalty_card c, generate_series(1, %s) g WHERE c.program_id = %s
        """,
        [per_member, program.id],
    )
    cr.execute("UPDATE o2o_loyalty_lot SET remaining = 0 WHERE remaining > 0 AND expiry_date <= current_date")
    cr.execute("CREATE TABLE IF NOT EXISTS o2o_bench_lot_state AS SELECT id, remaining FROM o2o_loyalty_lot")
    cr.commit()
    cr.execute("ANALYZE o2o_loyalty_lot; ANALYZE loyalty_history; ANALYZE loyalty_card")
    cr.commit()


def restore_state(env, program):
    """Before each measured run: a fifth of the open lots due to expire, every member due for review."""
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS o2o_bench_lot_state")
    cr.execute(
        """
        UPDATE o2o_loyalty_lot SET remaining = points
        WHERE program_id = %s AND remaining <> points
        """,
        [program.id],
    )
    cr.execute("DELETE FROM loyalty_history WHERE o2o_kind = 'expire'")
    cr.execute(
        """
        UPDATE o2o_loyalty_lot SET remaining = 0
        WHERE program_id = %s AND expiry_date <= current_date AND id %% %s <> 0
        """,
        [program.id, EXPIRED_LEFT_EVERY],
    )
    cr.execute(
        """
        UPDATE loyalty_card c SET points = COALESCE(s.remaining, 0), o2o_tier_review_date = current_date,
               o2o_tier_id = NULL, o2o_tier_value = NULL
        FROM loyalty_card c2
        LEFT JOIN (SELECT card_id, sum(remaining) AS remaining FROM o2o_loyalty_lot GROUP BY card_id) s
             ON s.card_id = c2.id
        WHERE c.id = c2.id AND c.program_id = %s
        """,
        [program.id],
    )
    cr.execute(
        "SELECT count(*), count(DISTINCT card_id), COALESCE(sum(remaining), 0) FROM o2o_loyalty_lot "
        "WHERE remaining > 0 AND expiry_date <= current_date"
    )
    due = cr.fetchone()
    cr.execute("SELECT count(*) FROM loyalty_history")
    history = cr.fetchone()[0]
    cr.commit()
    return due, history


def run_jobs(dbname):
    """Child process: the expiry job, then the tier review, each run as the cron runs it."""
    env = connect_env(dbname)
    Card = env["loyalty.card"]
    figures = {}
    for name, job in (("expiry", Card._cron_o2o_expire_points), ("tier_review", Card._cron_o2o_review_tiers)):
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        done = runs = 0
        while True:
            n = job()
            env.cr.commit()
            env.invalidate_all()
            runs += 1
            done += n
            if not n:
                break
        figures[f"{name}_seconds"] = round(time.perf_counter() - t0, 2)
        figures[f"{name}_cards"] = done
        figures[f"{name}_cron_runs"] = runs
        figures[f"{name}_sql_queries"] = env.cr.sql_log_count - q0
        figures[f"{name}_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        figures[f"{name}_rss_growth_mb"] = round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024, 1
        )
    print(json.dumps(figures))


def connect_env(dbname, modules="o2o_loyalty"):
    registry = connect(dbname, modules=modules)
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "loyalty_no_mail": True})


# ----------------------------------------------------------------------
# SQL queries per synced POS order
# ----------------------------------------------------------------------


def pos_env(dbname, modules):
    sys.path.insert(0, str(HERE.parent))
    from bench_base import load_cli, open_registry

    cli = load_cli()
    from odoo import SUPERUSER_ID, api

    params = cli.find_postgres()
    if not cli.database_exists(params, dbname):
        odoo_cmd, env = cli.find_odoo()
        print(f"Creating {dbname} with {modules} and demo data...", flush=True)
        subprocess.run(
            [
                *odoo_cmd,
                "-c",
                str(cli.CONF),
                f"--addons-path={cli.addons_path(env)}",
                *cli.db_args(params),
                "-d",
                dbname,
                "-i",
                modules,
                "--stop-after-init",
                "--log-level=warn",
            ],
            env=env,
            check=True,
        )
    registry = open_registry(cli, params, dbname)
    env = api.Environment(registry.cursor(), SUPERUSER_ID, {})
    # The cashier's flow: the administrator opens the register of Odoo's demo company and sells
    # (o2o's demo retailer, where the administrator lands, is a company of its own).
    main = env.ref("base.main_company")
    return api.Environment(env.cr, env.ref("base.user_admin").id, {"allowed_company_ids": main.ids})


def measure_pos(dbname, modules, orders, per_call=1):
    env = pos_env(dbname, modules)
    config = env.ref("point_of_sale.pos_config_main")
    config.write({"warehouse_id": env.ref("stock.warehouse0").id})
    Program = env["loyalty.program"]
    program = Program.search([("name", "=", "Bench POS loyalty")], limit=1)
    if not program:
        if "o2o_is_membership" in Program._fields:
            Program.search([("o2o_is_membership", "=", True)]).write(
                {"o2o_is_membership": False, "active": False}
            )
        vals = {
            "name": "Bench POS loyalty",
            "program_type": "loyalty",
            "applies_on": "both",
            "trigger": "auto",
            "pos_ok": True,
            "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})],
            "reward_ids": [
                (
                    0,
                    0,
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_point",
                        "discount": 0.01,
                        "required_points": 10,
                    },
                )
            ],
        }
        if "o2o_is_membership" in Program._fields:
            vals["o2o_is_membership"] = True
        program = Program.create(vals)
    partner = env["res.partner"].search([("name", "=", "Bench POS member")], limit=1) or env[
        "res.partner"
    ].create({"name": "Bench POS member"})
    card = env["loyalty.card"].search(
        [("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1
    )
    if not card:
        card = env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id, "points": 0})
    product = env["product.product"].search(
        [("available_in_pos", "=", True), ("list_price", ">", 0)], limit=1
    )
    if config.current_session_id:
        session = config.current_session_id
    else:
        config.open_ui()
        session = config.current_session_id
    cash = config.payment_method_ids.filtered("is_cash_count")[:1] or config.payment_method_ids[:1]
    env.cr.commit()
    Order = env["pos.order"]
    queries, times = [], []
    sequence = 0
    for _batch in range(max(orders // per_call, 2)):
        batch = []
        for _i in range(per_call):
            sequence += 1
            uuid = f"bench-{time.time_ns()}-{sequence}"
            price = product.lst_price
            batch.append({
                "amount_paid": price, "amount_return": 0, "amount_tax": 0, "amount_total": price,
                "date_order": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                "fiscal_position_id": False, "pricelist_id": config.pricelist_id.id,
                "name": f"Order {uuid}", "last_order_preparation_change": "{}",
                "lines": [(0, 0, {"product_id": product.id, "qty": 1, "price_unit": price,
                                  "price_subtotal": price, "price_subtotal_incl": price,
                                  "tax_ids": [], "pack_lot_ids": []})],
                "partner_id": partner.id, "session_id": session.id, "sequence_number": sequence,
                "payment_ids": [(0, 0, {"amount": price, "payment_method_id": cash.id, "name": "now"})],
                "uuid": uuid, "user_id": env.uid, "to_invoice": False,
            })  # fmt: skip
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        result = Order.sync_from_ui(batch)
        # then, per order, the front end's loyalty confirmation
        for row in result["pos.order"]:
            order = Order.browse(row["id"])
            price = order.amount_total
            coupon_data = {
                str(card.id): {"points": price, "program_id": program.id, "coupon_id": card.id, "barcode": ""}
            }
            updates = order.confirm_coupon_programs(coupon_data)
            order.add_loyalty_history_lines(
                [{"card_id": str(card.id), "won": price, "spent": 0}], updates.get("coupon_updates", [])
            )
        env.cr.commit()
        times.append((time.perf_counter() - t0) * 1000 / per_call)
        queries.append((env.cr.sql_log_count - q0) / per_call)
        env.invalidate_all()
    card.invalidate_recordset()
    warm = max(len(queries) // 5, 1)  # the first syncs fill Odoo's caches
    return {
        "median_queries": round(statistics.median(queries[warm:]), 1),
        "median_ms": round(statistics.median(times[warm:]), 1),
        "card_points": card.points,
    }


def pos_child(dbname, modules, orders, per_call=1):
    """SQL queries per POS order on ``dbname``, ``per_call`` orders per sync call, measured in a
    process of its own."""
    run = subprocess.run(
        [
            sys.executable,
            str(HERE),
            f"--db={dbname}",
            f"--pos-child={modules}",
            f"--orders={orders}",
            f"--pos-per-call={per_call}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        sys.exit(run.stderr[-3000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="o2o_bench_loyalty")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--skip-pos", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true", help="only the POS figures")
    parser.add_argument(
        "--pos-per-call",
        type=int,
        nargs="+",
        default=[1, 50],
        help="orders per sync call (the front end syncs one order, or a batch kept offline)",
    )
    parser.add_argument("--jobs-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pos-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.jobs_child:
        run_jobs(args.db)
        return
    if args.pos_child:
        print(json.dumps(measure_pos(args.db, args.pos_child, args.orders, args.pos_per_call[0])))
        return
    figures = {}
    if not args.skip_jobs:
        env = connect_env(args.db)
        program = membership(env)
        seed_members(env, program, args.members, args.history)
        (due_lots, due_cards, due_points), history = restore_state(env, program)
        env.cr.close()
        print(
            f"Running the nightly jobs: {due_lots} lots of {due_cards} members to expire, "
            f"{history} history lines"
        )
        child = subprocess.run(
            [sys.executable, str(HERE), "--jobs-child", f"--db={args.db}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(child.stderr[-3000:])
        jobs = json.loads(child.stdout.strip().splitlines()[-1])
        figures.update(
            {
                "members": args.members,
                "history_lines": history,
                "lots_due": due_lots,
                "points_expired": due_points,
                **jobs,
            }
        )
        print_figures(figures)
    if not args.skip_pos:
        figures["pos_orders"] = args.orders
        for per_call in args.pos_per_call:
            native = pos_child(f"{args.db}_pos_native", "pos_loyalty", args.orders, per_call)
            ours = pos_child(f"{args.db}_pos_o2o", "o2o_loyalty", args.orders, per_call)
            prefix = f"pos_{per_call}_per_sync"
            figures.update(
                {
                    f"{prefix}_queries_per_order_pos_loyalty": native["median_queries"],
                    f"{prefix}_queries_per_order_o2o_loyalty": ours["median_queries"],
                    f"{prefix}_ms_per_order_pos_loyalty": native["median_ms"],
                    f"{prefix}_ms_per_order_o2o_loyalty": ours["median_ms"],
                    # what o2o_loyalty adds to Odoo's own work (the goal: at most 3 queries)
                    f"{prefix}_queries_per_order_added": round(
                        ours["median_queries"] - native["median_queries"], 1
                    ),
                    f"{prefix}_ms_per_order_added": round(ours["median_ms"] - native["median_ms"], 1),
                }
            )
    print_figures(figures)


if __name__ == "__main__":
    main()

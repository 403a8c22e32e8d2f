#!/usr/bin/env python3
"""o2o_marketplace benchmark, against the local marketplace simulator (tools/marketplace_sim).

    python3 bench/bench_marketplace.py [--db o2o_bench_mkp] [--orders 2000] [--skus 10000]

1. Order import: 200 then ``--orders`` orders of 3 lines each are imported by the connector's own
   polling run (`o2o.marketplace.shop._o2o_sync_orders`, committing page by page): orders per
   second, SQL queries per order (which must not grow with the batch), API calls. Beside it, in
   the same run and database, Odoo's own work for the same orders (same customers, products,
   lines, prices and taxes, the imported orders copied): `sale.order.create` + `action_confirm()`
   by pages of 100 (batched) and one order at a time, committed per page as the import is; the
   ratios say what the connector costs on top of Odoo.
2. Stock push: ``--skus`` listed SKUs per marketplace, all in sync; then the stock of 100 products
   changes, the stock cron queues the push and the job runs (`_cron_push_stock_changes`, then
   `_o2o_job_push_stock` as queue_job runs it): API calls made and seconds,
   per marketplace (Shopee takes one item per call, Lazada and TikTok Shop up to 50 SKUs).

Creates its database (o2o_marketplace without demo data) on first use; every run uses new shops.
"""

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

from bench_base import connect, print_figures

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from marketplace_sim import make_simulator

LINES = 3


def setup_products(env, count):
    """``count`` storable products MKP-BENCH-<n>, created once, 1,000 units each in the main warehouse."""
    Product = env["product.product"].with_context(tracking_disable=True)
    existing = Product.search([("default_code", "=like", "MKP-BENCH-%")], order="id")
    if len(existing) < count:
        Product.create(
            [
                {"name": f"Bench product {i}", "default_code": f"MKP-BENCH-{i}", "is_storable": True}
                for i in range(len(existing), count)
            ]
        )
        existing = Product.search([("default_code", "=like", "MKP-BENCH-%")], order="id")
        warehouse = env.ref("stock.warehouse0")
        for product in existing:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1000)
        env.cr.commit()
    return existing[:count]


def new_shop(env, sim, marketplace, products, listed):
    # shops of earlier runs stay in the database: a shop id not used yet
    sim_shop = sim.add_shop(marketplace, shop_id=f"{int(time.time() * 1000) % 10**11}")
    access, refresh, _ttl, _rttl = sim.issue_tokens(sim_shop)
    host = sim.url(marketplace) + ("/rest" if marketplace == "lazada" else "")
    auth_host = sim.url(marketplace) + ("/auth/rest" if marketplace == "lazada" else "")
    shop = env["o2o.marketplace.shop"].create(
        {
            "name": f"Bench {marketplace} {sim_shop.shop_id}",
            "marketplace": marketplace,
            "host": host,
            "auth_host": auth_host,
            "app_key": sim_shop.app_key,
            "app_secret": sim_shop.app_secret,
            "shop_external_id": sim_shop.shop_id,
            "warehouse_id": env.ref("stock.warehouse0").id,
            "sync_stock": True,
        }
    )
    env["o2o.marketplace.token"].create(
        {
            "shop_id": shop.id,
            "access_token": access,
            "refresh_token": refresh,
            "access_expires_at": "2099-01-01 00:00:00",
        }
    )
    model = marketplace != "shopee"
    for index, product in enumerate(products[:listed]):
        sim.add_listing(
            marketplace,
            sim_shop.shop_id,
            item_id=700000 + index,
            model_id=900000 + index if model else None,
            sku=product.default_code,
            name=product.name,
            price=100000,
            stock=0,
        )
    env.cr.commit()
    return shop, sim_shop


def bench_import(env, sim, products, count):
    shop, sim_shop = new_shop(env, sim, "shopee", products, 50)
    shop._o2o_sync_listings()
    env.cr.commit()
    listings = sim.shop_listings("shopee", sim_shop.shop_id)
    now = sim.now()
    rng = random.Random(count)
    # spread over the last three days, whatever the count (an order updated in the future is not
    # imported yet by a run that stops at now)
    step = min(60, (3 * 86400 - 600) / count)
    for i in range(count):
        lines = [
            {
                "item_id": listing.item_id,
                "model_id": listing.model_id,
                "sku": listing.sku,
                "name": listing.name,
                "quantity": rng.randint(1, 3),
                "unit_price": 100000,
                "discount": 5000,
            }
            for listing in rng.sample(listings, LINES)
        ]
        sim.add_order(
            "shopee",
            sim_shop.shop_id,
            lines,
            at=int(now - 3 * 86400 + i * step),
            buyer={"name": f"Buyer {i}", "phone": "******78", "external_id": f"b{i % 500}"},
            shipping_fee=15000,
            seller_voucher=10000,
            platform_voucher=5000,
        )
    shop.order_sync_position = datetime.datetime.utcfromtimestamp(now - 4 * 86400)
    env.cr.commit()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    job = shop._o2o_sync_orders()
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    imported = env["sale.order"].search_count([("o2o_marketplace_shop_id", "=", shop.id)])
    assert imported == count, (imported, count, job.message)
    totals = env["sale.order"].search([("o2o_marketplace_shop_id", "=", shop.id)], limit=50)
    assert all(abs(o.amount_total - o.o2o_marketplace_total) < 0.01 for o in totals)
    return {
        "orders": count,
        "orders_per_s": round(count / elapsed, 1),
        "queries_per_order": round(queries / count, 1),
        "api_calls": job.api_calls,
        "seconds": round(elapsed, 1),
        "shop": shop,
    }


def odoo_anchor(env, shop, count, batched, page=100):
    """Odoo's own create + confirm of copies of the shop's ``count`` imported orders (see above)."""
    from odoo import Command

    orders = env["sale.order"].search([("o2o_marketplace_shop_id", "=", shop.id)], order="id", limit=count)
    vals = [
        {
            "partner_id": order.partner_id.id,
            "company_id": order.company_id.id,
            "warehouse_id": order.warehouse_id.id,
            "team_id": order.team_id.id,
            "pricelist_id": order.pricelist_id.id,
            "client_order_ref": f"ANCHOR-{order.client_order_ref}",
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "product_uom_qty": line.product_uom_qty,
                        "price_unit": line.price_unit,
                        "tax_id": [Command.set(line.tax_id.ids)],
                    }
                )
                for line in order.order_line
            ],
        }
        for order in orders
    ]
    env.cr.commit()
    env.invalidate_all()
    SaleOrder = env["sale.order"]
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    for start in range(0, len(vals), page):
        chunk = vals[start : start + page]
        if batched:
            SaleOrder.create(chunk).action_confirm()
        else:
            for one in chunk:
                SaleOrder.create(one).action_confirm()
        env.cr.commit()
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    return {
        "orders_per_s": round(len(vals) / elapsed, 1),
        "queries_per_order": round(queries / len(vals), 1),
    }


def run_queued_jobs(env, method):
    """Run the queued jobs of ``method`` one after the other, as queue_job's runner would."""
    from odoo.addons.queue_job.job import Job

    for record in env["queue.job"].search([("method_name", "=", method), ("state", "=", "pending")]):
        job = Job.load(env, record.uuid)
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
        env.cr.commit()


def bench_stock(env, sim, products, marketplace, skus):
    env["o2o.marketplace.shop"].search([]).write({"sync_stock": False})  # only this shop pushes
    shop, sim_shop = new_shop(env, sim, marketplace, products, skus)
    shop._o2o_sync_listings()
    # everything in sync before the change: the marketplace already shows what Odoo would push
    targets = shop.listing_ids._o2o_target_qty()
    for listing, qty in targets.items():
        sim.listing(marketplace, sim_shop.shop_id, listing.item_id, listing.model_id).stock = qty
    env.cr.executemany(
        "UPDATE o2o_marketplace_listing SET marketplace_qty = %s WHERE id = %s",
        [(qty, listing.id) for listing, qty in targets.items()],
    )
    shop.listing_ids.invalidate_recordset(["marketplace_qty"])
    env.cr.execute("DELETE FROM o2o_marketplace_stock_event")
    env.cr.commit()
    changed = products[:100]
    warehouse = env.ref("stock.warehouse0")
    for product in changed:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, -1)
    env.cr.commit()
    calls, pushes = len(sim.calls), len(sim.stock_pushes)
    started = time.perf_counter()
    queries = env.cr.sql_log_count
    env["o2o.marketplace.listing"]._cron_push_stock_changes()
    env.cr.commit()
    run_queued_jobs(env, "_o2o_job_push_stock")
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    pushed = [p for p in sim.stock_pushes[pushes:] if p[1] == sim_shop.shop_id]
    # back to 1,000 units so that a next run starts from the same stock
    for product in changed:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1)
    env.cr.execute("DELETE FROM o2o_marketplace_stock_event")
    shop.active = False
    env.cr.commit()
    return {
        "listed_skus": skus,
        "changed": len(changed),
        "api_calls": len(sim.calls) - calls,
        "skus_pushed": len(pushed),
        "queries": queries,
        "seconds": round(elapsed, 2),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="o2o_bench_mkp")
    parser.add_argument(
        "--orders",
        type=int,
        nargs="*",
        default=[2000],
        help="batch sizes after 200 (e.g. 2000 5000)",
    )
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--no-import", action="store_true", help="only the stock push")
    parser.add_argument("--no-stock", action="store_true", help="only the order import")
    args = parser.parse_args()
    registry = connect(args.db, modules="o2o_marketplace")
    sim = make_simulator().start()
    from odoo import SUPERUSER_ID, api

    figures = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("o2o_marketplace.backoff", "0.1")
        print(f"Products ({args.skus})...", flush=True)
        products = setup_products(env, 50 if args.no_stock else max(args.skus, 50))
        for count in () if args.no_import else (200, *args.orders):
            print(f"Importing {count} orders...", flush=True)
            ours = bench_import(env, sim, products, count)
            for key, value in ours.items():
                figures[f"import_{count}_{key}"] = value
            shop = ours.pop("shop")
            figures.pop(f"import_{count}_shop")
            for batched, label in ((True, "odoo_batched"), (False, "odoo_one_by_one")):
                print(f"Odoo's own create + confirm of the same {count} orders ({label})...", flush=True)
                anchor = odoo_anchor(env, shop, count, batched)
                for key, value in anchor.items():
                    figures[f"import_{count}_{label}_{key}"] = value
                figures[f"import_{count}_speed_vs_{label}"] = round(
                    ours["orders_per_s"] / anchor["orders_per_s"], 2
                )
                figures[f"import_{count}_queries_vs_{label}"] = round(
                    ours["queries_per_order"] / anchor["queries_per_order"], 2
                )
            # each batch's figures as soon as they are known (a long run keeps what it measured)
            print(
                json.dumps({k: v for k, v in figures.items() if k.startswith(f"import_{count}_")}), flush=True
            )
        for marketplace in () if args.no_stock else ("shopee", "lazada", "tiktok"):
            print(f"Stock push, {marketplace}, {args.skus} SKUs listed...", flush=True)
            for key, value in bench_stock(env, sim, products, marketplace, args.skus).items():
                figures[f"stock_{marketplace}_{key}"] = value
    sim.stop()
    print_figures(figures)


if __name__ == "__main__":
    main()

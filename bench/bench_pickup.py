#!/usr/bin/env python3
"""o2o_pickup benchmark: slot availability and earliest pickup for a store with 0, 1,000 and
5,000 open pickup orders (must not grow with the orders), and SQL queries per POS collection.

    python3 bench/bench_pickup.py [--db o2o_bench_pickup] [--orders 5000] [--collections 500]

Creates its database (o2o_pickup without demo data) on first use. Open orders are real
confirmed pickup orders created through the ORM in batches, booked into the store's slots;
collections hand over prepaid orders through `sale.order.o2o_pos_pickup_collect`, as the POS
does, each followed by a commit.
"""

import argparse
import statistics
import sys
import time

from bench_base import connect, print_figures


def setup_store(env, code="BPU"):
    Warehouse = env["stock.warehouse"]
    store = Warehouse.search([("code", "=", code)])
    if store:
        return store
    company = env.company
    company.country_id = env.ref("base.vn")
    calendar = env["resource.calendar"].create(
        {
            "name": "Bench store hours",
            "tz": "Asia/Ho_Chi_Minh",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": str(d),
                        "dayofweek": str(d),
                        "hour_from": 8,
                        "hour_to": 22,
                        "day_period": "morning",
                    },
                )
                for d in range(7)
            ],
        }
    )
    store = Warehouse.create(
        {
            "name": f"Bench pickup store {code}",
            "code": code,
            "o2o_is_store": True,
            "opening_hours": calendar.id,
            "o2o_pickup_slot_minutes": 30,
            "o2o_pickup_slot_capacity": 100,
            "o2o_pickup_hold_days": 30,
        }
    )
    store.o2o_pickup_enabled = True
    product = env["product.product"].search([("name", "=", "Bench pickup product")], limit=1) or env[
        "product.product"
    ].create(
        {"name": "Bench pickup product", "is_storable": True, "list_price": 10.0, "available_in_pos": True}
    )
    env["stock.quant"].with_context(inventory_mode=True).create(
        {"product_id": product.id, "location_id": store.lot_stock_id.id, "inventory_quantity": 1_000_000}
    ).action_apply_inventory()
    env["pos.config"].create({"name": f"Bench pickup POS {code}", "warehouse_id": store.id})
    env.cr.commit()
    return store


def create_orders(env, store, count):
    product = env["product.product"].search([("name", "=", "Bench pickup product")], limit=1)
    partner = env["res.partner"].search([("name", "=", "Bench pickup customer")], limit=1) or env[
        "res.partner"
    ].create({"name": "Bench pickup customer"})  # no phone nor e-mail: the bench messages nobody
    carrier = env.ref("website_sale_collect.carrier_pick_up_in_store")
    Order = env["sale.order"].with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
    batch = 100
    for start in range(0, count, batch):
        orders = Order.create(
            [
                {
                    "partner_id": partner.id,
                    "carrier_id": carrier.id,
                    "warehouse_id": store.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
                for _i in range(min(batch, count - start))
            ]
        )
        orders.action_confirm()
        env.cr.commit()
        print(f"  open pickup orders: +{start + len(orders)}/{count}", end="\r", flush=True)
    print()


def measure_slots(env, store, runs=20):
    times, queries, earliest_times, earliest_queries = [], [], [], []
    product = env["product.product"].search([("name", "=", "Bench pickup product")], limit=1)
    for _run in range(runs):
        env.invalidate_all()
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        store.o2o_get_pickup_slots(days=7)
        times.append(time.perf_counter() - t0)
        queries.append(env.cr.sql_log_count - q0)
        env.invalidate_all()
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        store.o2o_get_earliest_pickup({product: 1})
        earliest_times.append(time.perf_counter() - t0)
        earliest_queries.append(env.cr.sql_log_count - q0)
    return {
        "slots_ms": round(statistics.median(times) * 1000, 2),
        "slots_queries": statistics.median(queries),
        "earliest_ms": round(statistics.median(earliest_times) * 1000, 2),
        "earliest_queries": statistics.median(earliest_queries),
    }


def measure_collections(env, store, count):
    config = env["pos.config"].search([("warehouse_id", "=", store.id)], limit=1)
    if not config.current_session_id:
        # Odoo lets no superuser open a register outside tests.
        config.with_user(env.ref("base.user_admin")).open_ui()
    if config.current_session_id.state == "opening_control":
        config.current_session_id.set_opening_control(0, None)  # the cashier counts the opening cash
    env.cr.commit()
    admin = env.ref("base.user_admin")
    Order = env["sale.order"]
    orders = Order.search(
        [("o2o_pickup_store_id", "=", store.id), ("o2o_pickup_state", "in", ("confirmed", "preparing"))],
        limit=count,
        order="id",
    )
    provider = env.ref("payment.payment_provider_transfer")
    method = env.ref("payment_custom.payment_method_wire_transfer")
    for order in orders:
        env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": f"BENCH-{order.name}",
                "sale_order_ids": [(6, 0, order.ids)],
                "state": "done",
            }
        )
    orders.with_context(tracking_disable=True, o2o_pickup_no_notify=True).action_o2o_pickup_ready()
    env.cr.commit()
    times, queries = [], []
    codes = {order.id: order.o2o_pickup_code for order in orders}
    for order in orders:
        env.invalidate_all()
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        # The cashier's call: the customer shows the pickup code.
        result = Order.with_user(admin).o2o_pos_pickup_collect(order.id, config.id, proof=codes[order.id])
        assert not (isinstance(result, dict) and result.get("error")), result
        env.cr.commit()
        times.append(time.perf_counter() - t0)
        queries.append(env.cr.sql_log_count - q0)
    return {
        "collections": len(orders),
        "collect_median_ms": round(statistics.median(times) * 1000, 1),
        "collect_median_queries": statistics.median(queries),
        "collect_max_queries": max(queries),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="o2o_bench_pickup")
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--collections", type=int, default=500)
    args = parser.parse_args()

    registry = connect(args.db, modules="o2o_pickup")
    import odoo

    figures = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        store = setup_store(env)
        empty_store = setup_store(env, code="BPE")
        Order = env["sale.order"]
        domain = [
            ("o2o_pickup_store_id", "=", store.id),
            ("o2o_pickup_state", "in", ("confirmed", "preparing", "ready")),
        ]
        missing = args.orders - Order.search_count(domain)
        if missing > 0:
            create_orders(env, store, missing)
        for label, measured in (("0_open", empty_store), (f"{args.orders}_open", store)):
            for key, value in measure_slots(env, measured).items():
                figures[f"{key}_store_{label}"] = value
        figures.update(measure_collections(env, store, args.collections))
        figures["open_orders"] = Order.search_count(domain)
        figures["slot_window_days"] = 7

    print_figures(figures)


if __name__ == "__main__":
    sys.exit(main())

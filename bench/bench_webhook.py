#!/usr/bin/env python3
"""Marketplace push (webhook) answer times, with the marketplace's API slow.

    python3 bench/bench_webhook.py [--db o2o_bench_mkp] [--pushes 50] [--api-delay 2]

Starts two Odoo servers on the benchmark database (the first with queue_job's runner, which
imports the pushed orders meanwhile, as in production) and the marketplace simulator answering
every API call after ``--api-delay`` seconds. Then:

1. ``--pushes`` signed Lazada pushes of as many new orders, all at once to the first server:
   median and p99 answer time (the push is verified and queued; the order is read from the API
   by a job). Lazada wants an answer within 500 ms.
2. Odoo's own equivalent, in the same run and under the same load: as many concurrent requests
   to ``/web/webclient/version_info`` (a public JSON-RPC route that reads the database once),
   the floor of any Odoo request on this server.
3. 20 identical pushes of one new order at once, split between the two servers: the answers
   (all 200) and the jobs queued for that order (one).
"""

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from bench_base import connect, load_cli, print_figures

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from marketplace_sim import make_simulator


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url, body, headers, timeout=60):
    """-> (HTTP status, seconds to the whole answer), on a connection of its own."""
    started = time.perf_counter()
    response = requests.post(url, data=body, headers=headers, timeout=timeout)
    return response.status_code, time.perf_counter() - started


def at_once(calls):
    """Run the ``calls`` (no-argument functions) in threads released together; -> their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def start_server(cli, params, dbname, port, runner):
    odoo, env = cli.find_odoo()
    cmd = [
        *odoo, "-c", str(cli.CONF), f"--addons-path={cli.addons_path(env)}", *cli.db_args(params),
        "-d", dbname, f"--db-filter=^{dbname}$", f"--http-port={port}", "--http-interface=127.0.0.1",
        "--max-cron-threads=0", "--log-level=warn",
    ]  # fmt: skip
    if not runner:
        cmd.append("--load=base,web")  # a second server: queue_job's runner runs on one server only
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).raise_for_status()
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"Odoo did not start on port {port}")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(registry, sim, marketplace, shop_id, orders, ports, figures):
    urls = [f"http://127.0.0.1:{port}/o2o/marketplace/{marketplace}/webhook" for port in ports]
    rpc_headers = {"Content-Type": "application/json"}
    rpc = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode()
    # warm both servers (a worker's first request loads the routing map)
    for port, url in zip(ports, urls, strict=True):
        post(f"http://127.0.0.1:{port}/web/webclient/version_info", rpc, rpc_headers)
        post(url, b"", rpc_headers)

    # one at a time: what one push costs the server, beside what Odoo's lightest request costs
    singles = orders[-11:-1]
    alone = [
        post(urls[0], b, h)[1]
        for h, b in (sim.webhook_request(marketplace, o.external_id, urls[0]) for o in singles)
    ]
    rpc_alone = [
        post(f"http://127.0.0.1:{ports[0]}/web/webclient/version_info", rpc, rpc_headers)[1] for _o in singles
    ]
    figures["push_alone_median_ms"] = round(statistics.median(alone) * 1000, 1)
    figures["odoo_version_info_alone_median_ms"] = round(statistics.median(rpc_alone) * 1000, 1)

    signed = [sim.webhook_request(marketplace, order.external_id, urls[0]) for order in orders[:-11]]
    answers = at_once([lambda h=h, b=b: post(urls[0], b, h) for h, b in signed])
    times = [seconds for _status, seconds in answers]
    figures["push_statuses"] = sorted({status for status, _s in answers})
    figures["push_median_ms"] = round(statistics.median(times) * 1000, 1)
    figures["push_p99_ms"] = round(percentile(times, 0.99) * 1000, 1)

    anchor_url = f"http://127.0.0.1:{ports[0]}/web/webclient/version_info"
    anchors = at_once([lambda: post(anchor_url, rpc, rpc_headers)] * len(signed))
    anchor_times = [seconds for _status, seconds in anchors]
    figures["odoo_version_info_median_ms"] = round(statistics.median(anchor_times) * 1000, 1)
    figures["odoo_version_info_p99_ms"] = round(percentile(anchor_times, 0.99) * 1000, 1)
    figures["push_vs_odoo_median"] = round(statistics.median(times) / statistics.median(anchor_times), 2)

    last = orders[-1]
    duplicates = [sim.webhook_request(marketplace, last.external_id, url) for url in urls]
    calls = [lambda i=i: post(urls[i % 2], duplicates[i % 2][1], duplicates[i % 2][0]) for i in range(20)]
    figures["duplicate_push_statuses"] = sorted({status for status, _s in at_once(calls)})
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM queue_job WHERE identity_key = %s",
            [f"o2o_marketplace:{shop_id}:order:{last.external_id}"],
        )
        figures["duplicate_push_jobs"] = cr.fetchone()[0]
        cr.execute(
            "SELECT state, count(*) FROM queue_job WHERE identity_key LIKE %s GROUP BY state",
            [f"o2o_marketplace:{shop_id}:order:%"],
        )
        figures["jobs_by_state"] = dict(cr.fetchall())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="o2o_bench_mkp")
    parser.add_argument("--pushes", type=int, default=50)
    parser.add_argument("--api-delay", type=float, default=2.0)
    args = parser.parse_args()
    registry = connect(args.db, modules="o2o_marketplace")
    cli = load_cli()
    params = cli.find_postgres()
    sim = make_simulator().start()
    from odoo import SUPERUSER_ID, api

    marketplace = "lazada"
    sim_shop = sim.add_shop(marketplace, shop_id=f"{int(time.time() * 1000) % 10**11}")
    access, refresh, _ttl, _rttl = sim.issue_tokens(sim_shop)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        shop = env["o2o.marketplace.shop"].create(
            {
                "name": f"Bench push {sim_shop.shop_id}",
                "marketplace": marketplace,
                "host": sim.url(marketplace) + "/rest",
                "auth_host": sim.url(marketplace) + "/auth/rest",
                "app_key": sim_shop.app_key,
                "app_secret": sim_shop.app_secret,
                "shop_external_id": sim_shop.shop_id,
                "warehouse_id": env.ref("stock.warehouse0").id,
                "sync_orders": False,
            }
        )
        env["o2o.marketplace.token"].create(
            {
                "shop_id": shop.id,
                "access_token": access,
                "refresh_token": refresh,
                "access_expires_at": "2099-01-01 00:00:00",
                "refresh_expires_at": "2099-01-01 00:00:00",
            }
        )
        shop_id = shop.id
    line = {"item_id": "9001", "model_id": "9101", "sku": "PUSH-BENCH", "name": "Push bench", "quantity": 1}
    orders = [
        sim.add_order(marketplace, sim_shop.shop_id, [{**line, "unit_price": 100000}], status="ready_to_ship")
        for _i in range(args.pushes + 11)
    ]
    sim.faults.add(marketplace, "timeout", count=10**6, delay=args.api_delay)

    ports = [free_port(), free_port()]
    servers = [
        start_server(cli, params, args.db, ports[0], runner=True),
        start_server(cli, params, args.db, ports[1], runner=False),
    ]
    figures = {"pushes": args.pushes, "api_delay_s": args.api_delay}
    try:
        measure(registry, sim, marketplace, shop_id, orders, ports, figures)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        sim.stop()
        with registry.cursor() as cr:
            # the imports still waiting would call a simulator that is gone: cancelled
            cr.execute(
                "UPDATE queue_job SET state = 'cancelled' WHERE identity_key LIKE %s "
                "AND state IN ('pending', 'enqueued', 'started')",
                [f"o2o_marketplace:{shop_id}:%"],
            )
            cr.execute("UPDATE o2o_marketplace_shop SET active = false WHERE id = %s", [shop_id])
    print_figures(figures)


if __name__ == "__main__":
    main()

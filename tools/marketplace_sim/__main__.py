"""Run the marketplace simulator: ``python -m marketplace_sim --demo`` (with tests/ on sys.path)."""

import argparse
import logging
import time

from . import make_simulator
from .demo import install_demo, order_stream


def main():
    parser = argparse.ArgumentParser(prog="marketplace_sim", description=__doc__)
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--demo", action="store_true", help="demo shops, listings and orders")
    parser.add_argument(
        "--odoo-url", default="http://127.0.0.1:8069", help="where new demo orders are pushed"
    )
    parser.add_argument(
        "--order-every", type=float, default=120, help="seconds between new demo orders (0: none)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="marketplace-sim: %(message)s")
    sim = make_simulator().start(port=args.port)
    if args.demo:
        install_demo(sim)
        if args.order_every:
            order_stream(sim, args.odoo_url, args.order_every)
    logging.info("Shopee, Lazada and TikTok Shop APIs on %s/<marketplace>", sim.url())
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()

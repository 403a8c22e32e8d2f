"""Demo shops for `./o2o run`: the credentials in addons/o2o_marketplace/demo/o2o_marketplace_demo.xml."""

import logging
import random
import threading
import time

from .core import ACCESS_TTL, REFRESH_TTL

_logger = logging.getLogger(__name__)

DEMO_SHOPS = [
    # marketplace, shop id, app key, app secret
    ("shopee", "1001001", "2001001", "shopee-demo-partner-key-0000000000000000"),
    ("lazada", "1001002", "2001002", "lazada-demo-app-secret-00000000000000000"),
    ("tiktok", "1001003", "2001003", "tiktok-demo-app-secret-00000000000000000"),
]

# The o2o_base demo products (internal reference, barcode, name, price in VND).
DEMO_PRODUCTS = [
    ("O2O-TS-01", "8935001800019", "Áo thun O2O", 199000),
    ("O2O-CAP-01", "8935001800026", "Mũ lưỡi trai O2O", 149000),
    ("O2O-BAG-01", "8935001800033", "Túi vải O2O", 99000),
    ("O2O-COF-500", "8935001800040", "Cà phê rang xay 500g", 180000),
]

BUYERS = [
    {
        "external_id": "880001",
        "name": "Trần Thị B",
        "phone": "84901234567",
        "city": "Hồ Chí Minh",
        "country_code": "VN",
    },
    {
        "external_id": "880002",
        "name": "Lê Văn C",
        "phone": "******789",
        "city": "Hà Nội",
        "country_code": "VN",
    },
    {
        "external_id": "880003",
        "name": "Phạm Minh D",
        "phone": "84938765432",
        "city": "Đà Nẵng",
        "country_code": "VN",
    },
]


def install_demo(sim):
    """Demo shops with fixed tokens, one listing per demo product, and a few orders."""
    for marketplace, shop_id, app_key, app_secret in DEMO_SHOPS:
        shop = sim.add_shop(marketplace, shop_id=shop_id, app_key=app_key, app_secret=app_secret)
        shop.access_tokens[f"demo-{marketplace}-access"] = sim.now() + ACCESS_TTL
        shop.refresh_tokens[f"demo-{marketplace}-refresh"] = sim.now() + REFRESH_TTL
        for index, (sku, barcode, name, price) in enumerate(DEMO_PRODUCTS, start=1):
            sim.add_listing(
                marketplace,
                shop_id,
                item_id=f"{shop_id}{index:03d}",
                model_id=f"{shop_id}{index:03d}1" if marketplace != "shopee" else None,
                sku=sku,
                name=name,
                price=price,
                stock=0,
                barcode=barcode,
            )
        for _i in range(3):
            new_order(sim, marketplace, shop_id, at=sim.now() - random.randint(600, 86400))


def new_order(sim, marketplace, shop_id, at=None):
    listings = random.sample(sim.shop_listings(marketplace, shop_id), k=2)
    lines = [
        {
            "item_id": listing.item_id,
            "model_id": listing.model_id,
            "sku": listing.sku,
            "name": listing.name,
            "quantity": random.randint(1, 2),
            "unit_price": listing.price,
        }
        for listing in listings
    ]
    return sim.add_order(
        marketplace,
        shop_id,
        lines,
        status="ready_to_ship",
        buyer=dict(random.choice(BUYERS)),
        shipping_fee=15000,
        seller_voucher=10000,
        at=at,
    )


def order_stream(sim, odoo_url, every):
    """Every ``every`` seconds a new order on one of the demo shops, pushed to Odoo's webhook."""

    def loop():
        while True:
            time.sleep(every)
            marketplace, shop_id, _key, _secret = random.choice(DEMO_SHOPS)
            order = new_order(sim, marketplace, shop_id)
            url = f"{odoo_url}/o2o/marketplace/{marketplace}/webhook"
            try:
                status, _body = sim.send_webhook(marketplace, order.external_id, url)
                _logger.info(
                    "new %s order %s pushed to Odoo: HTTP %s", marketplace, order.external_id, status
                )
            except OSError as error:
                _logger.info("new %s order %s, Odoo not reachable: %s", marketplace, order.external_id, error)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread

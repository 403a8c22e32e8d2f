"""The simulator's marketplace-neutral part: shops, orders and listings, an HTTP server, faults.

Each marketplace module (``shopee.py``, ``lazada.py``, ``tiktok.py``) renders this state in its own
API format and checks its own signatures; everything here is shared. Served under one port, by path
prefix: ``http://127.0.0.1:<port>/<marketplace>/...``. Test control goes through the Python object
(``Simulator``) or, for a separate process, ``/_sim/...`` JSON routes.
"""

import dataclasses
import datetime
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

ACCESS_TTL = 4 * 3600
REFRESH_TTL = 30 * 86400


@dataclasses.dataclass
class SimShop:
    marketplace: str
    shop_id: str
    app_key: str
    app_secret: str
    seller_name: str = "Demo seller"
    region: str = "VN"
    currency: str = "VND"
    access_tokens: dict = dataclasses.field(default_factory=dict)  # token -> expiry (sim time)
    refresh_tokens: dict = dataclasses.field(default_factory=dict)  # token -> expiry; rotated ones removed
    auth_codes: set = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class SimLine:
    item_id: str
    model_id: str | None
    sku: str | None
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Decimal(0)


@dataclasses.dataclass
class SimOrder:
    """Marketplace-neutral order; ``status`` uses the adapters' normalised names."""

    shop_id: str
    external_id: str
    status: str
    create_time: int
    update_time: int
    lines: list
    buyer: dict
    shipping_fee: Decimal = Decimal(0)
    seller_voucher: Decimal = Decimal(0)
    platform_voucher: Decimal = Decimal(0)
    tracking_number: str | None = None
    shipping_carrier: str | None = None
    #: answered with an amount that is not a number (a faulty answer), in every rendering
    unreadable: bool = False

    @property
    def total_amount(self):
        goods = sum((line.unit_price * line.quantity - line.discount for line in self.lines), Decimal(0))
        return goods + self.shipping_fee - self.seller_voucher - self.platform_voucher


@dataclasses.dataclass
class SimListing:
    shop_id: str
    item_id: str
    model_id: str | None
    sku: str | None
    name: str
    price: Decimal
    stock: int
    barcode: str | None = None


class Faults:
    """Faults armed by tests: the next ``count`` calls whose path contains ``path`` fail with ``kind``.

    kinds: ``5xx`` (HTTP 503), ``timeout`` (answer after ``delay`` seconds), ``rate_limit`` (the
    marketplace's own throttling answer).
    """

    def __init__(self):
        self._armed = []
        self._lock = threading.Lock()

    def add(self, marketplace, kind, path="", count=1, delay=2.0):
        with self._lock:
            self._armed.append(
                {"marketplace": marketplace, "kind": kind, "path": path, "count": count, "delay": delay}
            )

    def take(self, marketplace, path):
        with self._lock:
            for fault in self._armed:
                if fault["marketplace"] == marketplace and fault["path"] in path and fault["count"] > 0:
                    fault["count"] -= 1
                    return dict(fault)
        return None

    def clear(self):
        with self._lock:
            self._armed.clear()


class MarketplaceHandler:
    """Base of a marketplace's API. ``handle`` returns (status, headers dict, body bytes)."""

    name = None

    def __init__(self, sim):
        self.sim = sim

    def handle(self, method, path, query, headers, body):
        raise NotImplementedError

    def rate_limited(self):
        """The marketplace's own throttling answer (status, headers, body)."""
        raise NotImplementedError

    def webhook_request(self, shop, order, url):
        """(headers, body bytes) of a signed order-status push for ``order`` to ``url``."""
        raise NotImplementedError

    # helpers for subclasses
    @staticmethod
    def json_response(payload, status=200, headers=None):
        return (
            status,
            {"Content-Type": "application/json", **(headers or {})},
            json.dumps(payload, default=str).encode(),
        )


class Simulator:
    """In-memory marketplaces. Thread-safe; time can be moved forward with ``advance``."""

    def __init__(self, rate_limit=None):
        self.lock = threading.RLock()
        self.shops = {}  # (marketplace, shop_id) -> SimShop
        self.orders = {}  # (marketplace, external_id) -> SimOrder
        self.listings = {}  # (marketplace, shop_id, item_id, model_id) -> SimListing
        self.faults = Faults()
        self.offset = 0  # seconds added to wall time (token expiry tests)
        self.calls = []  # (marketplace, method, path) of every API call, in order
        self.stock_pushes = []  # (marketplace, shop_id, item_id, model_id, quantity)
        self.price_pushes = []
        self.shipments = []  # (marketplace, external_id, tracking_number)
        #: per marketplace: (max calls, per seconds); beyond it the marketplace's throttling answer
        self.rate_limit = dict(rate_limit or {})
        self._window = {}
        #: per marketplace: callbacks run after each order-list page is computed (see after_order_page)
        self._page_hooks = {}
        self._pages_served = {}
        self.handlers = {}
        self._server = None
        self._thread = None
        self._seq = 0

    # -- time and ids ---------------------------------------------------------------------------
    def now(self):
        return int(time.time()) + self.offset

    def advance(self, seconds):
        with self.lock:
            self.offset += seconds

    def next_id(self):
        with self.lock:
            self._seq += 1
            return self._seq

    # -- handlers and server -------------------------------------------------------------------
    def register(self, handler_cls):
        self.handlers[handler_cls.name] = handler_cls(self)

    def start(self, port=0):
        sim = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _dispatch(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, payload = sim.dispatch(
                    self.command, self.path, dict(self.headers.items()), body
                )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _dispatch

        self._server = ThreadingHTTPServer(("127.0.0.1", port), RequestHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    @property
    def port(self):
        return self._server.server_address[1]

    def url(self, marketplace=""):
        return f"http://127.0.0.1:{self.port}/{marketplace}".rstrip("/")

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def dispatch(self, method, raw_path, headers, body):
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        marketplace, _, path = parts.path.lstrip("/").partition("/")
        path = "/" + path
        if marketplace == "_sim":
            return self._control(method, path, query, body)
        handler = self.handlers.get(marketplace)
        if not handler:
            return MarketplaceHandler.json_response({"error": "unknown marketplace"}, 404)
        with self.lock:
            self.calls.append((marketplace, method, path))
        fault = self.faults.take(marketplace, path)
        if fault:
            if fault["kind"] == "5xx":
                return 503, {"Content-Type": "text/html"}, b"<html>Service Unavailable</html>"
            if fault["kind"] == "timeout":
                time.sleep(fault["delay"])
            if fault["kind"] == "rate_limit":
                return handler.rate_limited()
        if self._throttled(marketplace):
            return handler.rate_limited()
        return handler.handle(method, path, query, headers, body)

    def _throttled(self, marketplace):
        limit = self.rate_limit.get(marketplace)
        if not limit:
            return False
        max_calls, per = limit
        with self.lock:
            now = time.monotonic()
            window = [t for t in self._window.get(marketplace, []) if now - t < per]
            throttled = len(window) >= max_calls
            if not throttled:
                window.append(now)
            self._window[marketplace] = window
            return throttled

    # -- shops and tokens ------------------------------------------------------------------------
    def add_shop(self, marketplace, shop_id=None, app_key=None, app_secret=None, **kwargs):
        shop = SimShop(
            marketplace=marketplace,
            shop_id=str(shop_id or 100000 + self.next_id()),
            app_key=str(app_key or 200000 + self.next_id()),
            app_secret=app_secret or secrets.token_hex(16),
            **kwargs,
        )
        with self.lock:
            self.shops[(marketplace, shop.shop_id)] = shop
        return shop

    def shop(self, marketplace, shop_id):
        return self.shops.get((marketplace, str(shop_id)))

    def shop_by_key(self, marketplace, app_key):
        return next(
            (s for (m, _sid), s in self.shops.items() if m == marketplace and s.app_key == str(app_key)), None
        )

    def shop_by_token(self, marketplace, access_token):
        with self.lock:
            for (m, _sid), shop in self.shops.items():
                if m == marketplace and access_token in shop.access_tokens:
                    return shop
        return None

    def issue_code(self, shop):
        code = secrets.token_hex(16)
        with self.lock:
            shop.auth_codes.add(code)
        return code

    def issue_tokens(self, shop, rotate_from=None):
        """New access + refresh token; ``rotate_from`` (a refresh token) stops working at once."""
        with self.lock:
            if rotate_from is not None:
                shop.refresh_tokens.pop(rotate_from, None)
            access, refresh = secrets.token_hex(16), secrets.token_hex(16)
            shop.access_tokens[access] = self.now() + ACCESS_TTL
            shop.refresh_tokens[refresh] = self.now() + REFRESH_TTL
            return access, refresh, ACCESS_TTL, REFRESH_TTL

    def use_code(self, shop, code):
        with self.lock:
            if code not in shop.auth_codes:
                return False
            shop.auth_codes.discard(code)
            return True

    def refresh_valid(self, shop, refresh_token):
        with self.lock:
            expiry = shop.refresh_tokens.get(refresh_token)
            return expiry is not None and expiry > self.now()

    def access_valid(self, shop, access_token):
        with self.lock:
            expiry = shop.access_tokens.get(access_token)
            return expiry is not None and expiry > self.now()

    # -- catalogue -------------------------------------------------------------------------------
    def add_listing(
        self,
        marketplace,
        shop_id,
        item_id,
        model_id=None,
        sku=None,
        name=None,
        price=0,
        stock=0,
        barcode=None,
    ):
        listing = SimListing(
            shop_id=str(shop_id),
            item_id=str(item_id),
            model_id=str(model_id) if model_id else None,
            sku=sku,
            name=name or sku or str(item_id),
            price=Decimal(str(price)),
            stock=int(stock),
            barcode=barcode,
        )
        with self.lock:
            self.listings[(marketplace, listing.shop_id, listing.item_id, listing.model_id)] = listing
        return listing

    def shop_listings(self, marketplace, shop_id):
        with self.lock:
            found = [
                v for (m, sid, _i, _m), v in self.listings.items() if m == marketplace and sid == str(shop_id)
            ]
        return sorted(found, key=lambda v: (v.item_id, v.model_id or ""))

    def listing(self, marketplace, shop_id, item_id, model_id=None):
        return self.listings.get(
            (marketplace, str(shop_id), str(item_id), str(model_id) if model_id else None)
        )

    def set_stock(self, marketplace, shop_id, item_id, model_id, quantity):
        with self.lock:
            listing = self.listing(marketplace, shop_id, item_id, model_id)
            if listing is None:
                return False
            listing.stock = int(quantity)
            self.stock_pushes.append(
                (marketplace, str(shop_id), str(item_id), listing.model_id, int(quantity))
            )
            return True

    def set_price(self, marketplace, shop_id, item_id, model_id, price):
        with self.lock:
            listing = self.listing(marketplace, shop_id, item_id, model_id)
            if listing is None:
                return False
            listing.price = Decimal(str(price))
            self.price_pushes.append(
                (marketplace, str(shop_id), str(item_id), listing.model_id, listing.price)
            )
            return True

    # -- orders ----------------------------------------------------------------------------------
    def add_order(
        self,
        marketplace,
        shop_id,
        lines,
        status="ready_to_ship",
        external_id=None,
        buyer=None,
        at=None,
        **kwargs,
    ):
        """``lines``: list of dicts (item_id, model_id, sku, name, quantity, unit_price, discount)."""
        at = at if at is not None else self.now()
        order = SimOrder(
            shop_id=str(shop_id),
            external_id=str(
                external_id or f"{datetime.datetime.utcfromtimestamp(at):%y%m%d}{self.next_id():06d}"
            ),
            status=status,
            create_time=at,
            update_time=at,
            lines=[
                SimLine(
                    item_id=str(line["item_id"]),
                    model_id=str(line["model_id"]) if line.get("model_id") else None,
                    sku=line.get("sku"),
                    name=line.get("name") or line.get("sku") or str(line["item_id"]),
                    quantity=int(line.get("quantity", 1)),
                    unit_price=Decimal(str(line["unit_price"])),
                    discount=Decimal(str(line.get("discount", 0))),
                )
                for line in lines
            ],
            buyer=buyer or {"name": "Nguyễn Văn A", "phone": "84912345678"},
            **{
                k: Decimal(str(v)) if k in ("shipping_fee", "seller_voucher", "platform_voucher") else v
                for k, v in kwargs.items()
            },
        )
        with self.lock:
            self.orders[(marketplace, order.external_id)] = order
        return order

    def set_order_status(self, marketplace, external_id, status, at=None):
        with self.lock:
            order = self.orders[(marketplace, str(external_id))]
            order.status = status
            order.update_time = at if at is not None else max(self.now(), order.update_time + 1)
            return order

    def shop_orders(
        self, marketplace, shop_id, time_field="update_time", time_from=None, time_to=None, statuses=None
    ):
        """Orders of a shop in [time_from, time_to] by ``time_field``, oldest first, ties by id."""
        with self.lock:
            found = [
                o
                for (m, _oid), o in self.orders.items()
                if m == marketplace
                and o.shop_id == str(shop_id)
                and (time_from is None or getattr(o, time_field) >= time_from)
                and (time_to is None or getattr(o, time_field) <= time_to)
                and (not statuses or o.status in statuses)
            ]
        return sorted(found, key=lambda o: (getattr(o, time_field), o.external_id))

    def order(self, marketplace, external_id):
        return self.orders.get((marketplace, str(external_id)))

    # -- orders changing while a connector pages -------------------------------------------------
    def after_order_page(self, marketplace, callback):
        """Call ``callback(n)`` once the n-th order-list page of ``marketplace`` (n from 1) is computed,
        before it is sent: a buyer cancelling or the marketplace packing an order between two pages."""
        with self.lock:
            self._page_hooks.setdefault(marketplace, []).append(callback)
            self._pages_served.setdefault(marketplace, 0)

    def clear_page_hooks(self):
        with self.lock:
            self._page_hooks.clear()
            self._pages_served.clear()

    def order_page_served(self, marketplace):
        """Called by a handler after computing an order-list page: runs the armed callbacks."""
        with self.lock:
            hooks = list(self._page_hooks.get(marketplace, ()))
            if not hooks:
                return
            self._pages_served[marketplace] += 1
            number = self._pages_served[marketplace]
            for hook in hooks:
                hook(number)

    # -- webhooks --------------------------------------------------------------------------------
    def webhook_request(self, marketplace, external_id, url):
        order = self.order(marketplace, external_id)
        shop = self.shop(marketplace, order.shop_id)
        return self.handlers[marketplace].webhook_request(shop, order, url)

    def send_webhook(self, marketplace, external_id, url, headers=None, body=None, timeout=30):
        """POST the push for ``external_id`` to ``url``; -> (status, body). ``headers``/``body`` override
        the signed ones (forgery tests)."""
        signed_headers, signed_body = self.webhook_request(marketplace, external_id, url)
        request = urllib.request.Request(
            url,
            data=body if body is not None else signed_body,
            headers=headers if headers is not None else signed_headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    # -- control routes (simulator run as its own process) ----------------------------------------
    def _control(self, method, path, query, body):
        data = json.loads(body or b"{}")
        if path == "/state":
            return MarketplaceHandler.json_response(
                {
                    "shops": [
                        dataclasses.asdict(s) | {"auth_codes": list(s.auth_codes)}
                        for s in self.shops.values()
                    ],
                    "orders": len(self.orders),
                    "calls": len(self.calls),
                    "stock_pushes": self.stock_pushes[-200:],
                }
            )
        if path == "/order" and method == "POST":
            order = self.add_order(**data)
            return MarketplaceHandler.json_response({"external_id": order.external_id})
        if path == "/order/status" and method == "POST":
            order = self.set_order_status(data["marketplace"], data["external_id"], data["status"])
            return MarketplaceHandler.json_response(
                {"external_id": order.external_id, "status": order.status}
            )
        if path == "/fault" and method == "POST":
            self.faults.add(**data)
            return MarketplaceHandler.json_response({"ok": True})
        if path == "/webhook" and method == "POST":
            status, answer = self.send_webhook(data["marketplace"], data["external_id"], data["url"])
            return MarketplaceHandler.json_response(
                {"status": status, "body": answer.decode("utf-8", "replace")}
            )
        return MarketplaceHandler.json_response({"error": "unknown control route"}, 404)

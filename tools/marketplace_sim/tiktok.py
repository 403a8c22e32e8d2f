"""TikTok Shop Open API 202309 over the simulator's neutral state (see core.py).

Served under ``/tiktok``: the API host (``/authorization``, ``/order``, ``/fulfillment``, ``/product``) and
the auth host (``/oauth/authorize``, ``/api/v2/token/...``) share the prefix. Signing is implemented here
again, apart from the adapter, from TikTok's "Sign your API request" page.

Answers follow TikTok's envelope ``{"code", "message", "request_id", "data"}`` with the documented codes:
36009002 "Too many requests" (HTTP 429), 106001 "signature is invalid", 105002 expired access token,
36009004 for a missing or invalid signature, timestamp, app_key, ``x-tts-access-token`` header or
shop_cipher (with TikTok's wording), 36009009 for an unknown path, 36004004 "invalid auth code".
Business refusals (unknown product or SKU, order not shippable) use the ``SIM_*`` codes below: the codes
TikTok gives for those cases are not in the pages we could read.
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from urllib.parse import urlencode

from .core import MarketplaceHandler

CODE_RATE_LIMITED = 36009002
CODE_INTERNAL = 36009003
CODE_REQUEST = 36009004
CODE_PATH = 36009009
CODE_SIGNATURE = 106001
CODE_TOKEN_EXPIRED = 105002
CODE_AUTH_CODE = 36004004
CODE_NOT_SELLERS = 21008111  # Get Order Detail: "Order/package not belong to seller"
SIM_PRODUCT_MISSING = 12052048
SIM_SKU_MISSING = 12052217
SIM_BAD_VALUE = 12052009
SIM_ORDER_STATE = 21011006
SIM_PROVIDER = 21011019

#: How far the ``timestamp`` query parameter may be from now ("within 5 minutes").
TIMESTAMP_TOLERANCE = 300
#: Update Inventory: "non-negative ... and less than 99999".
MAX_QUANTITY = 99999
WAREHOUSE_ID = "7068517275539719942"

#: Normalised status -> TikTok's. TikTok has no "returned" order status (returns are in the Return and
#: Refund API); a returned order stays COMPLETED.
STATUS = {
    "unpaid": "UNPAID",
    "ready_to_ship": "AWAITING_SHIPMENT",
    "shipped": "IN_TRANSIT",
    "completed": "COMPLETED",
    "cancelled": "CANCELLED",
    "returned": "COMPLETED",
}

#: shipping_provider_id -> name (the first is the documentation's example).
PROVIDERS = {
    "6617675021119438849": "TT Virtual express",
    "7129736293935023878": "J&T Express",
    "7129736293935023879": "Giao Hang Nhanh",
    "7129736293935023880": "Viettel Post",
}
DEFAULT_PROVIDER = "6617675021119438849"

CALLING_CODES = {"VN": "84", "TH": "66", "MY": "60", "SG": "65", "PH": "63", "ID": "62"}
COUNTRY_NAMES = {
    "VN": "Vietnam",
    "TH": "Thailand",
    "MY": "Malaysia",
    "SG": "Singapore",
    "PH": "Philippines",
    "ID": "Indonesia",
}
WHOLE_CURRENCIES = ("VND", "IDR")


def sign(app_secret, path, query, body):
    """TikTok's request signature (hex HMAC-SHA256 of secret + path + sorted key/values + body + secret)."""
    pairs = "".join(f"{k}{query[k]}" for k in sorted(query) if k not in ("sign", "access_token"))
    secret = app_secret.encode()
    message = secret + path.encode() + pairs.encode() + (body or b"") + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def amount(value):
    value = Decimal(value)
    return format(value.normalize(), "f") if value else "0"


def cipher_of(shop):
    digest = hashlib.sha256(f"cipher:{shop.shop_id}".encode()).digest()[:18]
    return "ROW_" + base64.urlsafe_b64encode(digest).decode()


def _digits_id(*parts, length=18):
    value = int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest(), 16)
    return str(10 ** (length - 1) + value % (9 * 10 ** (length - 1)))


def _split(total, count, currency):
    """``total`` over ``count`` units at the currency's precision; the last unit takes the remainder."""
    quantum = Decimal(1) if currency in WHOLE_CURRENCIES else Decimal("0.01")
    share = (total / count).quantize(quantum, rounding=ROUND_DOWN) if count else Decimal(0)
    return [share] * (count - 1) + [total - share * (count - 1)]


class Handler(MarketplaceHandler):
    name = "tiktok"

    ROUTES = (
        ("GET", re.compile(r"^/authorization/202309/shops$"), "_shops", False),
        ("POST", re.compile(r"^/order/202309/orders/search$"), "_order_search", True),
        ("GET", re.compile(r"^/order/202309/orders$"), "_order_detail", True),
        ("POST", re.compile(r"^/fulfillment/202309/orders/([^/]+)/packages$"), "_mark_shipped", True),
        ("POST", re.compile(r"^/product/202309/products/search$"), "_product_search", True),
        ("POST", re.compile(r"^/product/202309/products/([^/]+)/inventory/update$"), "_inventory", True),
        ("POST", re.compile(r"^/product/202309/products/([^/]+)/prices/update$"), "_prices", True),
    )

    def __init__(self, sim):
        super().__init__(sim)
        #: (kind, product id, number of SKUs) of every stock or price call, for batch-size checks
        self.sku_batches = []

    # -- envelope --------------------------------------------------------------------------------------
    @staticmethod
    def _request_id():
        return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(10).upper()

    def _ok(self, data):
        return self.json_response(
            {"code": 0, "message": "Success", "request_id": self._request_id(), "data": data}
        )

    def _error(self, code, message, status=400):
        return self.json_response(
            {"code": code, "message": message, "request_id": self._request_id()}, status=status
        )

    def rate_limited(self):
        return self._error(CODE_RATE_LIMITED, "Too many requests", status=429)

    # -- dispatch ---------------------------------------------------------------------------------------
    def handle(self, method, path, query, headers, body):
        if path == "/oauth/authorize" and method == "GET":
            return self._authorize(query)
        if path == "/oauth/callback":
            return 200, {"Content-Type": "text/plain"}, b"authorised"
        if path in ("/api/v2/token/get", "/api/v2/token/refresh") and method == "GET":
            return self._token(path, query)
        route = self._route(method, path)
        if route is None:
            return self._error(CODE_PATH, "Invalid path. The requested API path does not exist.", 404)
        action, shop_scoped, args = route
        shop = self._authenticate(path, query, headers, body, shop_scoped)
        if isinstance(shop, tuple):  # an error answer
            return shop
        payload = {}
        if method == "POST":
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                return self._error(CODE_REQUEST, "Invalid request body. The body must be a JSON object.")
            if not isinstance(payload, dict):
                return self._error(CODE_REQUEST, "Invalid request body. The body must be a JSON object.")
        return getattr(self, action)(shop, query, payload, *args)

    def _route(self, method, path):
        for route_method, pattern, action, shop_scoped in self.ROUTES:
            match = pattern.match(path)
            if match and route_method == method:
                return action, shop_scoped, match.groups()
        return None

    def _app_shops(self, app_key):
        with self.sim.lock:
            return [
                s for (m, _sid), s in self.sim.shops.items() if m == self.name and s.app_key == str(app_key)
            ]

    def _authenticate(self, path, query, headers, body, shop_scoped):
        """The API gateway's checks, in order; -> the shop, or an error answer."""
        shops = self._app_shops(query.get("app_key"))
        if not shops:
            return self._error(CODE_REQUEST, "Invalid credentials. Invalid `app_key` query parameter.")
        if not query.get("sign"):
            return self._error(
                CODE_REQUEST,
                "Missing credentials. The request does not include a required signature in the query.",
                401,
            )
        try:
            stamp = int(query.get("timestamp", ""))
        except ValueError:
            stamp = -1
        if stamp < 0:
            return self._error(
                CODE_REQUEST,
                "Invalid timestamp. The value of the `timestamp` query parameter must not be lesser than 0.",
                401,
            )
        # Wall time or simulated time: tests that move the simulator's clock keep a real-time clock.
        if min(abs(stamp - time.time()), abs(stamp - self.sim.now())) > TIMESTAMP_TOLERANCE:
            return self._error(
                CODE_REQUEST,
                "Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than "
                "5 minutes before the current time.",
                401,
            )
        given = query["sign"].encode()
        if not any(hmac.compare_digest(sign(s.app_secret, path, query, body).encode(), given) for s in shops):
            return self._error(CODE_SIGNATURE, "signature is invalid", 401)
        token = next((v for k, v in headers.items() if k.lower() == "x-tts-access-token"), "")
        shop = self.sim.shop_by_token(self.name, token) if token else None
        if shop is None or shop not in shops:
            return self._error(
                CODE_REQUEST, "Invalid credentials. The `x-tts-access-token` header is invalid.", 401
            )
        if not self.sim.access_valid(shop, token):
            return self._error(
                CODE_TOKEN_EXPIRED, "Expired credentials. The access token has expired, refresh it.", 401
            )
        cipher = query.get("shop_cipher")
        if not shop_scoped and cipher:
            return self._error(
                CODE_REQUEST,
                "Unexpected identifier. The `shop_cipher` query parameter is not required for this request.",
            )
        if shop_scoped and cipher != cipher_of(shop):
            return self._error(
                CODE_REQUEST, "Invalid identifier. The `shop_cipher` query parameter is invalid."
            )
        return shop

    # -- authorisation ----------------------------------------------------------------------------------
    def _authorize(self, query):
        """The seller's consent page: approves at once and redirects with ``code`` and ``state`` (TikTok
        redirects to the app's registered URL; here ``/tiktok/oauth/callback``)."""
        shops = self._app_shops(query.get("app_key"))
        if not shops:
            return self._error(CODE_REQUEST, "Invalid credentials. Invalid `app_key` query parameter.")
        code = self.sim.issue_code(shops[0])
        location = f"{self.sim.url(self.name)}/oauth/callback?" + urlencode(
            {"code": code, "state": query.get("state", "")}
        )
        return 302, {"Location": location, "Content-Type": "text/plain"}, b""

    def _token(self, path, query):
        shops = self._app_shops(query.get("app_key"))
        if not shops:
            return self._error(CODE_REQUEST, "Invalid credentials. Invalid `app_key` query parameter.")
        shops = [s for s in shops if hmac.compare_digest(s.app_secret, query.get("app_secret", ""))]
        if not shops:
            return self._error(CODE_REQUEST, "Invalid credentials. Invalid `app_secret` query parameter.")
        if path.endswith("/get"):
            if query.get("grant_type") != "authorized_code":
                return self._error(CODE_REQUEST, "Invalid parameter. `grant_type` must be authorized_code.")
            code = query.get("auth_code", "")
            shop = next((s for s in shops if self.sim.use_code(s, code)), None)
            if shop is None:
                return self._error(CODE_AUTH_CODE, "invalid auth code")
            rotate_from = None
        else:
            if query.get("grant_type") != "refresh_token":
                return self._error(CODE_REQUEST, "Invalid parameter. `grant_type` must be refresh_token.")
            rotate_from = query.get("refresh_token", "")
            shop = next((s for s in shops if self.sim.refresh_valid(s, rotate_from)), None)
            if shop is None:
                return self._error(CODE_AUTH_CODE, "invalid refresh token")
        access, refresh, access_ttl, refresh_ttl = self.sim.issue_tokens(shop, rotate_from=rotate_from)
        now = self.sim.now()
        return self._ok(
            {
                "access_token": access,
                "access_token_expire_in": now + access_ttl,
                "refresh_token": refresh,
                "refresh_token_expire_in": now + refresh_ttl,
                "open_id": _digits_id("open", shop.shop_id),
                "seller_name": shop.seller_name,
                "seller_base_region": shop.region,
                "user_type": 0,
                "granted_scopes": ["seller.order.info", "seller.product.basic", "seller.fulfillment.basic"],
            }
        )

    def _shops(self, shop, query, payload):
        return self._ok(
            {
                "shops": [
                    {
                        "cipher": cipher_of(shop),
                        "code": f"{shop.region}LC{shop.shop_id[-6:]}",
                        "id": shop.shop_id,
                        "name": shop.seller_name,
                        "region": shop.region,
                        "seller_type": "LOCAL",
                    }
                ]
            }
        )

    # -- paging -----------------------------------------------------------------------------------------
    @staticmethod
    def _page_token(offset, fingerprint):
        raw = json.dumps({"o": offset, "f": fingerprint}).encode()
        return base64.urlsafe_b64encode(raw).decode()

    def _page(self, query, items, fingerprint):
        """(page, next_page_token) or an error answer: ``page_size`` 1-100, opaque ``page_token``."""
        try:
            size = int(query.get("page_size", ""))
        except ValueError:
            size = 0
        if not 1 <= size <= 100:
            return None, self._error(
                CODE_REQUEST, "Invalid parameter. `page_size` must be between 1 and 100."
            )
        offset = 0
        if query.get("page_token"):
            try:
                state = json.loads(base64.urlsafe_b64decode(query["page_token"].encode()))
                offset = int(state["o"])
            except (ValueError, KeyError, TypeError):
                state = {}
            if state.get("f") != fingerprint:
                return None, self._error(CODE_REQUEST, "Invalid parameter. `page_token` is invalid.")
        end = offset + size
        token = self._page_token(end, fingerprint) if end < len(items) else ""
        return (items[offset:end], token), None

    # -- orders -----------------------------------------------------------------------------------------
    def _order_search(self, shop, query, payload):
        sort_field = query.get("sort_field") or "create_time"
        sort_order = query.get("sort_order") or "DESC"
        if sort_field not in ("create_time", "update_time") or sort_order not in ("ASC", "DESC"):
            return self._error(CODE_REQUEST, "Invalid parameter. `sort_field` or `sort_order` is invalid.")
        bounds = {}
        for field in ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"):
            if payload.get(field) is not None:
                try:
                    bounds[field] = int(payload[field])
                except (TypeError, ValueError):
                    return self._error(
                        CODE_REQUEST, f"Invalid parameter. `{field}` must be a Unix timestamp."
                    )
        status = payload.get("order_status")
        orders = [
            o
            for o in self.sim.shop_orders(self.name, shop.shop_id)
            if all(
                getattr(o, field[:-3]) >= value if field.endswith("_ge") else getattr(o, field[:-3]) < value
                for field, value in bounds.items()
            )
            and (not status or STATUS[o.status] == status)
        ]
        orders.sort(key=lambda o: (getattr(o, sort_field), o.external_id), reverse=sort_order == "DESC")
        fingerprint = hashlib.sha256(
            json.dumps([shop.shop_id, sort_field, sort_order, bounds, status], sort_keys=True).encode()
        ).hexdigest()[:16]
        result, error = self._page(query, orders, fingerprint)
        if error:
            return error
        page, token = result
        rendered = [self._render_order(shop, o) for o in page]
        self.sim.order_page_served(self.name)
        return self._ok(
            {
                "orders": rendered,
                "next_page_token": token,
                "total_count": len(orders),
            }
        )

    def _order_detail(self, shop, query, payload):
        ids = [i.strip() for i in (query.get("ids") or "").split(",") if i.strip()]
        if not 1 <= len(ids) <= 50:
            return self._error(CODE_REQUEST, "Invalid parameter. `ids` takes 1 to 50 order IDs.")
        found = []
        for external_id in ids:
            order = self.sim.order(self.name, external_id)
            if order is None or order.shop_id != shop.shop_id:
                return self._error(CODE_NOT_SELLERS, "Order/package not belong to seller")
            found.append(order)
        return self._ok({"orders": [self._render_order(shop, o) for o in found]})

    def _render_order(self, shop, order):
        currency = shop.currency
        status = STATUS[order.status]
        provider_id = next(
            (pid for pid, name in PROVIDERS.items() if name == order.shipping_carrier), DEFAULT_PROVIDER
        )
        package_id = _digits_id("package", order.external_id, length=19)
        items = []
        seller_lines = Decimal(0)
        for number, line in enumerate(order.lines):
            seller_lines += line.discount
            for unit, share in enumerate(_split(line.discount, line.quantity, currency)):
                items.append(
                    {
                        "id": _digits_id("item", order.external_id, number, unit),
                        "product_id": line.item_id,
                        "product_name": line.name,
                        "sku_id": line.model_id or line.item_id,
                        "sku_name": "",
                        "seller_sku": line.sku or "",
                        "currency": currency,
                        "original_price": amount(line.unit_price),
                        "sale_price": amount(line.unit_price - share),
                        "seller_discount": amount(share),
                        "platform_discount": "0",
                        "display_status": status,
                        "package_id": package_id,
                        "package_status": "TO_FULFILL" if order.status == "ready_to_ship" else "PROCESSING",
                        "tracking_number": order.tracking_number or "",
                        "shipping_provider_id": provider_id,
                        "shipping_provider_name": PROVIDERS[provider_id],
                        "is_gift": False,
                    }
                )
        original = sum((line.unit_price * line.quantity for line in order.lines), Decimal(0))
        seller_discount = seller_lines + order.seller_voucher
        sub_total = original - seller_discount - order.platform_voucher
        total = sub_total + order.shipping_fee
        rendered = {
            "id": order.external_id,
            "status": status,
            "create_time": order.create_time,
            "update_time": order.update_time,
            "user_id": order.buyer.get("external_id")
            or _digits_id("buyer", order.buyer.get("name"), length=19),
            "buyer_email": order.buyer.get("email") or "",
            "buyer_message": "",
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "shipping_type": "SELLER",
            "delivery_type": "HOME_DELIVERY",
            "delivery_option_name": "Standard shipping",
            "shipping_provider_id": provider_id,
            "shipping_provider": PROVIDERS[provider_id],
            "tracking_number": order.tracking_number or "",
            "warehouse_id": WAREHOUSE_ID,
            "is_cod": False,
            "is_on_hold_order": False,
            "payment_method_name": "Bank transfer",
            "packages": [{"id": package_id}],
            "line_items": items,
            "payment": {
                "currency": currency,
                "original_total_product_price": amount(original),
                "seller_discount": amount(seller_discount),
                "platform_discount": amount(order.platform_voucher),
                "sub_total": amount(sub_total),
                "original_shipping_fee": amount(order.shipping_fee),
                "shipping_fee_seller_discount": "0",
                "shipping_fee_platform_discount": "0",
                "shipping_fee": "n/a" if order.unreadable else amount(order.shipping_fee),
                "tax": "0",
                "total_amount": amount(total),
            },
        }
        if order.status != "unpaid":
            rendered["paid_time"] = order.create_time
            # "recipient_address is not available under unpaid and on hold status"
            rendered["recipient_address"] = self._render_address(shop, order.buyer)
        return rendered

    @staticmethod
    def _render_address(shop, buyer):
        region = buyer.get("country_code") or shop.region
        phone = str(buyer.get("phone") or "").lstrip("+")
        calling = CALLING_CODES.get(region)
        if calling and phone.startswith(calling):
            phone = f"(+{calling}){phone[len(calling) :]}"
        levels = [
            ("L0", "Country", COUNTRY_NAMES.get(region, region)),
            ("L1", "Province", buyer.get("state")),
            ("L2", "District", buyer.get("city")),
        ]
        district_info = [
            {"address_level": level, "address_level_name": label, "address_name": name}
            for level, label, name in levels
            if name
        ]
        street = buyer.get("street") or ""
        parts = [street, buyer.get("street2"), buyer.get("city"), buyer.get("state"), levels[0][2]]
        return {
            "name": buyer.get("name") or "",
            "phone_number": phone,
            "full_address": ", ".join(p for p in parts if p),
            "address_detail": street,
            "address_line1": street,
            "address_line2": buyer.get("street2") or "",
            "address_line3": "",
            "address_line4": "",
            "postal_code": buyer.get("zip") or "",
            "region_code": region,
            "district_info": district_info,
        }

    def _mark_shipped(self, shop, query, payload, order_id):
        tracking = str(payload.get("tracking_number") or "")
        provider = str(payload.get("shipping_provider_id") or "")
        if not tracking or not provider:
            return self._error(
                CODE_REQUEST, "Invalid parameter. `tracking_number` and `shipping_provider_id` are required."
            )
        if provider not in PROVIDERS:
            return self._error(SIM_PROVIDER, "The shipping provider is invalid.")
        with self.sim.lock:
            order = self.sim.order(self.name, order_id)
            if order is None or order.shop_id != shop.shop_id:
                return self._error(CODE_NOT_SELLERS, "Order/package not belong to seller")
            if order.status != "ready_to_ship":
                return self._error(
                    SIM_ORDER_STATE, f"The order status {STATUS[order.status]} does not allow shipping."
                )
            order.tracking_number = tracking
            order.shipping_carrier = PROVIDERS[provider]
            self.sim.set_order_status(self.name, order_id, "shipped")
            self.sim.shipments.append((self.name, order.external_id, tracking))
        return self._ok(
            {
                "order_id": order.external_id,
                "order_line_item_ids": [
                    _digits_id("item", order.external_id, number, unit)
                    for number, line in enumerate(order.lines)
                    for unit in range(line.quantity)
                ],
                "package_id": _digits_id("package", order.external_id, length=19),
            }
        )

    # -- catalogue --------------------------------------------------------------------------------------
    def _products(self, shop):
        products = {}
        for listing in self.sim.shop_listings(self.name, shop.shop_id):
            products.setdefault(listing.item_id, []).append(listing)
        return list(products.items())

    def _listing(self, shop, product_id, sku_id):
        """A single-SKU listing (no model id) answers to a SKU id equal to its product id."""
        listing = self.sim.listing(self.name, shop.shop_id, product_id, sku_id)
        if listing is None and sku_id == product_id:
            listing = self.sim.listing(self.name, shop.shop_id, product_id, None)
        return listing

    def _product_search(self, shop, query, payload):
        status = payload.get("status")
        products = self._products(shop) if status in (None, "", "ALL", "ACTIVATE") else []
        result, error = self._page(query, products, f"{shop.shop_id}:{status}")
        if error:
            return error
        page, token = result
        now = self.sim.now()
        return self._ok(
            {
                "products": [
                    {
                        "id": product_id,
                        "title": listings[0].name,
                        "status": "ACTIVATE",
                        "create_time": now,
                        "update_time": now,
                        "sales_regions": [shop.region],
                        "is_not_for_sale": False,
                        "skus": [
                            {
                                "id": listing.model_id or listing.item_id,
                                "seller_sku": listing.sku or "",
                                "price": {
                                    "currency": shop.currency,
                                    "sale_price": amount(listing.price),
                                    "tax_exclusive_price": amount(listing.price),
                                },
                                "inventory": [{"warehouse_id": WAREHOUSE_ID, "quantity": listing.stock}],
                            }
                            for listing in listings
                        ],
                    }
                    for product_id, listings in page
                ],
                "next_page_token": token,
                "total_count": len(products),
            }
        )

    def _skus(self, payload):
        skus = payload.get("skus")
        if not isinstance(skus, list) or not skus:
            return None
        return [s for s in skus if isinstance(s, dict)]

    def _inventory(self, shop, query, payload, product_id):
        skus = self._skus(payload)
        if skus is None:
            return self._error(CODE_REQUEST, "Invalid parameter. `skus` is required.")
        if not any(lst.item_id == product_id for lst in self.sim.shop_listings(self.name, shop.shop_id)):
            return self._error(SIM_PRODUCT_MISSING, f"Product {product_id} does not exist.")
        self.sku_batches.append(("inventory", product_id, len(skus)))
        errors = []
        for sku in skus:
            sku_id = str(sku.get("id") or "")
            quantities = [w.get("quantity") for w in sku.get("inventory") or [] if isinstance(w, dict)]
            listing = self._listing(shop, product_id, sku_id)
            if listing is None:
                errors.append(self._sku_error(SIM_SKU_MISSING, f"SKU {sku_id} does not exist.", sku_id))
            elif (
                len(quantities) != 1
                or not isinstance(quantities[0], int)
                or not 0 <= quantities[0] <= MAX_QUANTITY
            ):
                errors.append(
                    self._sku_error(SIM_BAD_VALUE, "The quantity must be between 0 and 99999.", sku_id)
                )
            else:
                self.sim.set_stock(self.name, shop.shop_id, listing.item_id, listing.model_id, quantities[0])
        return self._ok({"errors": errors} if errors else {})

    @staticmethod
    def _sku_error(code, message, sku_id):
        return {
            "code": code,
            "message": message,
            "detail": {
                "sku_id": sku_id,
                "extra_errors": [{"warehouse_id": WAREHOUSE_ID, "code": code, "message": message}],
            },
        }

    def _prices(self, shop, query, payload, product_id):
        """All or nothing: one bad SKU refuses the whole call."""
        skus = self._skus(payload)
        if skus is None:
            return self._error(CODE_REQUEST, "Invalid parameter. `skus` is required.")
        self.sku_batches.append(("price", product_id, len(skus)))
        updates = []
        for sku in skus:
            sku_id = str(sku.get("id") or "")
            price = sku.get("price") if isinstance(sku.get("price"), dict) else {}
            listing = self._listing(shop, product_id, sku_id)
            if listing is None:
                return self._error(SIM_SKU_MISSING, f"SKU {sku_id} does not belong to product {product_id}.")
            if price.get("currency") != shop.currency:
                return self._error(SIM_BAD_VALUE, f"The currency must be {shop.currency}.")
            try:
                value = Decimal(str(price.get("amount")))
            except InvalidOperation:
                value = Decimal(0)
            if not value.is_finite() or value <= 0:
                return self._error(SIM_BAD_VALUE, "The price amount is invalid.")
            updates.append((listing, value))
        for listing, value in updates:
            self.sim.set_price(self.name, shop.shop_id, listing.item_id, listing.model_id, value)
        return self._ok({})

    # -- webhooks ---------------------------------------------------------------------------------------
    def webhook_request(self, shop, order, url):
        """ORDER_STATUS_CHANGE (type 1), signed in ``Authorization``: hex HMAC-SHA256 of app_key + body."""
        payload = {
            "type": 1,
            "tts_notification_id": _digits_id(
                "notification", order.external_id, order.update_time, length=19
            ),
            "shop_id": shop.shop_id,
            "timestamp": self.sim.now(),
            "data": {
                "is_on_hold_order": False,
                "order_id": order.external_id,
                "order_status": STATUS[order.status],
                "update_time": order.update_time,
            },
        }
        body = json.dumps(payload).encode()
        signature = hmac.new(
            shop.app_secret.encode(), shop.app_key.encode() + body, hashlib.sha256
        ).hexdigest()
        return {"Content-Type": "application/json", "Authorization": signature}, body

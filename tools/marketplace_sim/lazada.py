"""Lazada Open Platform as the simulator serves it, under ``/lazada``.

* API gateway: ``/lazada/rest/<api path>`` (like ``https://api.lazada.vn/rest``),
  authorisation service: ``/lazada/auth/rest/<api path>`` (like ``https://auth.lazada.com/rest``)
  and ``/lazada/auth/oauth/authorize`` (redirects to ``redirect_uri`` with ``code`` and ``state``).
  Leniency for callers: ``/lazada/<api path>`` and ``/lazada/oauth/authorize`` work too, and the
  token APIs answer on either host.
* Parameters come in the query string or a form body; ``sign`` is checked as the gateway does
  (HMAC-SHA256 of the API path + sorted ``name value`` pairs, upper-case hex), then the access token.
* Errors are Lazada's: ``{"type", "code", "message", "request_id"}`` with HTTP 200.

APIs: ``/auth/token/create``, ``/auth/token/refresh``, ``/orders/get``, ``/order/get``,
``/orders/items/get``, ``/order/items/get``, ``/products/get``, ``/product/price_quantity/update``,
``/order/fulfill/pack``, ``/order/package/rts``. The neutral order's lines are rendered per unit (one
order item per piece, as Lazada does); seller discounts and vouchers are allocated to the items.
Simulator conventions: a listing without model renders one SKU whose ``SkuId`` is the item id;
order item ids are the order id followed by three digits.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import threading
import xml.etree.ElementTree as ET
import zlib
from decimal import ROUND_DOWN, Decimal
from urllib.parse import parse_qsl, urlencode

from .core import MarketplaceHandler

TZ_HOURS = {"VN": 7, "TH": 7, "ID": 7, "MY": 8, "SG": 8, "PH": 8}
COUNTRY_NAMES = {
    "VN": "Vietnam",
    "TH": "Thailand",
    "ID": "Indonesia",
    "MY": "Malaysia",
    "SG": "Singapore",
    "PH": "Philippines",
}
#: Normalised status -> the item status Lazada shows.
RAW_STATUS = {
    "unpaid": "unpaid",
    "ready_to_ship": "pending",
    "shipped": "shipped",
    "completed": "delivered",
    "cancelled": "canceled",
    "returned": "returned",
}
#: Statuses set by the fulfilment APIs, kept while the neutral status agrees with them.
_FULFILMENT_STATUS = {"packed": "ready_to_ship", "ready_to_ship": "shipped"}
AUTH_APIS = ("/auth/token/create", "/auth/token/refresh")
CENT = Decimal("0.01")


def sign(app_secret, api_path, params):
    """The gateway's check: like the Java SDK, empty values are left out."""
    text = api_path + "".join(
        f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] not in (None, "")
    )
    return hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()


def money(value):
    return f"{Decimal(value):.2f}"


def allocate(total, weights):
    """Split ``total`` in cents along ``weights``; the shares add up exactly."""
    total = Decimal(total)
    if not weights:
        return []
    weights = [Decimal(w) for w in weights]
    if sum(weights) <= 0:
        weights = [Decimal(1)] * len(weights)
    base = sum(weights)
    shares = [(total * w / base).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    shares[0] += total - sum(shares)
    return shares


class Handler(MarketplaceHandler):
    name = "lazada"
    #: Documented limits (tests may lower the offset caps to exercise the adapters' windows).
    max_orders_limit = 100
    max_orders_offset = 5000
    max_items_orders = 50
    max_products_limit = 50
    max_products_offset = 10000
    max_skus = 50
    max_pack_orders = 20

    def __init__(self, sim):
        super().__init__(sim)
        self._lock = threading.Lock()
        self.fulfilment = {}  # external_id -> "packed" / "ready_to_ship"
        self.packages = {}  # package_id -> {"order": external_id, "tracking": ..., "provider": ...}
        self.package_of = {}  # external_id -> package_id

    # -- answers ---------------------------------------------------------------------------------
    @staticmethod
    def request_id():
        return secrets.token_hex(12) + "1"

    def ok(self, data=None, **extra):
        payload = {"code": "0", **({"data": data} if data is not None else {}), **extra}
        payload["request_id"] = self.request_id()
        return self.json_response(payload)

    def error(self, code, message, kind="ISV", **extra):
        return self.json_response(
            {"type": kind, "code": str(code), "message": message, "request_id": self.request_id(), **extra}
        )

    def rate_limited(self):
        return self.error(
            "ApiCallLimit", "Api access frequency exceeds the limit. this ban will last 1 seconds."
        )

    # -- gateway ---------------------------------------------------------------------------------
    def handle(self, method, path, query, headers, body):
        params = dict(query)
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        if body and "json" not in content_type:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if path.rstrip("/") in ("/auth/oauth/authorize", "/oauth/authorize"):
            return self.authorize(params)
        # a host given without "/rest" still reaches the APIs (the real gateways all end in /rest)
        api = next((path[len(p) :] for p in ("/auth/rest", "/rest") if path.startswith(p + "/")), path)
        route = self.routes().get(api.rstrip("/"))
        if route is None:
            return self.error("InvalidApiPath", "The specified API path is invalid")
        app, refused = self.check_signature(api, params)
        if refused:
            return refused
        if api in AUTH_APIS:
            return route(params)
        token = params.get("access_token")
        if not token:
            return self.missing("access_token")
        shop = self.sim.shop_by_token(self.name, token)
        if shop is None or shop.app_key != app.app_key or not self.sim.access_valid(shop, token):
            return self.error("IllegalAccessToken", "The specified access token is invalid or expired")
        return route(shop, params)

    def missing(self, name):
        return self.error(
            "MissingParameter",
            f"The input parameter “{name}” that is mandatory for processing this request is not supplied",
        )

    def check_signature(self, api, params):
        """(app's shop, None) when app_key and sign are right, else (None, Lazada's refusal)."""
        for required in ("app_key", "timestamp", "sign"):
            if not params.get(required):
                return None, self.missing(required)
        app = self.sim.shop_by_key(self.name, params["app_key"])
        if app is None:
            return None, self.error("InvalidAppKey", "The specified app key is invalid")
        expected = sign(app.app_secret, api, params)
        if params.get("sign_method", "sha256") != "sha256" or not hmac.compare_digest(
            expected, str(params["sign"]).upper()
        ):
            return None, self.error(
                "IncompleteSignature", "The request signature does not conform to platform standards"
            )
        return app, None

    def routes(self):
        return {
            "/auth/token/create": self.token_create,
            "/auth/token/refresh": self.token_refresh,
            "/orders/get": self.orders_get,
            "/order/get": self.order_get,
            "/orders/items/get": self.orders_items_get,
            "/order/items/get": self.order_items_get,
            "/products/get": self.products_get,
            "/product/price_quantity/update": self.price_quantity_update,
            "/order/fulfill/pack": self.pack,
            "/order/package/rts": self.ready_to_ship,
        }

    # -- authorisation ---------------------------------------------------------------------------
    def authorize(self, params):
        """The seller's consent page, granted at once: redirect with a fresh code."""
        shops = [
            s
            for (m, _sid), s in list(self.sim.shops.items())
            if m == self.name and s.app_key == params.get("client_id")
        ]
        if params.get("seller_id"):
            shops = [s for s in shops if s.shop_id == params["seller_id"]]
        if not shops or not params.get("redirect_uri"):
            return 400, {"Content-Type": "text/plain"}, b"invalid client_id or redirect_uri"
        query = {"code": self.sim.issue_code(shops[0])}
        if params.get("state"):
            query["state"] = params["state"]
        separator = "&" if "?" in params["redirect_uri"] else "?"
        return 302, {"Location": params["redirect_uri"] + separator + urlencode(query)}, b""

    def _tokens(self, shop, access, refresh, access_ttl, refresh_ttl, info_key):
        country = shop.region.lower()
        payload = {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": access_ttl,
            "refresh_expires_in": refresh_ttl,
            "country": country,
            "account_platform": "seller_center",
            "account": f"seller{shop.shop_id}@example.com",
            "account_id": "",
            info_key: [
                {
                    "country": country,
                    "seller_id": shop.shop_id,
                    "user_id": shop.shop_id,
                    "short_code": f"{shop.region}{shop.shop_id}",
                }
            ],
            "code": "0",
            "request_id": self.request_id(),
        }
        return self.json_response(payload)

    def token_create(self, params):
        code = params.get("code", "")
        for (m, _sid), shop in list(self.sim.shops.items()):
            if m == self.name and shop.app_key == params["app_key"] and self.sim.use_code(shop, code):
                return self._tokens(shop, *self.sim.issue_tokens(shop), info_key="country_user_info")
        return self.error("InvalidCode", "Invalid authorization code")

    def token_refresh(self, params):
        refresh = params.get("refresh_token", "")
        for (m, _sid), shop in list(self.sim.shops.items()):
            if m == self.name and shop.app_key == params["app_key"] and self.sim.refresh_valid(shop, refresh):
                tokens = self.sim.issue_tokens(shop, rotate_from=refresh)
                return self._tokens(shop, *tokens, info_key="country_user_info_list")
        return self.error("IllegalRefreshToken", "The specified refresh token is invalid or expired")

    # -- rendering -------------------------------------------------------------------------------
    def local_time(self, shop, seconds):
        tz = datetime.timezone(datetime.timedelta(hours=TZ_HOURS.get(shop.region, 7)))
        return datetime.datetime.fromtimestamp(int(seconds), tz).strftime("%Y-%m-%d %H:%M:%S %z")

    def raw_status(self, order):
        done = self.fulfilment.get(order.external_id)
        if done and _FULFILMENT_STATUS[done] == order.status:
            return done
        return RAW_STATUS.get(order.status, order.status)

    @staticmethod
    def item_ids(order):
        count = sum(line.quantity for line in order.lines)
        return [f"{order.external_id}{index + 1:03d}" for index in range(count)]

    def render_items(self, shop, order):
        units = [line for line in order.lines for _ in range(line.quantity)]
        line_discounts = []
        for line in order.lines:
            line_discounts += allocate(line.discount, [1] * line.quantity)
        prices = [line.unit_price for line in units]
        seller = allocate(order.seller_voucher, prices)
        platform = allocate(order.platform_voucher, prices)
        shipping = allocate(order.shipping_fee, [1] * len(units))
        raw = self.raw_status(order)
        package_id = self.package_of.get(order.external_id, "")
        buyer_id = str(
            order.buyer.get("external_id")
            or 100000 + zlib.crc32(str(order.buyer.get("name")).encode()) % 900000
        )
        created = self.local_time(shop, order.create_time)
        updated = self.local_time(shop, order.update_time)
        items = []
        for index, (line, item_id) in enumerate(zip(units, self.item_ids(order), strict=True)):
            sku_id = line.model_id or line.item_id
            voucher_seller = line_discounts[index] + seller[index]
            voucher_amount = voucher_seller + platform[index]
            items.append(
                {
                    "order_item_id": item_id,
                    "order_id": order.external_id,
                    "purchase_order_id": "",
                    "purchase_order_number": "",
                    "invoice_number": "",
                    "name": line.name,
                    "variation": "",
                    "sku": line.sku or "",
                    "shop_sku": f"{line.item_id}_{shop.region}AMZ-{sku_id}",
                    "product_id": line.item_id,
                    "sku_id": sku_id,
                    "product_main_image": "",
                    "product_detail_url": f"https://www.lazada.example/products/-i{line.item_id}-s{sku_id}.html",
                    "item_price": money(line.unit_price),
                    "paid_price": money(line.unit_price - voucher_amount),
                    "voucher_seller": money(voucher_seller),
                    "voucher_platform": money(platform[index]),
                    "voucher_amount": money(voucher_amount),
                    "voucher_seller_lpi": "0.00",
                    "voucher_platform_lpi": "0.00",
                    "voucher_code": "",
                    "wallet_credits": "0.00",
                    "shipping_amount": money(shipping[index]),
                    "shipping_fee_original": money(shipping[index]),
                    "shipping_fee_discount_seller": "0.00",
                    "shipping_fee_discount_platform": "0.00",
                    "shipping_service_cost": 0,
                    "tax_amount": "0.00",
                    "currency": shop.currency,
                    "status": raw,
                    "reason": "",
                    "reason_detail": "",
                    "return_status": "",
                    "shipping_type": "Dropshipping",
                    "shipping_provider_type": "standard",
                    "shipment_provider": order.shipping_carrier or "",
                    "tracking_code": order.tracking_number or "",
                    "tracking_code_pre": "",
                    "package_id": package_id,
                    "warehouse_code": "dropshipping",
                    "delivery_option_sof": 0,
                    "is_digital": 0,
                    "is_fbl": 0,
                    "order_type": "Normal",
                    "buyer_id": buyer_id,
                    "created_at": created,
                    "updated_at": updated,
                    "promised_shipping_time": "",
                    "sla_time_stamp": "",
                }
            )
        return items

    def render_order(self, shop, order):
        items = self.render_items(shop, order)
        buyer = order.buyer
        name = str(buyer.get("name") or "")
        address = {
            "first_name": name,
            "last_name": "",
            "phone": buyer.get("phone") or "",
            "phone2": "",
            "address1": buyer.get("street") or "",
            "address2": "",
            "address3": buyer.get("state") or "",
            "address4": buyer.get("city") or "",
            "address5": buyer.get("street2") or "",
            "city": buyer.get("city") or "",
            "post_code": buyer.get("zip") or "",
            "country": COUNTRY_NAMES.get(buyer.get("country_code") or shop.region, shop.region),
            "addressDistrict": "",
        }
        voucher_seller = sum((Decimal(it["voucher_seller"]) for it in items), Decimal(0))
        return {
            "order_id": order.external_id,
            "order_number": order.external_id,
            "created_at": self.local_time(shop, order.create_time),
            "updated_at": self.local_time(shop, order.update_time),
            "price": money(sum((line.unit_price * line.quantity for line in order.lines), Decimal(0))),
            "items_count": len(items),
            "statuses": sorted({it["status"] for it in items}) or [self.raw_status(order)],
            "payment_method": "COD",
            "voucher": money(voucher_seller + order.platform_voucher),
            "voucher_seller": money(voucher_seller),
            "voucher_platform": money(order.platform_voucher),
            "voucher_code": "",
            "shipping_fee": "n/a" if order.unreadable else money(order.shipping_fee),
            "shipping_fee_original": money(order.shipping_fee),
            "shipping_fee_discount_seller": "0.00",
            "shipping_fee_discount_platform": "0.00",
            "customer_first_name": name,
            "customer_last_name": "",
            "address_shipping": address,
            "address_billing": dict(address),
            "warehouse_code": "dropshipping",
            "gift_option": False,
            "gift_message": "",
            "remarks": "",
            "delivery_info": "",
            "promised_shipping_times": "",
            "national_registration_number": "",
            "tax_code": "",
            "branch_number": "",
            "extra_attributes": "",
        }

    @staticmethod
    def parse_iso(value):
        """Seconds of an ISO 8601 time with offset ("2018-02-10T16:00:00+08:00"); None otherwise."""
        try:
            parsed = datetime.datetime.fromisoformat(str(value).replace(" ", "+"))
        except ValueError:
            return None
        return int(parsed.timestamp()) if parsed.tzinfo is not None else None

    def paging(self, params, max_offset, max_limit):
        """(offset, limit, None) or (.., .., E014/E019 refusal); Lazada's default limit is 10."""
        try:
            offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 10)
        except ValueError:
            offset, limit = -1, 0
        if offset < 0 or offset > max_offset:
            return 0, 0, self.error("14", f'E014: "{params.get("offset")}" Invalid Offset')
        if not 0 < limit <= max_limit:
            return 0, 0, self.error("19", f'E019: "{params.get("limit")}" Invalid Limit')
        return offset, limit, None

    # -- orders ----------------------------------------------------------------------------------
    def orders_get(self, shop, params):
        bounds = {}
        for key in ("update_after", "update_before", "created_after", "created_before"):
            if params.get(key):
                bounds[key] = self.parse_iso(params[key])
                if bounds[key] is None:
                    return self.error("17", f'E017: "{params[key]}" Invalid Date Format')
        if "update_after" not in bounds and "created_after" not in bounds:
            return self.error("MissingParameter", "Either update_after or created_after is mandatory")
        offset, limit, refused = self.paging(params, self.max_orders_offset, self.max_orders_limit)
        if refused:
            return refused
        sort_by = params.get("sort_by") or "created_at"
        direction = (params.get("sort_direction") or "DESC").upper()
        if sort_by not in ("created_at", "updated_at"):
            return self.error("75", "E075: Invalid sort filter.")
        if direction not in ("ASC", "DESC"):
            return self.error("74", "E074: Invalid sort direction.")
        found = self.sim.shop_orders(self.name, shop.shop_id)
        checks = (
            ("update_after", "update_time", 1),
            ("update_before", "update_time", -1),
            ("created_after", "create_time", 1),
            ("created_before", "create_time", -1),
        )
        for key, field, sense in checks:
            if key in bounds:
                found = [o for o in found if (getattr(o, field) - bounds[key]) * sense >= 0]
        if params.get("status") and params["status"] != "all":
            found = [o for o in found if self.raw_status(o) == params["status"]]
        field = "update_time" if sort_by == "updated_at" else "create_time"
        found.sort(key=lambda o: (getattr(o, field), o.external_id), reverse=direction == "DESC")
        page = found[offset : offset + limit]
        orders = [self.render_order(shop, o) for o in page]
        self.sim.order_page_served(self.name)
        return self.ok({"count": len(orders), "countTotal": len(found), "orders": orders})

    def _shop_order(self, shop, order_id):
        order = self.sim.order(self.name, order_id)
        return order if order is not None and order.shop_id == shop.shop_id else None

    def order_get(self, shop, params):
        order = self._shop_order(shop, params.get("order_id", ""))
        if order is None:
            return self.error("16", f'E016: "{params.get("order_id")}" Invalid Order ID')
        return self.ok(self.render_order(shop, order))

    def order_items_get(self, shop, params):
        order = self._shop_order(shop, params.get("order_id", ""))
        if order is None:
            return self.error("16", f'E016: "{params.get("order_id")}" Invalid Order ID')
        return self.ok(self.render_items(shop, order))

    def orders_items_get(self, shop, params):
        text = str(params.get("order_ids") or "").strip()
        if not (text.startswith("[") and text.endswith("]")):
            return self.error("56", "E056: Invalid OrdersIdList format. Must use array format [1,2]")
        ids = [part.strip().strip('"') for part in text[1:-1].split(",") if part.strip()]
        if len(ids) > self.max_items_orders:
            return self.error("38", "E038: Too many orders were requested")
        orders = [self._shop_order(shop, order_id) for order_id in ids]
        if not ids or any(o is None for o in orders):
            return self.error("37", "E037: One or more order id in the list are incorrect")
        return self.ok(
            [
                {
                    "order_id": o.external_id,
                    "order_number": o.external_id,
                    "order_items": self.render_items(shop, o),
                }
                for o in orders
            ]
        )

    # -- fulfilment ------------------------------------------------------------------------------
    @staticmethod
    def _result(data=None, success=True, error_code=None, error_msg=None):
        result = {"success": success, "data": data or {}}
        if not success:
            result.update(error_code=error_code, error_msg=error_msg)
        return result

    def pack(self, shop, params):
        try:
            request = json.loads(params.get("packReq") or "")
            orders = request["pack_order_list"]
        except (ValueError, KeyError, TypeError):
            return self.ok(result=self._result(success=False, error_code="700004", error_msg="param illegal"))
        if request.get("delivery_type") != "dropship":
            return self.ok(result=self._result(success=False, error_code="700004", error_msg="param illegal"))
        if len(orders) > self.max_pack_orders:
            return self.ok(
                result=self._result(success=False, error_code="700022", error_msg="batch size out of limit")
            )
        results = []
        with self._lock:
            for entry in orders:
                order = self._shop_order(shop, str(entry.get("order_id")))
                if order is None:
                    return self.ok(
                        result=self._result(success=False, error_code="700021", error_msg="order not found")
                    )
                known = self.item_ids(order)
                wanted = [str(i) for i in entry.get("order_item_list") or []]
                item_results = []
                package_id = tracking = provider = ""
                if self.raw_status(order) != "pending":
                    code, msg = "700026", "item current status not allow to pack"
                elif not wanted or any(i not in known for i in wanted):
                    code, msg = "700025", "order item not found"
                else:
                    code, msg = "0", "success"
                    package_id = f"FP{self.sim.next_id():012d}"
                    tracking = f"LEX{shop.region}{self.sim.next_id():010d}"
                    provider = f"LEX {shop.region}"
                    self.packages[package_id] = {
                        "order": order.external_id,
                        "tracking": tracking,
                        "provider": provider,
                    }
                    self.package_of[order.external_id] = package_id
                    self.fulfilment[order.external_id] = "packed"
                    order.tracking_number, order.shipping_carrier = tracking, provider
                for item_id in wanted:
                    item = {"order_item_id": item_id, "msg": msg, "item_err_code": code, "retry": False}
                    if code == "0":
                        item.update(
                            tracking_number=tracking, shipment_provider=provider, package_id=package_id
                        )
                    item_results.append(item)
                results.append({"order_id": order.external_id, "order_item_list": item_results})
        return self.ok(result=self._result({"pack_order_list": results}))

    def ready_to_ship(self, shop, params):
        try:
            packages = json.loads(params.get("readyToShipReq") or "")["packages"]
        except (ValueError, KeyError, TypeError):
            return self.ok(result=self._result(success=False, error_code="700004", error_msg="param illegal"))
        if len(packages) > self.max_pack_orders:
            return self.ok(
                result=self._result(success=False, error_code="700022", error_msg="batch size out of limit")
            )
        results = []
        with self._lock:
            for entry in packages:
                package_id = str(entry.get("package_id"))
                package = self.packages.get(package_id)
                order = self._shop_order(shop, package["order"]) if package else None
                if order is None:
                    code, msg = "11", "package not found"
                elif self.raw_status(order) != "packed":
                    code, msg = "700000", "current package status not allow to operation"
                else:
                    code, msg = "0", "success"
                    self.fulfilment[order.external_id] = "ready_to_ship"
                    self.sim.set_order_status(self.name, order.external_id, "shipped")
                    with self.sim.lock:
                        self.sim.shipments.append((self.name, order.external_id, package["tracking"]))
                results.append({"package_id": package_id, "msg": msg, "item_err_code": code, "retry": False})
        return self.ok(result=self._result({"packages": results}))

    # -- catalogue -------------------------------------------------------------------------------
    def products_get(self, shop, params):
        offset, limit, refused = self.paging(params, self.max_products_offset, self.max_products_limit)
        if refused:
            return refused
        products = {}
        for listing in self.sim.shop_listings(self.name, shop.shop_id):
            products.setdefault(listing.item_id, []).append(listing)
        item_ids = sorted(products, key=lambda i: (len(i), i))
        page = []
        for item_id in item_ids[offset : offset + limit]:
            skus = products[item_id]
            page.append(
                {
                    "item_id": item_id,
                    "primary_category": "10000211",
                    "status": "Active",
                    "created_time": "1611554725000",
                    "updated_time": "1611554725000",
                    "attributes": {"name": skus[0].name, "brand": "No Brand"},
                    "images": [],
                    "skus": [
                        {
                            "SkuId": listing.model_id or listing.item_id,
                            "SellerSku": listing.sku or "",
                            "ShopSku": f"{listing.item_id}_{shop.region}AMZ-{listing.model_id or listing.item_id}",
                            "Status": "active",
                            "quantity": listing.stock,
                            "Available": listing.stock,
                            "price": float(listing.price),
                            "special_price": 0,
                            "Images": [],
                            "Url": "",
                        }
                        for listing in skus
                    ],
                }
            )
        return self.ok({"total_products": len(item_ids), "products": page})

    def _find_listing(self, shop, item_id, sku_id, seller_sku):
        for listing in self.sim.shop_listings(self.name, shop.shop_id):
            rendered_sku_id = listing.model_id or listing.item_id
            if item_id and listing.item_id != item_id:
                continue
            if sku_id and rendered_sku_id != sku_id:
                continue
            if not sku_id and seller_sku and listing.sku != seller_sku:
                continue
            if item_id or sku_id or seller_sku:
                return listing
        return None

    def price_quantity_update(self, shop, params):
        try:
            root = ET.fromstring(params.get("payload") or "")
        except ET.ParseError:
            return self.error("5", "E005: Invalid Request Format")
        skus = root.findall("./Product/Skus/Sku")
        if not skus:
            return self.error("30", "E030: Empty Request")
        if len(skus) > self.max_skus:
            return self.error(
                "4171",
                "The updated SKU quantity exceeds the maximum number 50, please do not update more than 50 SKUs at once",
            )
        detail = []
        for sku in skus:
            item_id, sku_id, seller_sku = (
                sku.findtext(tag) or "" for tag in ("ItemId", "SkuId", "SellerSku")
            )
            listing = self._find_listing(shop, item_id.strip(), sku_id.strip(), seller_sku.strip())
            if listing is None:
                detail.append({"field": "Product", "seller_sku": seller_sku, "message": "SELLER_SKU_INVALID"})
                continue
            quantity, price = sku.findtext("Quantity"), sku.findtext("Price")
            try:
                if quantity is not None and int(quantity) < 0:
                    raise ValueError("negative")
                if price is not None and Decimal(price) <= 0:
                    raise ValueError("not positive")
            except (ValueError, ArithmeticError):
                detail.append(
                    {
                        "field": "Quantity" if quantity else "Price",
                        "seller_sku": seller_sku,
                        "message": "VALUE_INVALID",
                    }
                )
                continue
            if quantity is not None:
                self.sim.set_stock(self.name, shop.shop_id, listing.item_id, listing.model_id, int(quantity))
            if price is not None:
                self.sim.set_price(self.name, shop.shop_id, listing.item_id, listing.model_id, Decimal(price))
        if detail:
            return self.error("501", "E501: Update product failed", kind="ISP", detail=detail)
        return self.ok({})

    # -- push ------------------------------------------------------------------------------------
    def webhook_request(self, shop, order, url):
        """A trade order message (message_type 0), signed in ``Authorization`` like Lazada's pushes."""
        payload = {
            "seller_id": shop.shop_id,
            "message_type": 0,
            "data": {
                "order_status": self.raw_status(order),
                "status_update_time": order.update_time,
                "trade_order_id": order.external_id,
                "trade_order_line_id": self.item_ids(order)[0] if order.lines else order.external_id,
            },
            "timestamp": self.sim.now() * 1000,
            "site": f"lazada_{shop.region.lower()}",
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        signature = hmac.new(
            shop.app_secret.encode(), shop.app_key.encode() + body, hashlib.sha256
        ).hexdigest()
        return {"Content-Type": "application/json", "Authorization": signature}, body

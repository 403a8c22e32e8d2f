"""TikTok Shop Open API 202309 calls for one shop: authorisation, orders, catalogue, stock, price,
shipping. Signing is in ``signing``, what the answers mean in ``mapping``."""

import json
from decimal import Decimal
from urllib.parse import urlencode

from ..common import (
    Adapter,
    AuthError,
    ItemResult,
    MarketplaceError,
    OrderHead,
    RateLimited,
    TokenSet,
    keyset_pages,
    map_orders,
    to_timestamp,
    utc_from_timestamp,
)
from . import mapping, signing
from .mapping import order_from_tiktok
from .signing import sign_request

API_VERSION = "202309"
SERVICES_HOST = "https://services.tiktokshop.com"

PATH_AUTH_CODE = "/api/v2/token/get"
PATH_AUTH_REFRESH = "/api/v2/token/refresh"
PATH_SHOPS = f"/authorization/{API_VERSION}/shops"
PATH_ORDER_SEARCH = f"/order/{API_VERSION}/orders/search"
PATH_ORDER_DETAIL = f"/order/{API_VERSION}/orders"
PATH_MARK_SHIPPED = f"/fulfillment/{API_VERSION}/orders/{{order_id}}/packages"
PATH_PRODUCT_SEARCH = f"/product/{API_VERSION}/products/search"
PATH_INVENTORY = f"/product/{API_VERSION}/products/{{product_id}}/inventory/update"
PATH_PRICES = f"/product/{API_VERSION}/products/{{product_id}}/prices/update"

#: Order and product search: ``page_size`` must be 1-100.
PAGE_SIZE = 100
#: Get Order Detail: at most 50 ``ids`` per call.
DETAIL_BATCH = 50


#: Currency of a local shop by region (Update Price: "US: USD, GB: GBP, ID: IDR, TH: THB, ...").
REGION_CURRENCY = {
    "VN": "VND",
    "TH": "THB",
    "MY": "MYR",
    "PH": "PHP",
    "SG": "SGD",
    "ID": "IDR",
    "US": "USD",
    "GB": "GBP",
}

# Common errors: 36009002 "Too many requests" (HTTP 429); 36009003 internal error, retry later;
# 105001 invalid / 105002 expired access token; 36009004 is overloaded and read by its message (missing or
# invalid signature, timestamp, app_key, ``x-tts-access-token`` header, shop_cipher); 106001 "signature is
# invalid"; 36004004 "invalid auth code" at the token endpoint.
CODE_RATE_LIMITED = 36009002
CODE_INTERNAL = 36009003
CODE_OVERLOADED = 36009004
AUTH_CODES = frozenset({105001, 105002})


def dumps(payload):
    """The exact JSON bytes sent and signed."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# -- answers ----------------------------------------------------------------------------------------
def _int_code(code):
    try:
        return int(code)
    except (TypeError, ValueError):
        return code


def _is_token_message(message):
    text = message.lower()
    return "access_token" in text or "access-token" in text or "access token" in text


def _error_parts(status, payload):
    """(code, message) of an error answer; a non-JSON answer is described by its HTTP status."""
    if not isinstance(payload, dict) or "code" not in payload:
        if status == 429:
            raise RateLimited("TikTok Shop throttled the call (HTTP 429)", code="429")
        raise MarketplaceError(f"Unexpected answer from TikTok Shop (HTTP {status})", code=str(status))
    code = _int_code(payload.get("code"))
    return code, str(payload.get("message") or f"TikTok Shop error {code}")


def check_answer(status, payload, text):
    """``data`` of a successful API answer; otherwise the matching :class:`MarketplaceError`."""
    code, message = _error_parts(status, payload)
    if code == 0:
        return payload.get("data") or {}
    if status == 429 or code == CODE_RATE_LIMITED:
        raise RateLimited(message, code=str(code))
    if code in AUTH_CODES or (code == CODE_OVERLOADED and _is_token_message(message)):
        raise AuthError(message, code=str(code))
    if code == CODE_INTERNAL:
        raise MarketplaceError(message, code=str(code), retryable=True)
    raise MarketplaceError(message, code=str(code))


def check_token_answer(status, payload, text):
    """Like :func:`check_answer` for the token endpoints, whose answers carry tokens: an error keeps
    only code, message and request id, and a refused code or refresh token is not an :class:`AuthError`
    (refreshing cannot help; the seller must authorise again)."""
    code, message = _error_parts(status, payload)
    if code == 0:
        data = payload.get("data") or {}
        if not data.get("access_token"):
            raise MarketplaceError(
                "TikTok Shop answered without an access token",
                code="no_token",
                response={"code": code, "request_id": payload.get("request_id")},
            )
        return data
    safe = {"code": code, "message": message, "request_id": payload.get("request_id")}
    if status == 429 or code == CODE_RATE_LIMITED:
        raise RateLimited(message, code=str(code), response=safe)
    raise MarketplaceError(message, code=str(code), retryable=code == CODE_INTERNAL, response=safe)


def _check_stock_answer(status, payload, text):
    """Update Inventory reports SKUs it could not update in ``data.errors`` (``detail.sku_id``); such an
    answer is a partial success even when its own code is not 0."""
    if isinstance(payload, dict) and _int_code(payload.get("code")) not in (0, None):
        errors = (payload.get("data") or {}).get("errors") or []
        if errors and all((e.get("detail") or {}).get("sku_id") for e in errors):
            return payload["data"]
    return check_answer(status, payload, text)


def amount_text(value):
    """Decimal amount as TikTok writes it (``"119"``, ``"4.9"``)."""
    value = Decimal(value)
    return format(value.normalize(), "f") if value else "0"


def _sku_id(item_id, model_id):
    return str(model_id) if model_id not in (None, "", "0", 0) else str(item_id)


def _chunks(updates, size):
    """Updates grouped by product (one call per product), at most ``size`` SKUs per call."""
    by_product = {}
    for index, update in enumerate(updates):
        by_product.setdefault(str(update.item_id), []).append((index, update))
    for product_id, entries in by_product.items():
        for start in range(0, len(entries), size):
            yield product_id, entries[start : start + size]


class TiktokAdapter(Adapter):
    """TikTok Shop for one shop; ``shop_id`` is TikTok's shop id (the one webhooks carry)."""

    marketplace = "tiktok"

    def __init__(self, *, shop_cipher=None, currency=None, service_id=None, **kwargs):
        super().__init__(**kwargs)
        self.shop_cipher = shop_cipher or None
        self.currency = currency or None
        self.service_id = service_id or None
        self.region = None
        self._shop_loaded = False  # local shops may have no cipher: look it up once all the same

    # -- calls ----------------------------------------------------------------------------------------
    def _call(self, method, path, params=None, body=None, shop_scoped=True, check=check_answer):
        if not self.access_token:
            raise AuthError("No access token for this TikTok shop: authorise the shop first", code="no_token")
        cipher = self._cipher() if shop_scoped else None
        data = dumps(body) if body is not None else None

        def prepare():
            query = {"app_key": self.app_key, "timestamp": str(int(self.clock()))}
            if cipher:
                query["shop_cipher"] = cipher
            query.update({k: str(v) for k, v in (params or {}).items() if v not in (None, "")})
            query["sign"] = sign_request(self.app_secret, path, query, data)
            return {
                "method": method,
                "url": self.host + path,
                "params": query,
                "data": data,
                "headers": {"content-type": "application/json", "x-tts-access-token": self.access_token},
                "secret_keys": ("x-tts-access-token",),
            }

        return self.transport.send(prepare, check)

    def _token_call(self, path, params):
        query = {"app_key": self.app_key, "app_secret": self.app_secret, **params}

        def prepare():
            return {
                "method": "GET",
                "url": self.auth_host + path,
                "params": query,
                "secret_keys": ("app_secret", "auth_code", "refresh_token"),
            }

        return self.transport.send(prepare, check_token_answer)

    def _load_shop(self):
        """Cipher and region of our shop from Get Authorized Shops (the first one when no shop id is set)."""
        shops = self._call("GET", PATH_SHOPS, shop_scoped=False).get("shops") or []
        if self.shop_id:
            shop = next((s for s in shops if str(s.get("id")) == self.shop_id), None)
        else:
            shop = shops[0] if shops else None
        if shop is None:
            raise MarketplaceError(
                f"The TikTok authorisation does not cover shop {self.shop_id or '(any)'}", code="shop"
            )
        self.shop_id = str(shop["id"])
        self.shop_cipher = shop.get("cipher") or None
        self.region = shop.get("region") or None
        self._shop_loaded = True
        return shop

    def _cipher(self):
        if self.shop_cipher is None and not self._shop_loaded:
            self._load_shop()
        return self.shop_cipher

    def _currency(self):
        if self.currency is None:
            if not self._shop_loaded:
                self._load_shop()
            self.currency = REGION_CURRENCY.get(self.region or "")
        if not self.currency:
            raise MarketplaceError(f"Unknown currency of TikTok region {self.region!r}", code="currency")
        return self.currency

    def _token_set(self, data):
        self.access_token = data["access_token"]
        refresh_expiry = data.get("refresh_token_expire_in")
        return TokenSet(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token"),
            access_expires_at=utc_from_timestamp(data.get("access_token_expire_in") or 0),
            refresh_expires_at=utc_from_timestamp(refresh_expiry) if refresh_expiry else None,
            shop_external_id=self.shop_id,
        )

    # -- authorisation --------------------------------------------------------------------------------
    def authorization_url(self, redirect_uri, state):
        if self.service_id:
            return f"{SERVICES_HOST}/open/authorize?" + urlencode(
                {"service_id": self.service_id, "state": state}
            )
        return f"{self.auth_host}/oauth/authorize?" + urlencode({"app_key": self.app_key, "state": state})

    def exchange_code(self, code, **params):
        data = self._token_call(PATH_AUTH_CODE, {"auth_code": code, "grant_type": "authorized_code"})
        self.access_token = data["access_token"]
        self._load_shop()
        return self._token_set(data)

    def refresh_access_token(self, refresh_token):
        data = self._token_call(
            PATH_AUTH_REFRESH, {"refresh_token": refresh_token, "grant_type": "refresh_token"}
        )
        return self._token_set(data)

    # -- orders ---------------------------------------------------------------------------------------
    def iter_orders(self, since, until):
        """Search Orders by ``update_time`` ascending, every page a new search from the last update time
        seen (:func:`~.common.keyset_pages`): ``page_token`` pages by position, so an order updated
        while we page would make another one skipped. The token only pages inside one second."""
        end = to_timestamp(until) + 1  # update_time_lt is exclusive: one second past ``until``

        def search(start, token=None):
            body = {"update_time_ge": to_timestamp(start), "update_time_lt": end}
            params = {
                "page_size": PAGE_SIZE,
                "sort_field": "update_time",
                "sort_order": "ASC",
                "page_token": token,
            }
            data = self._call("POST", PATH_ORDER_SEARCH, params=params, body=body)
            orders = self._map_orders(data.get("orders") or [])
            next_token = data.get("next_page_token")
            rows = [(order.external_id, order.update_time, order) for order in orders]
            return rows, next_token if next_token and next_token != token else None

        yield from keyset_pages(search, search, since)

    def iter_order_heads(self, since, until):
        """Search Orders answers whole orders: their heads."""
        for orders in self.iter_orders(since, until):
            yield [
                OrderHead(
                    o.external_id,
                    getattr(o, "status", None),  # None for an UnreadableOrder
                    raw_status=getattr(o, "raw_status", None),
                    update_time=o.update_time,
                )
                for o in orders
            ]

    def _raw_orders(self, external_ids):
        ids = [str(i) for i in dict.fromkeys(external_ids)]
        found = []
        for start in range(0, len(ids), DETAIL_BATCH):
            batch = ids[start : start + DETAIL_BATCH]
            data = self._call("GET", PATH_ORDER_DETAIL, params={"ids": ",".join(batch)})
            found.extend(data.get("orders") or [])
        return found

    def get_orders(self, external_ids):
        return self._map_orders(self._raw_orders(external_ids))

    @staticmethod
    def _map_orders(raws):
        return map_orders(
            raws,
            order_from_tiktok,
            "TikTok Shop",
            "id",
            time_of=lambda raw: utc_from_timestamp(
                int(raw.get("update_time") or raw.get("create_time") or 0)
            ),
        )

    def _shipping_provider_id(self, external_id, carrier):
        """TikTok's ``shipping_provider_id``: ``carrier`` when it is one, else the order's provider (when
        ``carrier`` is empty or names it)."""
        if carrier and str(carrier).isdigit():
            return str(carrier)
        raw = next(iter(self._raw_orders([external_id])), None)
        if raw is None:
            raise MarketplaceError(f"TikTok Shop order {external_id} not found", code="order")
        name = (raw.get("shipping_provider") or "").strip().lower()
        if raw.get("shipping_provider_id") and (not carrier or str(carrier).strip().lower() == name):
            return str(raw["shipping_provider_id"])
        raise MarketplaceError(
            f"Unknown TikTok Shop shipping provider {carrier!r}: pass its shipping_provider_id",
            code="carrier",
        )

    def ship_order(self, external_id, tracking_number, carrier=None):
        """Mark the order's items shipped by the seller with ``tracking_number``; -> TikTok's package id."""
        body = {
            "tracking_number": str(tracking_number),
            "shipping_provider_id": self._shipping_provider_id(external_id, carrier),
        }
        data = self._call("POST", PATH_MARK_SHIPPED.format(order_id=external_id), body=body)
        return data.get("package_id")

    # -- catalogue ------------------------------------------------------------------------------------
    def iter_listings(self):
        token = None
        while True:
            params = {"page_size": PAGE_SIZE, "page_token": token}
            data = self._call("POST", PATH_PRODUCT_SEARCH, params=params, body={"status": "ALL"})
            page = [
                listing
                for product in data.get("products") or []
                if product.get("status") != "DELETED"
                for listing in mapping.listings_from_product(product)
            ]
            if page:
                yield page
            next_token = data.get("next_page_token")
            if not next_token or next_token == token:
                return
            token = next_token

    def update_stock(self, updates):
        """Update Inventory, one call per product and at most :attr:`max_batch` SKUs per call, into the
        SKU's default warehouse. SKUs TikTok refuses fail alone."""
        results = [None] * len(updates)
        for product_id, entries in _chunks(updates, self.max_batch):
            body = {
                "skus": [
                    {"id": _sku_id(u.item_id, u.model_id), "inventory": [{"quantity": int(u.quantity)}]}
                    for _i, u in entries
                ]
            }
            path = PATH_INVENTORY.format(product_id=product_id)
            try:
                data = self._call("POST", path, body=body, check=_check_stock_answer)
            except AuthError:
                raise
            except MarketplaceError as exc:
                for index, update in entries:
                    results[index] = ItemResult(update.key, False, str(exc))
                continue
            refused = {}
            for error in data.get("errors") or []:
                text = f"[{error.get('code')}] {error.get('message')}"
                refused[str((error.get("detail") or {}).get("sku_id"))] = text
            for index, update in entries:
                error = refused.get(_sku_id(update.item_id, update.model_id))
                results[index] = ItemResult(update.key, error is None, error)
        return results

    def update_price(self, updates):
        """Update Price, one call per product and at most :attr:`max_batch` SKUs per call. TikTok refuses
        such a call as a whole, so a refused call with several SKUs is tried again SKU by SKU."""
        results = [None] * len(updates)
        currency = self._currency() if updates else None
        for product_id, entries in _chunks(updates, self.max_batch):
            for index, error in self._push_prices(product_id, entries, currency):
                results[index] = ItemResult(updates[index].key, error is None, error)
        return results

    def _push_prices(self, product_id, entries, currency):
        body = {
            "skus": [
                {
                    "id": _sku_id(u.item_id, u.model_id),
                    "price": {"amount": amount_text(u.price), "currency": currency},
                }
                for _i, u in entries
            ]
        }
        try:
            self._call("POST", PATH_PRICES.format(product_id=product_id), body=body)
        except AuthError:
            raise
        except MarketplaceError as exc:
            if len(entries) == 1 or exc.retryable:
                return [(index, str(exc)) for index, _u in entries]
            return [
                result for entry in entries for result in self._push_prices(product_id, [entry], currency)
            ]
        return [(index, None) for index, _u in entries]

    # -- push (webhooks): the default answer (HTTP 200, empty body) is the one expected: TikTok only needs
    # HTTP 200; anything else makes it push again.
    verify_webhook = staticmethod(signing.verify_webhook)
    parse_webhook = staticmethod(mapping.webhook_events)

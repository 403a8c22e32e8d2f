"""Shopee Open Platform v2 calls for one shop: authorisation, orders, catalogue, stock, price,
shipping. Signing is in ``signing``, what the answers mean in ``mapping``."""

import collections
import datetime
import json
import logging
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
    chunks,
    json_id,
    map_orders,
    order_status,
    to_timestamp,
    utc_from_timestamp,
)
from . import mapping, signing
from .signing import api_sign

_logger = logging.getLogger(__name__)

# -- endpoints (api paths are signed WITHOUT the host, see sign_base_string) ---------------------------
AUTH_PARTNER = "/api/v2/shop/auth_partner"
AUTH_EXCHANGE = "/api/v2/auth/token/get"
AUTH_REFRESH = "/api/v2/auth/access_token/get"
ORDER_LIST = "/api/v2/order/get_order_list"
ORDER_DETAIL = "/api/v2/order/get_order_detail"
ESCROW_DETAIL_BATCH = "/api/v2/payment/get_escrow_detail_batch"
ITEM_LIST = "/api/v2/product/get_item_list"
ITEM_BASE_INFO = "/api/v2/product/get_item_base_info"
MODEL_LIST = "/api/v2/product/get_model_list"
UPDATE_STOCK = "/api/v2/product/update_stock"
UPDATE_PRICE = "/api/v2/product/update_price"
SHIP_ORDER = "/api/v2/logistics/ship_order"

# -- documented limits ---------------------------------------------------------------------------------
ORDER_LIST_PAGE_SIZE = 100  # get_order_list: "The limit of page_size if between 1 and 100."
ORDER_DETAIL_BATCH = 50  # get_order_detail: order_sn_list "limit [1,50]"
ESCROW_BATCH = 50  # get_escrow_detail_batch: order_sn_list "limit [1,50]"
ITEM_LIST_PAGE_SIZE = 100  # get_item_list: page_size "Max=100"
ITEM_BASE_INFO_BATCH = 50  # get_item_base_info: item_id_list "limit [0,50]"
MODELS_PER_CALL = 50  # update_stock / update_price: stock_list / price_list "between 1 to 50"
ORDER_WINDOW = datetime.timedelta(days=15)  # time_from .. time_to "maximum date range ... is 15 days"
REFRESH_TTL = datetime.timedelta(days=30)  # guide 20: "Each refresh_token is valid for 30 days"

#: Optional detail fields asked from get_order_detail (everything else there is returned by default).
ORDER_DETAIL_FIELDS = (
    "buyer_user_id",
    "buyer_username",
    "recipient_address",
    "item_list",
    "total_amount",
    "estimated_shipping_fee",
    "actual_shipping_fee",
    "shipping_carrier",
    "payment_method",
    "pay_time",
    "package_list",
)


#: Throttling answers (HTTP 429 always is): common error list "error_rate_limit: Too many requests",
#: product APIs "error_system_busy: Our system is taking some time to respond".
RATE_LIMIT_ERRORS = frozenset({"error_rate_limit", "error_system_busy", "error_too_many_request"})
#: Invalid/expired token answers. Shopee's own spelling "invalid_acceess_token" is in the common list.
TOKEN_ERRORS = frozenset(
    {
        "invalid_access_token",
        "invalid_acceess_token",
        "error_access_token",
        "error_shop_refresh_token",
        "refresh_token_expired",
        "shop_access_expired",
    }
)
#: "System error, please try again later" family: retried by the transport.
RETRYABLE_ERRORS = frozenset(
    {"error_server", "error_inner", "error_network", "error_other", "error_get_shop_fail"}
)
#: Stock/price calls where every model failed still carry ``response.failure_list``.
BATCH_FAILED_ERRORS = frozenset({"error_busi_update_stock_failed", "error_update_price_fail"})


def _decimal_json(text, fallback):
    """The answer again, with JSON numbers with a fraction as Decimal."""
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return fallback


def _json_number(value):
    """Decimal -> int/float for a JSON request body (Shopee expects numbers, not strings)."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


class ShopeeAdapter(Adapter):
    """Shopee Open Platform v2 for one shop (``shop_id``) of one partner app (``app_key``)."""

    marketplace = "shopee"
    max_batch = MODELS_PER_CALL
    max_window = ORDER_WINDOW

    # -- low level ------------------------------------------------------------------------------------
    def _now(self):
        return int(self.clock())

    def _call(self, method, api_path, params=None, body=None, shop_level=True, hidden_body_keys=()):
        """One signed call (fresh timestamp and sign on every attempt) -> the answer as a dict."""
        if shop_level and not (self.access_token and self.shop_id):
            raise AuthError("No access token for this Shopee shop: authorise the shop first", code="no_token")
        business = [(k, v) for k, v in (params or {}).items() if v is not None]

        def prepare():
            timestamp = self._now()
            common = [("partner_id", self.app_key), ("timestamp", timestamp)]
            if shop_level:
                common += [("access_token", self.access_token), ("shop_id", self.shop_id)]
                sign = api_sign(
                    self.app_secret, self.app_key, api_path, timestamp, self.access_token, self.shop_id
                )
            else:
                sign = api_sign(self.app_secret, self.app_key, api_path, timestamp)
            request = {
                "method": method,
                "url": self.host + api_path,
                "params": common + [("sign", sign)] + business,
                "headers": {"Content-Type": "application/json"},
                "secret_keys": ("access_token", "sign", *hidden_body_keys),
            }
            if body is not None:
                request["json"] = body
            return request

        return self.transport.send(prepare, self._check)

    @staticmethod
    def _check(status, payload, text):
        """Shopee answers ``{"error": "", "message": "", "request_id": ..., "response": ...}``; an empty
        ``error`` is success. Amounts are re-read as Decimal (no float rounding)."""
        if isinstance(payload, dict) and text:
            payload = _decimal_json(text, payload)
        error = str(payload.get("error") or "") if isinstance(payload, dict) else ""
        message = str(payload.get("message") or "") if isinstance(payload, dict) else ""
        if status == 429 or error in RATE_LIMIT_ERRORS:
            raise RateLimited(message or "Too many requests", code=error or "429", status=status)
        if not isinstance(payload, dict):
            raise MarketplaceError(
                f"Unexpected answer from Shopee (HTTP {status})", code=str(status), status=status
            )
        if not error or error == "-":
            if status >= 400:
                raise MarketplaceError(f"Shopee refused the call (HTTP {status})", code=str(status))
            return payload
        lowered = message.lower()
        if error in TOKEN_ERRORS or (
            error in ("error_auth", "common.error_auth")
            and ("access_token" in lowered or "refresh_token" in lowered)
        ):
            exc = AuthError(message or error, code=error, status=status)
        elif error in RETRYABLE_ERRORS:
            exc = MarketplaceError(message or error, code=error, retryable=True, status=status)
        else:
            exc = MarketplaceError(message or error, code=error, status=status)
        exc.payload = payload
        raise exc

    def _token_set(self, answer, shop_id):
        now = self._now()
        expire_in = int(answer.get("expire_in") or 0)
        # expire_in is documented in seconds (14400); one sample shows an absolute timestamp instead.
        expires_at = expire_in if expire_in > 10**9 else now + expire_in
        self.access_token = answer["access_token"]
        shop_id = answer.get("shop_id") or shop_id
        self.shop_id = str(shop_id) if shop_id else self.shop_id
        return TokenSet(
            access_token=answer["access_token"],
            refresh_token=answer["refresh_token"],
            access_expires_at=utc_from_timestamp(expires_at),
            refresh_expires_at=utc_from_timestamp(now) + REFRESH_TTL,
            shop_external_id=self.shop_id,
        )

    # -- authorisation --------------------------------------------------------------------------------
    def authorization_url(self, redirect_uri, state):
        """Shop authorisation link (valid 5 minutes). Shopee has no ``state`` parameter and appends
        ``code`` and ``shop_id`` to ``redirect``, so ``state`` travels inside the redirect URL."""
        redirect = redirect_uri
        if state:
            redirect += ("&" if "?" in redirect else "?") + urlencode({"state": state})
        timestamp = self._now()
        query = {
            "partner_id": self.app_key,
            "timestamp": timestamp,
            "sign": api_sign(self.app_secret, self.app_key, AUTH_PARTNER, timestamp),
            "redirect": redirect,
        }
        return f"{self.auth_host}{AUTH_PARTNER}?{urlencode(query)}"

    def exchange_code(self, code, **params):
        """``code`` and ``shop_id`` from the redirect -> tokens (POST /api/v2/auth/token/get)."""
        shop_id = params.get("shop_id") or self.shop_id
        body = {"code": code, "partner_id": json_id(self.app_key)}
        if shop_id:
            body["shop_id"] = json_id(shop_id)
        elif params.get("main_account_id"):
            body["main_account_id"] = json_id(params["main_account_id"])
        else:
            raise MarketplaceError("Shopee needs the shop_id returned with the code", code="error_param")
        answer = self._call("POST", AUTH_EXCHANGE, body=body, shop_level=False, hidden_body_keys=("code",))
        shop_ids = answer.get("shop_id_list") or []
        return self._token_set(answer, shop_id or (shop_ids[0] if shop_ids else None))

    def refresh_access_token(self, refresh_token):
        """POST /api/v2/auth/access_token/get; the refresh token is single-use and comes back rotated."""
        if not self.shop_id:
            raise MarketplaceError(
                "Shopee refreshes tokens per shop_id: shop_id is missing", code="error_param"
            )
        body = {
            "refresh_token": refresh_token,
            "partner_id": json_id(self.app_key),
            "shop_id": json_id(self.shop_id),
        }
        answer = self._call(
            "POST", AUTH_REFRESH, body=body, shop_level=False, hidden_body_keys=("refresh_token",)
        )
        return self._token_set(answer, self.shop_id)

    # -- orders ---------------------------------------------------------------------------------------
    def iter_orders(self, since, until):
        """get_order_list by update_time (see :meth:`_order_entries`), then full records through
        get_orders, yielded by pages of up to 100 orders."""
        for entries in self._order_entries(since, until):
            yield self.get_orders([entry["order_sn"] for entry in entries])

    def iter_order_heads(self, since, until):
        """get_order_list alone: its ``order_status``; Shopee's list gives no update time."""
        for entries in self._order_entries(since, until):
            yield [
                OrderHead(
                    external_id=entry["order_sn"],
                    status=order_status(
                        mapping.ORDER_STATUS_MAP, entry.get("order_status"), "Shopee", entry["order_sn"]
                    ),
                    raw_status=entry.get("order_status"),
                )
                for entry in entries
            ]

    def _order_entries(self, since, until):
        """Pages of up to 100 get_order_list entries (``order_sn`` and ``order_status``) updated in
        [since, until], in windows of at most 15 days, each order once.

        Shopee documents no sort order and its cursor pages by position: an order updated while we
        page leaves the list and another one would be skipped. So a window whose answer has ``more``
        is split in two until every answer fits in one page, a consistent read of its window; only
        a single second holding more than a page goes on by cursor."""
        time_from, time_to = to_timestamp(since), to_timestamp(until)
        width = int(ORDER_WINDOW.total_seconds())
        windows = []
        while time_from <= time_to:
            windows.append((time_from, min(time_from + width, time_to)))
            time_from = windows[-1][1] + 1
        windows.reverse()  # popped from the end: oldest first
        seen = set()
        fresh = []  # read, not yet yielded: pages go out full
        while windows:
            low, high = windows.pop()
            cursor = ""
            while True:
                response = self._order_list(low, high, cursor)
                for entry in response.get("order_list") or []:
                    order_sn = str(entry["order_sn"])
                    if order_sn not in seen:
                        seen.add(order_sn)
                        fresh.append({**entry, "order_sn": order_sn})
                while len(fresh) >= ORDER_LIST_PAGE_SIZE:
                    yield fresh[:ORDER_LIST_PAGE_SIZE]
                    fresh = fresh[ORDER_LIST_PAGE_SIZE:]
                cursor = str(response.get("next_cursor") or "")
                if not response.get("more") or not cursor:
                    break
                if low < high:
                    middle = (low + high) // 2
                    windows += [(middle + 1, high), (low, middle)]
                    break
        if fresh:
            yield fresh

    def _order_list(self, time_from, time_to, cursor=""):
        answer = self._call(
            "GET",
            ORDER_LIST,
            params={
                "time_range_field": "update_time",
                "time_from": time_from,
                "time_to": time_to,
                "page_size": ORDER_LIST_PAGE_SIZE,
                "cursor": cursor,
                "response_optional_fields": "order_status",
            },
        )
        return answer.get("response") or {}

    def get_orders(self, external_ids):
        """get_order_detail (lines, buyer, total) + get_escrow_detail_batch (vouchers, seller discount
        per line, shipping paid by the buyer), both in batches of 50 order_sn."""
        order_sns = list(dict.fromkeys(str(i) for i in external_ids))
        orders = []
        for batch in chunks(order_sns, ORDER_DETAIL_BATCH):
            answer = self._call(
                "GET",
                ORDER_DETAIL,
                params={
                    "order_sn_list": ",".join(batch),
                    "response_optional_fields": ",".join(ORDER_DETAIL_FIELDS),
                },
            )
            details = (answer.get("response") or {}).get("order_list") or []
            escrows = self._escrow_details([str(d["order_sn"]) for d in details])
            orders.extend(
                map_orders(
                    details,
                    lambda detail, escrows=escrows: mapping.order_from_shopee(
                        detail, escrows.get(str(detail["order_sn"]))
                    ),
                    "Shopee",
                    "order_sn",
                )
            )
        return orders

    def _escrow_details(self, order_sns):
        found = {}
        for batch in chunks(order_sns, ESCROW_BATCH):
            answer = self._call("POST", ESCROW_DETAIL_BATCH, body={"order_sn_list": batch})
            for entry in answer.get("response") or []:
                detail = entry.get("escrow_detail") or {}
                if entry.get("fail_error") or not detail.get("order_income"):
                    continue  # e.g. no income record yet: amounts then come from the order detail alone
                found[str(detail.get("order_sn"))] = detail
        return found

    def ship_order(self, external_id, tracking_number, carrier=None):
        """Non-integrated shipment with our own tracking number (POST /api/v2/logistics/ship_order).

        Shopee has no carrier parameter (the channel is chosen at checkout), so ``carrier`` is unused.
        A replay after a lost answer gets ``logistics.package_already_shipped``: taken as done.
        """
        body = {"order_sn": str(external_id), "non_integrated": {"tracking_number": str(tracking_number)}}
        try:
            self._call("POST", SHIP_ORDER, body=body)
        except MarketplaceError as exc:
            if exc.code != "logistics.package_already_shipped":
                raise
            _logger.warning("Shopee order %s was already shipped: %s", external_id, exc)
        return True

    # -- catalogue ------------------------------------------------------------------------------------
    def iter_listings(self):
        """get_item_list (NORMAL items, offset paging by 100) -> get_item_base_info (50 per call) ->
        get_model_list for items with models. One yielded page per item-list page."""
        offset = 0
        while True:
            answer = self._call(
                "GET",
                ITEM_LIST,
                params={"offset": offset, "page_size": ITEM_LIST_PAGE_SIZE, "item_status": "NORMAL"},
            )
            response = answer.get("response") or {}
            item_ids = [str(item["item_id"]) for item in response.get("item") or []]
            listings = []
            for batch in chunks(item_ids, ITEM_BASE_INFO_BATCH):
                info = self._call("GET", ITEM_BASE_INFO, params={"item_id_list": ",".join(batch)})
                for item in (info.get("response") or {}).get("item_list") or []:
                    listings.extend(self._item_listings(item))
            if listings:
                yield listings
            if not response.get("has_next_page"):
                break
            offset = int(response.get("next_offset") or offset + len(item_ids))

    def _item_listings(self, item):
        if not item.get("has_model"):
            return [mapping.item_listing(item)]
        answer = self._call("GET", MODEL_LIST, params={"item_id": str(item["item_id"])})
        return mapping.model_listings(item, answer.get("response") or {})

    def update_stock(self, updates):
        """update_stock takes ONE item_id per call with up to 50 models; a model that fails is listed in
        ``failure_list`` and the others are still applied."""
        return self._push_models(
            updates,
            UPDATE_STOCK,
            "stock_list",
            lambda u: {"seller_stock": [{"stock": int(u.quantity)}]},
            lambda u: None if int(u.quantity) >= 0 else "Stock must not be negative",
        )

    def update_price(self, updates):
        """update_price: ONE item_id per call, ``price_list`` of model_id + original_price (<= 50)."""
        return self._push_models(
            updates,
            UPDATE_PRICE,
            "price_list",
            lambda u: {"original_price": _json_number(u.price)},
            lambda u: None if Decimal(str(u.price)) > 0 else "Price must be positive",
        )

    def _push_models(self, updates, api_path, list_key, render, invalid):
        results = {}
        by_item = collections.OrderedDict()
        latest = {update.key: update for update in updates}  # a key given twice: the last one wins
        for update in latest.values():
            reason = invalid(update)
            if reason:
                results[update.key] = ItemResult(key=update.key, ok=False, error=reason)
                continue
            # one entry per model: a repeated model_id makes Shopee refuse the whole call
            by_item.setdefault(str(update.item_id), []).append(update)
        for item_id, item_updates in by_item.items():
            for batch in chunks(item_updates, MODELS_PER_CALL):
                body = {
                    "item_id": json_id(item_id),
                    list_key: [{"model_id": json_id(u.model_id or 0), **render(u)} for u in batch],
                }
                results.update(self._models_result(api_path, body, batch))
        return [results[u.key] for u in updates]

    def _models_result(self, api_path, body, batch):
        try:
            answer = self._call("POST", api_path, body=body)
        except (AuthError, RateLimited):
            raise
        except MarketplaceError as exc:
            if exc.retryable:
                raise
            payload = getattr(exc, "payload", None) or {}
            if exc.code not in BATCH_FAILED_ERRORS or not (payload.get("response") or {}).get("failure_list"):
                # the whole call was refused (e.g. unknown item_id): all its models failed, others did not
                return {u.key: ItemResult(key=u.key, ok=False, error=str(exc)) for u in batch}
            answer = payload
        failures = {
            mapping.model_key(f.get("model_id")): str(f.get("failed_reason") or "failed")
            for f in (answer.get("response") or {}).get("failure_list") or []
        }
        return {
            u.key: ItemResult(
                key=u.key,
                ok=mapping.model_key(u.model_id) not in failures,
                error=failures.get(mapping.model_key(u.model_id)),
            )
            for u in batch
        }

    # -- push (webhooks): the default answer (HTTP 200, empty body) is the one expected: Shopee's guide 18:
    # a push counts as delivered only with a 2xx status AND an empty body.
    verify_webhook = staticmethod(signing.verify_webhook)
    parse_webhook = staticmethod(mapping.webhook_events)

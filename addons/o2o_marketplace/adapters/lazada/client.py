"""Lazada Open Platform calls for one seller: authorisation, orders, catalogue, fulfilment, stock and
price. Signing is in ``signing``, what the answers mean in ``mapping``."""

import datetime
import html
import json
import logging
import re
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
    keyset_pages,
    map_orders,
    utc_from_timestamp,
)
from . import mapping, signing
from .mapping import ORDER_STATUS_MAP, parse_time
from .signing import sign_request

_logger = logging.getLogger(__name__)

#: API gateways per venture ("API endpoint URLs", https://open.lazada.com/apps/doc/doc?docId=108065).
API_HOSTS = {
    "VN": "https://api.lazada.vn/rest",
    "SG": "https://api.lazada.sg/rest",
    "MY": "https://api.lazada.com.my/rest",
    "TH": "https://api.lazada.co.th/rest",
    "PH": "https://api.lazada.com.ph/rest",
    "ID": "https://api.lazada.co.id/rest",
}
#: One authorisation service for all ventures (seller authorisation introduction).
AUTH_HOST = "https://auth.lazada.com/rest"

#: Gateway and API codes (ApiCallLimit: "Api access frequency exceeds the limit. this ban will last
#: 1 seconds."; 901: "E901: The request is too frequent ..." / "Limit service request speed").
RATE_LIMIT_CODES = frozenset(
    {"ApiCallLimit", "AppCallLimit", "SellerCallLimit", "901", "OPEN_API_CALL_EXCEED_LIMIT"}
)
AUTH_CODES = frozenset(
    {"IllegalAccessToken", "MissingAccessToken", "InvalidAccessToken", "IllegalRefreshToken"}
)
RETRYABLE_CODES = frozenset(
    {
        "ServiceTimeout",
        "ServiceUnavailable",
        "InternalError",
        "SystemError",
        "SYSTEM_ERROR",
        "RPC_ERROR",
        "SYSTEM_BUSY",
        "SYSTEM_TIMEOUT",
        "GET_LOCK_FAILED",
        "1000",
        "513",
        "4136",
        "4137",
        "40011",
        "700024",
    }
)
_RETRYABLE_MESSAGE = re.compile(
    r"system (is )?busy|internal (system |application )?error|unexpected internal|service timeout|"
    r"try (again )?later|system error",
    re.IGNORECASE,
)
_BAN_SECONDS = re.compile(r"last\s+(\d+)\s+(?:more\s+)?seconds?", re.IGNORECASE)

#: Item statuses the Pack API accepts ("if it is cancelled or unpaid status, then it is not allowed").
#: Parameters never shown in an error's request excerpt.
SECRET_PARAMS = ("access_token", "refresh_token", "code")

_PACKABLE = frozenset({"pending", "topack", "repacked"})
_PACKED = frozenset({"packed", "toship", "ready_to_ship_pending"})


def _truthy(value):
    return value is True or str(value).strip().lower() in ("true", "1")


def _iso(value):
    """ISO 8601 with offset, as Lazada's time filters want, from a naive-UTC datetime."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return f"{value:%Y-%m-%dT%H:%M:%S}+00:00"


class LazadaAdapter(Adapter):
    """One Lazada seller (``shop_id`` is the seller id of the token's ``country_user_info``)."""

    marketplace = "lazada"
    #: UpdatePriceQuantity: "A maximum of 50 SKUs can be added per request".
    max_batch = 50
    #: GetOrders: "limit ... The supported maximum number is 100"; "offset ... Maximum value: 5000"
    #: (Get Order tutorial, https://open.lazada.com/apps/doc/doc?nodeId=43452&docId=121327); every page
    #: starts a new search at the last update time, so offsets only grow inside one second.
    orders_page_size = 100
    max_orders_offset = 5000
    #: GetMultipleOrderItems: "No more than 50 at a time".
    items_batch = 50
    #: GetProducts: "limit ... The maximum is 50"; "The maximum offset is 10000".
    products_page_size = 50
    max_products_offset = 10000
    #: Pack API: local stores are always "TFS" (Lazada's logistics), cross-border ones "NTFS".
    shipping_allocate_type = "TFS"

    def __init__(self, *, host, auth_host=None, **kwargs):
        if auth_host is None and host.startswith("https://api.lazada"):
            auth_host = AUTH_HOST
        super().__init__(host=host, auth_host=auth_host, **kwargs)

    # -- transport ------------------------------------------------------------------------------
    def _call(self, api_path, params=None, *, method="GET", token=True, auth=False, partial=False):
        """One signed call; ``partial`` returns batch answers whose ``detail`` lists failed SKUs."""
        if token and not self.access_token:
            raise AuthError("No Lazada access token: authorise the shop first", code="MissingAccessToken")
        url = (self.auth_host if auth else self.host) + api_path
        business = {key: value for key, value in (params or {}).items() if value not in (None, "")}

        def prepare():
            system = {
                "app_key": self.app_key,
                "sign_method": "sha256",
                "timestamp": str(int(self.clock() * 1000)),
            }
            if token:
                system["access_token"] = self.access_token
            signed = {key: str(value) for key, value in {**business, **system}.items()}
            signed["sign"] = sign_request(self.app_secret, api_path, signed)
            if method == "GET":
                return {"method": "GET", "url": url, "params": signed, "secret_keys": SECRET_PARAMS}
            return {"method": "POST", "url": url, "data": signed, "secret_keys": SECRET_PARAMS}

        def check(status, payload, text):
            return self._check(status, payload, partial)

        return self.transport.send(prepare, check)

    def _check(self, status, payload, partial=False):
        if not isinstance(payload, dict):
            raise MarketplaceError(
                f"Unexpected answer from Lazada (HTTP {status})",
                code=str(status),
                retryable=status == 429,
            )
        code = str(payload.get("code", "0"))
        if code == "0" and status < 400:
            return payload
        error = self._error(payload, status)
        batch_answer = partial and isinstance(payload.get("detail"), list)
        if batch_answer and not error.retryable and not isinstance(error, AuthError):
            return payload
        raise error

    @staticmethod
    def _error(payload, status=200):
        code = str(payload.get("code") or status)
        message = str(payload.get("message") or payload.get("msg") or code)
        if code in RATE_LIMIT_CODES or status == 429:
            match = _BAN_SECONDS.search(message)
            return RateLimited(message, code=code, retry_after=int(match.group(1)) if match else None)
        if code in AUTH_CODES or (code == "MissingParameter" and "access_token" in message):
            return AuthError(message, code=code)
        retryable = code in RETRYABLE_CODES or bool(_RETRYABLE_MESSAGE.search(message))
        return MarketplaceError(message, code=code, retryable=retryable)

    # -- authorisation --------------------------------------------------------------------------
    def authorization_url(self, redirect_uri, state):
        """https://auth.lazada.com/oauth/authorize?response_type=code&force_auth=true&redirect_uri=..."""
        origin = self.auth_host[: -len("/rest")] if self.auth_host.endswith("/rest") else self.auth_host
        query = urlencode(
            {
                "response_type": "code",
                "force_auth": "true",
                "redirect_uri": redirect_uri,
                "client_id": self.app_key,
                "state": state,
            }
        )
        return f"{origin}/oauth/authorize?{query}"

    def _token_set(self, payload):
        now = self.clock()
        infos = payload.get("country_user_info") or payload.get("country_user_info_list") or []
        if isinstance(infos, dict):  # some answers key the list by country
            infos = list(infos.values())
        seller_ids = [str(info.get("seller_id")) for info in infos if info.get("seller_id")]
        seller_id = self.shop_id if self.shop_id in seller_ids else (seller_ids[0] if seller_ids else None)
        refresh_in = int(payload.get("refresh_expires_in") or 0)
        tokens = TokenSet(
            access_token=payload["access_token"],
            refresh_token=payload.get("refresh_token") or "",
            access_expires_at=utc_from_timestamp(now + int(payload.get("expires_in") or 0)),
            refresh_expires_at=utc_from_timestamp(now + refresh_in) if refresh_in else None,
            shop_external_id=seller_id or self.shop_id,
        )
        self.access_token = tokens.access_token
        if tokens.shop_external_id:
            self.shop_id = tokens.shop_external_id
        return tokens

    def exchange_code(self, code, **params):
        """GenerateAccessToken ``/auth/token/create`` on the authorisation host."""
        payload = self._call("/auth/token/create", {"code": code}, method="POST", token=False, auth=True)
        return self._token_set(payload)

    def refresh_access_token(self, refresh_token):
        """RefreshAccessToken ``/auth/token/refresh``; Lazada answers a new refresh token too."""
        payload = self._call(
            "/auth/token/refresh", {"refresh_token": refresh_token}, method="POST", token=False, auth=True
        )
        return self._token_set(payload)

    # -- orders ---------------------------------------------------------------------------------
    def _order_pages(self, since, until):
        """GetOrders by ``updated_at`` ascending, every page searched again from the last update time
        seen (:func:`~.common.keyset_pages`), so an order updated while we page cannot make another
        one skipped; offsets only page inside one second, up to :attr:`max_orders_offset`. Yields
        pages of raw orders (their items come from GetMultipleOrderItems, see :meth:`iter_orders`)."""
        limit = self.orders_page_size

        def search(start, offset):
            data = (
                self._call(
                    "/orders/get",
                    {
                        "update_after": _iso(start),
                        "update_before": _iso(until),
                        "sort_by": "updated_at",
                        "sort_direction": "ASC",
                        "offset": offset,
                        "limit": limit,
                    },
                ).get("data")
                or {}
            )
            raw_orders = data.get("orders") or []
            rows = [(str(raw.get("order_id")), parse_time(raw.get("updated_at")), raw) for raw in raw_orders]
            return rows, offset + limit if len(raw_orders) >= limit else None

        def same_second(start, offset):
            if offset > self.max_orders_offset:
                raise MarketplaceError(
                    f"More than {self.max_orders_offset + limit} Lazada orders updated in the same second "
                    f"({_iso(start)}): GetOrders cannot page past them",
                    code="14",
                )
            return search(start, offset)

        return keyset_pages(lambda start: search(start, 0), same_second, since)

    def iter_orders(self, since, until):
        for raws in self._order_pages(since, until):
            yield self._complete(raws)

    def iter_order_heads(self, since, until):
        """GetOrders alone: the order's status from its items' ``statuses``."""
        for raws in self._order_pages(since, until):
            heads = []
            for raw in raws:
                status, raw_status = mapping.order_status(raw.get("statuses") or [], raw.get("order_id"))
                heads.append(
                    OrderHead(
                        external_id=str(raw["order_id"]),
                        status=status,
                        raw_status=raw_status,
                        update_time=parse_time(raw.get("updated_at")),
                    )
                )
            yield heads

    def get_orders(self, external_ids):
        """GetOrder per id (Lazada has no batch lookup by id), items by GetMultipleOrderItems.
        Ids the shop does not know (E016) are left out."""
        raws = []
        for external_id in dict.fromkeys(str(i) for i in external_ids):
            try:
                raws.append(self._call("/order/get", {"order_id": external_id})["data"])
            except MarketplaceError as exc:
                if str(exc.code) != "16":
                    raise
                _logger.warning("Lazada does not know order %s: %s", external_id, exc.message)
        return self._complete(raws) if raws else []

    def _order_items(self, order_ids):
        items = {}
        for chunk in chunks(order_ids, self.items_batch):
            data = self._call("/orders/items/get", {"order_ids": "[" + ",".join(chunk) + "]"}).get("data")
            for entry in data or []:
                items[str(entry.get("order_id"))] = entry.get("order_items") or []
        return items

    def _complete(self, raw_orders):
        items = self._order_items([str(raw["order_id"]) for raw in raw_orders])
        return map_orders(
            raw_orders,
            lambda raw: mapping.order_from_lazada(raw, items.get(str(raw["order_id"]), [])),
            "Lazada",
            "order_id",
        )

    @staticmethod
    def order_status(raw_statuses):
        """(normalised, raw) status of an order from its items' statuses."""
        return mapping.order_status(raw_statuses)

    def ship_order(self, external_id, tracking_number, carrier=None):
        """GetOrderItems, Pack (``/order/fulfill/pack``) the pending items, then ReadyToShip
        (``/order/package/rts``) their packages. Lazada allocates the carrier and the tracking number
        at packing ("generated by Lazada, is not customizable"): ``tracking_number`` and ``carrier``
        are not sent; Lazada's tracking number is returned. Already shipped orders return theirs."""
        items = self._call("/order/items/get", {"order_id": external_id}).get("data") or []
        if not items:
            raise MarketplaceError(f"Lazada order {external_id} has no items", code="16")
        to_pack = [it for it in items if it.get("status") in _PACKABLE]
        packages = {
            str(it["package_id"]) for it in items if it.get("status") in _PACKED and it.get("package_id")
        }
        tracking = next((it["tracking_code"] for it in items if it.get("tracking_code")), None)
        if to_pack:
            pack_req = {
                "pack_order_list": [
                    {
                        "order_id": json_id(external_id),
                        "order_item_list": [json_id(it["order_item_id"]) for it in to_pack],
                    }
                ],
                "delivery_type": "dropship",
                "shipping_allocate_type": self.shipping_allocate_type,
            }
            result = self._fulfilment(
                "/order/fulfill/pack", {"packReq": json.dumps(pack_req, separators=(",", ":"))}
            )
            for order in (result.get("data") or {}).get("pack_order_list") or []:
                for item in order.get("order_item_list") or []:
                    self._item_ok(item)
                    if item.get("package_id"):
                        packages.add(str(item["package_id"]))
                    tracking = item.get("tracking_number") or tracking
        if packages:
            rts_req = {"packages": [{"package_id": package} for package in sorted(packages)]}
            result = self._fulfilment(
                "/order/package/rts", {"readyToShipReq": json.dumps(rts_req, separators=(",", ":"))}
            )
            for package in (result.get("data") or {}).get("packages") or []:
                self._item_ok(package)
        elif not to_pack:
            statuses = {ORDER_STATUS_MAP.get(it.get("status"), "") for it in items}
            if not statuses & {"shipped", "completed"}:
                raw = ", ".join(sorted({str(it.get("status")) for it in items}))
                raise MarketplaceError(
                    f"Lazada order {external_id} cannot be shipped in status {raw}", code="FO_STATUS"
                )
        if tracking_number and tracking and tracking_number != tracking:
            _logger.info("Lazada order %s: tracking number %s allocated by Lazada", external_id, tracking)
        return tracking

    def _fulfilment(self, api_path, params):
        result = self._call(api_path, params, method="POST").get("result") or {}
        if not _truthy(result.get("success")):
            raise MarketplaceError(
                str(result.get("error_msg") or "Lazada fulfilment call failed"),
                code=str(result.get("error_code") or "fulfilment"),
            )
        return result

    @staticmethod
    def _item_ok(item):
        code = str(item.get("item_err_code", "0"))
        if code != "0":
            raise MarketplaceError(
                str(item.get("msg") or code), code=code, retryable=_truthy(item.get("retry"))
            )

    # -- catalogue ------------------------------------------------------------------------------
    def iter_listings(self):
        """GetProducts (``filter=all``) by ``offset``/``limit`` pages of 50, one Listing per SKU."""
        offset = 0
        limit = self.products_page_size
        while True:
            data = (
                self._call("/products/get", {"filter": "all", "offset": offset, "limit": limit}).get("data")
                or {}
            )
            products = data.get("products") or []
            page = [listing for product in products for listing in mapping.listings_from_product(product)]
            if page:
                yield page
            offset += len(products)
            total = int(data.get("total_products") or 0)
            if len(products) < limit or offset >= total:
                return
            if offset > self.max_products_offset:
                raise MarketplaceError(
                    f"Lazada lists at most {self.max_products_offset} products by offset", code="14"
                )

    def _sku_xml(self, updates, field, value):
        skus = []
        for update in updates:
            parts = [f"<ItemId>{html.escape(str(update.item_id), quote=False)}</ItemId>"]
            if update.model_id not in (None, ""):
                parts.append(f"<SkuId>{html.escape(str(update.model_id), quote=False)}</SkuId>")
            if update.sku:
                parts.append(f"<SellerSku>{html.escape(update.sku, quote=False)}</SellerSku>")
            parts.append(f"<{field}>{value(update)}</{field}>")
            skus.append("<Sku>" + "".join(parts) + "</Sku>")
        return "<Request><Product><Skus>" + "".join(skus) + "</Skus></Product></Request>"

    def _push(self, updates, field, value):
        """UpdatePriceQuantity; a failed SKU is listed in ``detail`` and the others are applied."""
        updates = list(updates)
        if not updates:
            return []
        if len(updates) > self.max_batch:
            raise ValueError(f"At most {self.max_batch} SKUs per Lazada call")
        payload = self._call(
            "/product/price_quantity/update",
            {"payload": self._sku_xml(updates, field, value)},
            method="POST",
            partial=True,
        )
        failed = {}
        unmatched = []
        details = payload.get("detail") if str(payload.get("code")) != "0" else None
        for entry in details or []:
            message = str(entry.get("message") or payload.get("message") or "failed")
            seller_sku = entry.get("seller_sku") or entry.get("SellerSku")
            sku_id = str(entry.get("sku_id") or entry.get("SkuId") or "")
            hits = [
                u.key
                for u in updates
                if (seller_sku and u.sku == seller_sku) or (sku_id and str(u.model_id) == sku_id)
            ]
            for key in hits:
                failed[key] = message
            if not hits:
                unmatched.append(message)
        if unmatched:  # cannot tell which SKU: the ones sent without a seller SKU are not proven done
            for update in updates:
                if not update.sku and update.key not in failed:
                    failed[update.key] = unmatched[0]
        return [ItemResult(key=u.key, ok=u.key not in failed, error=failed.get(u.key)) for u in updates]

    def update_stock(self, updates):
        """``<Quantity>`` (total stock of the dropshipping warehouse) per SKU, at most 50 SKUs."""
        return self._push(updates, "Quantity", lambda u: int(u.quantity))

    def update_price(self, updates):
        """``<Price>`` (the regular price; special prices are left alone) per SKU, at most 50 SKUs."""
        return self._push(updates, "Price", lambda u: f"{Decimal(str(u.price)):.2f}")

    # -- push (webhooks): the default answer (HTTP 200, empty body) is the one expected: Lazada only wants
    # HTTP 200 within 500 ms; otherwise it retries every 30 min, 12 times.
    verify_webhook = staticmethod(signing.verify_webhook)
    parse_webhook = staticmethod(mapping.webhook_events)

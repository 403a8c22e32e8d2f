"""Shopee Open Platform v2 as the simulator serves it (under ``/shopee``; api paths ``/api/v2/...``).

Follows the developer guides 16 (signing, envelope), 18 (push) and 20 (authorisation) of
https://open.shopee.com and the API reference pages (mirrored as JSON schemas in
github.com/congminh1254/shopee-sdk, ``schemas/v2.*.json``): the same paths, parameters, limits, error
codes and messages. What real Shopee does that is NOT simulated: masking beyond the phone number,
PENDING/IN_CANCEL/INVOICE_PENDING states, packages split in several parcels, promotions and coins.
Documented behaviour kept: the 5-minute timestamp window, 15-day order windows, page sizes, the
one-item-per-call stock/price updates with a per-model ``failure_list``, single-use refresh tokens,
and the push ``Authorization`` header.
"""

import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .core import MarketplaceHandler

TIMESTAMP_TTL = 300  # guide 16: "Each API request needs to be requested within 5 minutes of a timestamp"
ORDER_WINDOW = 15 * 86400
RAW_STATUS = {
    "unpaid": "UNPAID",
    "ready_to_ship": "READY_TO_SHIP",
    "shipped": "SHIPPED",
    "completed": "COMPLETED",
    "cancelled": "CANCELLED",
    "returned": "TO_RETURN",
}
#: Fields of get_order_detail returned without being asked ("Return by default" in the reference).
DEFAULT_DETAIL_FIELDS = frozenset(
    {"order_sn", "region", "currency", "cod", "order_status", "message_to_seller", "create_time"}
    | {"update_time", "days_to_ship", "ship_by_date"}
)
DECIMALS = {"VND": 0, "IDR": 0}  # other currencies: 2 decimals


class ShopeeError(Exception):
    def __init__(self, error, message, status=400, response=None):
        super().__init__(message)
        self.error, self.message, self.status, self.response = error, message, status, response


def sign(key, message):
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def number(value):
    """Decimal -> JSON number the way Shopee writes amounts (48000, 12.5)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def sid(value):
    """Shopee ids are int64 in JSON."""
    text = str(value)
    return int(text) if text.isdigit() else text


def mask_phone(phone):
    phone = str(phone or "")
    return "*" * max(len(phone) - 2, 0) + phone[-2:] if phone else ""


def id_list(value):
    """``1,2,3`` or ``[1,2,3]`` (both seen in Shopee's samples)."""
    return [v.strip().strip('"') for v in str(value or "").strip("[]").split(",") if v.strip()]


class Handler(MarketplaceHandler):
    name = "shopee"

    def __init__(self, sim):
        super().__init__(sim)
        self.routes = {
            "/api/v2/shop/auth_partner": ("GET", False, self.auth_partner),
            "/api/v2/auth/token/get": ("POST", False, self.token_get),
            "/api/v2/auth/access_token/get": ("POST", False, self.access_token_get),
            "/api/v2/order/get_order_list": ("GET", True, self.order_list),
            "/api/v2/order/get_order_detail": ("GET", True, self.order_detail),
            "/api/v2/payment/get_escrow_detail_batch": ("POST", True, self.escrow_detail_batch),
            "/api/v2/product/get_item_list": ("GET", True, self.item_list),
            "/api/v2/product/get_item_base_info": ("GET", True, self.item_base_info),
            "/api/v2/product/get_model_list": ("GET", True, self.model_list),
            "/api/v2/product/update_stock": ("POST", True, self.update_stock),
            "/api/v2/product/update_price": ("POST", True, self.update_price),
            "/api/v2/logistics/ship_order": ("POST", True, self.ship_order),
        }

    # -- envelope -------------------------------------------------------------------------------------
    @staticmethod
    def request_id():
        return secrets.token_hex(16)

    def answer(self, response=None, **top):
        payload = {"error": "", "message": "", "request_id": self.request_id(), **top}
        if response is not None:
            payload["response"] = response
        return self.json_response(payload)

    def error(self, exc):
        payload = {"error": exc.error, "message": exc.message, "request_id": self.request_id()}
        if exc.response is not None:
            payload["response"] = exc.response
        return self.json_response(payload, status=exc.status)

    def rate_limited(self):
        """Common error list of every v2 API: ``error_rate_limit`` "Too many requests ..."; HTTP 429."""
        return self.json_response(
            {
                "error": "error_rate_limit",
                "message": "Too many requests. You have reached the rate limit. Please try again later.",
                "request_id": self.request_id(),
            },
            status=429,
        )

    def handle(self, method, path, query, headers, body):
        route = self.routes.get(path)
        try:
            if route is None or route[0] != method:
                raise ShopeeError(
                    "error_param",
                    "Permission denied. This API is currently offline or the request path is incorrect.",
                    status=404,
                )
            _method, shop_level, func = route
            shop = self.authenticate(path, query, shop_level)
            data = {}
            if method == "POST":
                try:
                    data = json.loads(body or b"{}", parse_float=Decimal)
                except ValueError as exc:
                    raise ShopeeError("error_param", "The request body is not a valid json format") from exc
            return func(shop, query, data)
        except ShopeeError as exc:
            return self.error(exc)

    def authenticate(self, path, query, shop_level):
        """Common parameters and sign (guide 16); for shop APIs also the access token."""
        partner_id, timestamp = self._common_params(query)
        if shop_level:
            token, shop_id = query.get("access_token"), query.get("shop_id")
            if not token:
                raise ShopeeError("error_param", "There is no access_token in query.")
            if not shop_id:
                raise ShopeeError("error_param", "There is no shop_id in query.")
            shop = self.sim.shop(self.name, shop_id)
            if shop is None or shop.app_key != partner_id:
                raise ShopeeError("error_auth", "Invalid partner_id or shopid.", status=403)
            base = f"{partner_id}{path}{timestamp}{token}{shop_id}"
        else:
            shop = self.sim.shop_by_key(self.name, partner_id)
            if shop is None:
                raise ShopeeError(
                    "invalid_partner_id", "Invalid partner_id, please have a check.", status=403
                )
            base = f"{partner_id}{path}{timestamp}"
        if not hmac.compare_digest(sign(shop.app_secret, base), query["sign"]):
            raise ShopeeError("error_sign", "Wrong sign.", status=403)
        if shop_level and not self.sim.access_valid(shop, query["access_token"]):
            raise ShopeeError(
                "invalid_acceess_token", "Invalid access_token, please have a check.", status=403
            )
        return shop

    @staticmethod
    def _common_params(query):
        partner_id = query.get("partner_id")
        if not partner_id:
            raise ShopeeError("error_param", "There is no partner_id in query.")
        if not partner_id.isdigit():
            raise ShopeeError("error_param", "Invalid partner_id.")
        timestamp = query.get("timestamp")
        if not timestamp:
            raise ShopeeError("error_param", "no timestamp")
        if not timestamp.isdigit():
            raise ShopeeError("error_param", "Invalid timestamp")
        # checked against wall time: sim.advance() only ages tokens
        if abs(int(time.time()) - int(timestamp)) > TIMESTAMP_TTL:
            raise ShopeeError("error_param", "Timestamp is expired.")
        if not query.get("sign"):
            raise ShopeeError("error_param", "There is no sign in query.")
        return partner_id, timestamp

    # -- authorisation (guide 20) ---------------------------------------------------------------------
    def auth_partner(self, shop, query, _data):
        """The seller logs in and confirms at once: 302 to ``redirect`` with ``code`` and ``shop_id``."""
        redirect = query.get("redirect")
        if not redirect:
            raise ShopeeError("error_param", "Wrong parameters, detail: redirect is required.")
        parts = urlsplit(redirect)
        params = parse_qsl(parts.query, keep_blank_values=True)
        params += [("code", self.sim.issue_code(shop)), ("shop_id", shop.shop_id)]
        location = urlunsplit(parts._replace(query=urlencode(params)))
        return 302, {"Location": location, "Content-Type": "text/html"}, b""

    def _body_partner(self, query, data):
        if str(data.get("partner_id")) != query["partner_id"]:
            raise ShopeeError("error_param", "Wrong parameters, detail: partner_id in body mismatch.")

    def _shop_of_body(self, query, data):
        shop = self.sim.shop(self.name, data.get("shop_id")) if data.get("shop_id") else None
        if shop is None or shop.app_key != query["partner_id"]:
            raise ShopeeError(
                "invalid_shop_id", "The code or shop_id is wrong, please check the code or the shop_id."
            )
        return shop

    def token_get(self, _shop, query, data):
        self._body_partner(query, data)
        if not data.get("code"):
            raise ShopeeError("error_param", "Wrong parameters, detail: code is required.")
        shop = self._shop_of_body(query, data)
        if not self.sim.use_code(shop, str(data["code"])):
            raise ShopeeError("error_auth", "Invalid code", status=403)
        access, refresh, ttl, _refresh_ttl = self.sim.issue_tokens(shop)
        # guide 20, shop-level example: the tokens at top level, no "response" wrapper
        return self.answer(access_token=access, refresh_token=refresh, expire_in=ttl)

    def access_token_get(self, _shop, query, data):
        self._body_partner(query, data)
        shop = self.sim.shop(self.name, data.get("shop_id")) if data.get("shop_id") else None
        refresh = str(data.get("refresh_token") or "")
        if shop is None or shop.app_key != query["partner_id"] or not self.sim.refresh_valid(shop, refresh):
            raise ShopeeError("error_auth", "Invalid refresh_token.", status=403)
        access, new_refresh, ttl, _refresh_ttl = self.sim.issue_tokens(shop, rotate_from=refresh)
        return self.answer(
            partner_id=int(query["partner_id"]),
            shop_id=sid(shop.shop_id),
            access_token=access,
            refresh_token=new_refresh,
            expire_in=ttl,
        )

    # -- orders ---------------------------------------------------------------------------------------
    @staticmethod
    def _int(query, key, required=True):
        value = query.get(key)
        if value in (None, ""):
            if required:
                raise ShopeeError("error_param", f"Wrong parameters, detail: {key} is required.")
            return None
        if not str(value).lstrip("-").isdigit():
            raise ShopeeError("error_param", f"Wrong parameters, detail: {key} is invalid.")
        return int(value)

    def order_list(self, shop, query, _data):
        field = query.get("time_range_field")
        if field not in ("create_time", "update_time"):
            raise ShopeeError("error_param", "Wrong parameters, detail: time_range_field is invalid.")
        time_from, time_to = self._int(query, "time_from"), self._int(query, "time_to")
        if time_from > time_to or time_to - time_from > ORDER_WINDOW:
            raise ShopeeError(
                "order.order_list_invalid_time",
                "Start time must be earlier than end time and diff in 15days.",
            )
        page_size = self._int(query, "page_size")
        if not 1 <= page_size <= 100:
            raise ShopeeError(
                "error_param", "Wrong parameters, detail: page_size should be between 1 and 100."
            )
        cursor = query.get("cursor") or "0"
        if not cursor.isdigit():
            raise ShopeeError("error_param", "Wrong parameters, detail: cursor is invalid.")
        statuses = None
        if query.get("order_status"):
            statuses = [k for k, v in RAW_STATUS.items() if v == query["order_status"]] or ["-"]
        orders = self.sim.shop_orders(self.name, shop.shop_id, field, time_from, time_to, statuses)
        start = int(cursor)
        page = orders[start : start + page_size]
        more = start + page_size < len(orders)
        with_status = "order_status" in (query.get("response_optional_fields") or "")
        order_list = [
            {"order_sn": o.external_id, **({"order_status": RAW_STATUS[o.status]} if with_status else {})}
            for o in page
        ]
        self.sim.order_page_served(self.name)
        return self.answer(
            {"more": more, "next_cursor": str(start + page_size) if more else "", "order_list": order_list}
        )

    def order_detail(self, shop, query, _data):
        order_sns = id_list(query.get("order_sn_list"))
        if not 1 <= len(order_sns) <= 50:
            raise ShopeeError(
                "error_param", "Wrong parameters, detail: order_sn_list length should be in [1,50]."
            )
        wanted = DEFAULT_DETAIL_FIELDS | set(id_list(query.get("response_optional_fields")))
        orders = [self.sim.order(self.name, sn) for sn in order_sns]
        found = [o for o in orders if o is not None and o.shop_id == shop.shop_id]
        if not found:
            raise ShopeeError("error_not_found", "Wrong parameters, detail: the order is not found.")
        rendered = [{k: v for k, v in self._detail(shop, o).items() if k in wanted} for o in found]
        missing = [
            sn for sn, o in zip(order_sns, orders, strict=True) if o is None or o.shop_id != shop.shop_id
        ]
        top = {"warning": [f"order_sn {sn} not found" for sn in missing]} if missing else {}
        return self.answer({"order_list": rendered}, **top)

    @staticmethod
    def _unit(value, currency):
        places = DECIMALS.get(currency, 2)
        return Decimal(value).quantize(Decimal(1).scaleb(-places))

    def _detail(self, shop, order):
        buyer = order.buyer or {}
        items = []
        for index, line in enumerate(order.lines, start=1):
            discounted = self._unit(line.unit_price - line.discount / line.quantity, shop.currency)
            items.append(
                {
                    "item_id": sid(line.item_id),
                    "item_name": line.name,
                    "item_sku": "" if line.model_id else (line.sku or ""),
                    "model_id": sid(line.model_id) if line.model_id else 0,
                    "model_name": "",
                    "model_sku": (line.sku or "") if line.model_id else "",
                    "model_quantity_purchased": line.quantity,
                    "model_original_price": number(line.unit_price),
                    "model_discounted_price": number(discounted),
                    "wholesale": False,
                    "weight": 0.1,
                    "add_on_deal": False,
                    "main_item": False,
                    "add_on_deal_id": 0,
                    "promotion_type": "product_promotion" if line.discount else "",
                    "promotion_id": 0,
                    "order_item_id": index,
                    "promotion_group_id": 0,
                    "image_info": {"image_url": ""},
                    "product_location_id": [],
                    "is_prescription_item": False,
                    "is_b2c_owned_item": False,
                }
            )
        create_time = order.create_time
        paid = order.status != "unpaid"
        return {
            "order_sn": order.external_id,
            "region": shop.region,
            "currency": shop.currency,
            "cod": False,
            "order_status": RAW_STATUS.get(order.status, order.status.upper()),
            "message_to_seller": "",
            "create_time": create_time,
            "update_time": order.update_time,
            "days_to_ship": 2,
            "ship_by_date": create_time + 2 * 86400,
            "buyer_user_id": sid(buyer.get("external_id") or buyer.get("user_id") or 0),
            "buyer_username": buyer.get("username") or "buyer",
            "recipient_address": {
                "name": buyer.get("name") or "",
                "phone": mask_phone(buyer.get("phone")),
                "town": buyer.get("town") or "",
                "district": buyer.get("district") or buyer.get("street2") or "",
                "city": buyer.get("city") or "",
                "state": buyer.get("state") or "",
                "region": buyer.get("country_code") or shop.region,
                "zipcode": buyer.get("zip") or "",
                "full_address": buyer.get("street") or buyer.get("full_address") or "",
            },
            "item_list": items,
            "total_amount": "n/a" if order.unreadable else number(order.total_amount),
            "estimated_shipping_fee": number(order.shipping_fee),
            "actual_shipping_fee": number(order.shipping_fee),
            "actual_shipping_fee_confirmed": paid,
            "shipping_carrier": order.shipping_carrier or "Standard Delivery",
            "payment_method": "Online Payment",
            "pay_time": create_time if paid else None,
            "package_list": [
                {
                    "package_number": f"OFG{order.external_id}",
                    "logistics_status": "LOGISTICS_PICKUP_DONE"
                    if order.tracking_number
                    else "LOGISTICS_READY",
                    "shipping_carrier": order.shipping_carrier or "Standard Delivery",
                    "item_list": [
                        {
                            "item_id": i["item_id"],
                            "model_id": i["model_id"],
                            "model_quantity": i["model_quantity_purchased"],
                        }
                        for i in items
                    ],
                }
            ],
        }

    def escrow_detail_batch(self, shop, _query, data):
        order_sns = data.get("order_sn_list")
        if not isinstance(order_sns, list) or not order_sns:
            raise ShopeeError("error_param", "order_sn_list is required, format should be string[]")
        if len(order_sns) > 50:
            raise ShopeeError("exceed_max_limit", "Your request exceeds the max limit of 50 orders.")
        response = []
        for order_sn in order_sns:
            order = self.sim.order(self.name, order_sn)
            if order is None or order.shop_id != shop.shop_id:
                response.append(
                    {
                        "escrow_detail": {"order_sn": str(order_sn), "return_order_sn_list": []},
                        "fail_error": "order_not_found",
                        "fail_message": "The order info not found.",
                    }
                )
            else:
                response.append({"escrow_detail": self._escrow(order)})
        return self.answer(response)

    @staticmethod
    def _escrow(order):
        """v2.payment.get_escrow_detail(_batch) ``order_income`` (amounts are line subtotals)."""
        original = sum((line.unit_price * line.quantity for line in order.lines), Decimal(0))
        seller_discount = sum((line.discount for line in order.lines), Decimal(0))
        total = order.total_amount
        commission = (total * Decimal("0.04")).quantize(Decimal(1))
        items = [
            {
                "item_id": sid(line.item_id),
                "item_name": line.name,
                "item_sku": "" if line.model_id else (line.sku or ""),
                "model_id": sid(line.model_id) if line.model_id else 0,
                "model_name": "",
                "model_sku": (line.sku or "") if line.model_id else "",
                "original_price": number(line.unit_price * line.quantity),
                "selling_price": number(line.unit_price * line.quantity),
                "discounted_price": number(line.unit_price * line.quantity - line.discount),
                "seller_discount": number(line.discount),
                "shopee_discount": 0,
                "discount_from_coin": 0,
                "discount_from_voucher_shopee": 0,
                "discount_from_voucher_seller": 0,
                "activity_type": "",
                "activity_id": 0,
                "is_main_item": False,
                "quantity_purchased": line.quantity,
                "is_b2c_shop_item": False,
                "ams_commission_fee": 0,
            }
            for line in order.lines
        ]
        return {
            "order_sn": order.external_id,
            "buyer_user_name": (order.buyer or {}).get("username") or "buyer",
            "return_order_sn_list": [],
            "buyer_payment_info": {
                "buyer_payment_method": "Online Payment",
                "buyer_total_amount": number(total),
                "merchant_subtotal": number(original - seller_discount),
                "shipping_fee": number(order.shipping_fee),
                "seller_voucher": number(-order.seller_voucher),
                "shopee_voucher": number(-order.platform_voucher),
                "shopee_coins_redeemed": 0,
            },
            "order_income": {
                "escrow_amount": number(total + order.platform_voucher - order.shipping_fee - commission),
                "buyer_total_amount": number(total),
                "order_original_price": number(original),
                "original_price": number(original),
                "order_discounted_price": number(original - seller_discount),
                "order_selling_price": number(original),
                "order_seller_discount": number(seller_discount),
                "seller_discount": number(seller_discount),
                "shopee_discount": 0,
                "voucher_from_seller": number(order.seller_voucher),
                "voucher_from_shopee": number(order.platform_voucher),
                "coins": 0,
                "buyer_paid_shipping_fee": number(order.shipping_fee),
                "buyer_transaction_fee": 0,
                "commission_fee": number(commission),
                "service_fee": 0,
                "seller_transaction_fee": 0,
                "estimated_shipping_fee": number(order.shipping_fee),
                "final_shipping_fee": 0,
                "actual_shipping_fee": number(order.shipping_fee),
                "items": items,
            },
        }

    # -- catalogue ------------------------------------------------------------------------------------
    def _items(self, shop):
        """item_id -> its listings (one per model, or a single one with model_id None)."""
        items = {}
        for listing in self.sim.shop_listings(self.name, shop.shop_id):
            items.setdefault(listing.item_id, []).append(listing)
        return items

    def item_list(self, shop, query, _data):
        offset = self._int(query, "offset")
        page_size = self._int(query, "page_size")
        if offset < 0 or not 1 <= page_size <= 100:
            raise ShopeeError("error_param", "Wrong parameters, detail: page_size should be in [1,100].")
        if not query.get("item_status"):
            raise ShopeeError("error_param", "Wrong parameters, detail: item_status is required.")
        statuses = set(id_list(query["item_status"]))
        item_ids = sorted(self._items(shop), key=lambda i: (len(i), i)) if "NORMAL" in statuses else []
        page = item_ids[offset : offset + page_size]
        has_next = offset + page_size < len(item_ids)
        now = self.sim.now()
        return self.answer(
            {
                "item": [{"item_id": sid(i), "item_status": "NORMAL", "update_time": now} for i in page],
                "total_count": len(item_ids),
                "has_next_page": has_next,
                "next_offset": offset + page_size if has_next else 0,
            },
            warning="",
        )

    @staticmethod
    def _price_info(shop, listing):
        return [
            {
                "currency": shop.currency,
                "original_price": number(listing.price),
                "current_price": number(listing.price),
                "inflated_price_of_original_price": number(listing.price),
                "inflated_price_of_current_price": number(listing.price),
            }
        ]

    @staticmethod
    def _stock_info(listing):
        return {
            "summary_info": {"total_reserved_stock": 0, "total_available_stock": listing.stock},
            "seller_stock": [{"location_id": "", "stock": listing.stock, "if_saleable": True}],
        }

    def item_base_info(self, shop, query, _data):
        item_ids = id_list(query.get("item_id_list"))
        if not 1 <= len(item_ids) <= 50:
            raise ShopeeError(
                "error_param", "Wrong parameters, detail: item_id_list length should be in [1,50]."
            )
        items = self._items(shop)
        item_list = []
        for item_id in item_ids:
            listings = items.get(item_id)
            if not listings:
                continue
            has_model = any(v.model_id for v in listings)
            first = listings[0]
            entry = {
                "item_id": sid(item_id),
                "category_id": 100001,
                "item_name": first.name,
                "item_sku": "" if has_model else first.sku or "",
                "create_time": self.sim.now() - 86400,
                "update_time": self.sim.now(),
                "item_status": "NORMAL",
                "has_model": has_model,
                "condition": "NEW",
            }
            if not has_model:
                entry["price_info"] = self._price_info(shop, first)
                entry["stock_info_v2"] = self._stock_info(first)
                entry["gtin_code"] = first.barcode or "00"
            item_list.append(entry)
        return self.answer({"item_list": item_list}, warning="")

    def model_list(self, shop, query, _data):
        item_id = str(self._int(query, "item_id"))
        listings = self._items(shop).get(item_id)
        if not listings:
            raise ShopeeError("error_item_not_found", "Item_id is not found.")
        models = [v for v in listings if v.model_id]
        return self.answer(
            {
                "tier_variation": [{"name": "Variant", "option_list": [{"option": v.name} for v in models]}]
                if models
                else [],
                "model": [
                    {
                        "model_id": sid(v.model_id),
                        "tier_index": [index],
                        "model_sku": v.sku or "",
                        "model_status": "MODEL_NORMAL",
                        "promotion_id": 0,
                        "has_promotion": False,
                        "price_info": self._price_info(shop, v),
                        "stock_info_v2": self._stock_info(v),
                        "gtin_code": v.barcode or "00",
                    }
                    for index, v in enumerate(models)
                ],
            },
            warning="",
        )

    def _models_call(self, shop, data, list_key, apply):
        """update_stock / update_price: ONE item_id, 1..50 models; unknown models go to failure_list."""
        item_id = str(data.get("item_id") or "")
        entries = data.get(list_key)
        if not item_id:
            raise ShopeeError("product.error_param", "invalid field ItemId: value must  Not Null")
        if not isinstance(entries, list) or not 1 <= len(entries) <= 50:
            raise ShopeeError(
                "error_param", f"Wrong parameters, detail: {list_key} length should be in [1,50]."
            )
        model_ids = [str(e.get("model_id") or 0) for e in entries]
        if len(set(model_ids)) != len(model_ids):
            raise ShopeeError("error_param", "Repeat model_id.")
        listings = self._items(shop).get(item_id)
        if not listings:
            raise ShopeeError("error_item_not_found", "Item_id is not found.")
        success, failure = [], []
        for entry, model_id in zip(entries, model_ids, strict=True):
            model = None if model_id == "0" else model_id
            if self.sim.listing(self.name, shop.shop_id, item_id, model) is None:
                failure.append({"model_id": sid(model_id), "failed_reason": "Wrong model_id."})
                continue
            reason = apply(item_id, model, entry)
            if reason:
                failure.append({"model_id": sid(model_id), "failed_reason": reason})
            else:
                success.append(
                    {"model_id": sid(model_id), **{k: v for k, v in entry.items() if k != "model_id"}}
                )
        return success, failure

    def update_stock(self, shop, _query, data):
        def apply(item_id, model, entry):
            stocks = entry.get("seller_stock")
            if not isinstance(stocks, list) or not stocks or "stock" not in stocks[0]:
                return "seller_stock is required."
            quantity = int(stocks[0]["stock"])
            if quantity < 0:
                return "Stock should be larger than reserved stock."
            self.sim.set_stock(self.name, shop.shop_id, item_id, model, quantity)
            return None

        success, failure = self._models_call(shop, data, "stock_list", apply)
        success = [
            {"model_id": s["model_id"], "location_id": "", "stock": s["seller_stock"][0]["stock"]}
            for s in success
        ]
        if not success:
            raise ShopeeError(
                "error_busi_update_stock_failed",
                "Update stock failed, please check failure_list for detailed reason",
                response={"failure_list": failure, "success_list": []},
            )
        return self.answer({"failure_list": failure, "success_list": success}, warning="")

    def update_price(self, shop, _query, data):
        def apply(item_id, model, entry):
            try:
                price = Decimal(str(entry["original_price"]))
            except (KeyError, ArithmeticError, ValueError):
                return "Invalid price, please use the correct format"
            if price <= 0:
                return "Price is out of range."
            if DECIMALS.get(shop.currency, 2) == 0 and price != price.to_integral_value():
                return "Invalid price, please use the correct format"
            self.sim.set_price(self.name, shop.shop_id, item_id, model, price)
            return None

        success, failure = self._models_call(shop, data, "price_list", apply)
        success = [
            {"model_id": s["model_id"], "original_price": number(s["original_price"])} for s in success
        ]
        if not success:
            raise ShopeeError(
                "error_update_price_fail",
                "Update price failed, please try later.",
                response={"failure_list": failure, "success_list": []},
            )
        return self.answer({"failure_list": failure, "success_list": success}, warning="")

    # -- logistics --------------------------------------------------------------------------------------
    def ship_order(self, shop, _query, data):
        order = self.sim.order(self.name, str(data.get("order_sn") or ""))
        if order is None or order.shop_id != shop.shop_id:
            raise ShopeeError("logistics.error_order_not_found", "Order is not found.")
        ways = [k for k in ("pickup", "dropoff", "non_integrated") if k in data]
        if len(ways) != 1:
            raise ShopeeError(
                "logistics.ship_order_only_support_one_type",
                "Please select just one way to ship order: pickup or dropoff or non_integrated.",
            )
        tracking = str((data.get(ways[0]) or {}).get("tracking_number") or "")
        with self.sim.lock:
            if order.tracking_number or order.status in ("shipped", "completed"):
                raise ShopeeError(
                    "logistics.package_already_shipped",
                    "This package has already been arranged shipment and you can't call this API again.",
                )
            if order.status != "ready_to_ship":
                raise ShopeeError("logistics.ship_order_not_ready_to_ship", "The order is not ready to ship.")
            if not tracking:
                raise ShopeeError(
                    "logistics.ship_order_need_tracking_number", "Parameter tracking_number can not be null."
                )
            if len(tracking) > 64:
                raise ShopeeError(
                    "logistics.ship_order_long_tracking_number",
                    "Parameter tracking_number can not be longer than 64.",
                )
            order.tracking_number = tracking
            order.shipping_carrier = order.shipping_carrier or "Standard Delivery"
            self.sim.set_order_status(self.name, order.external_id, "shipped")
            self.sim.shipments.append((self.name, order.external_id, tracking))
        return self.answer()

    # -- push (guide 18) --------------------------------------------------------------------------------
    def webhook_request(self, shop, order, url):
        """order_status_push (code 3), compact JSON as Shopee sends it, signed over ``url|body``."""
        body = json.dumps(
            {
                "msg_id": secrets.token_hex(16),
                "data": {
                    "completed_scenario": "",
                    "items": [],
                    "ordersn": order.external_id,
                    "status": RAW_STATUS.get(order.status, order.status.upper()),
                    "update_time": order.update_time,
                },
                "shop_id": sid(shop.shop_id),
                "code": 3,
                "timestamp": self.sim.now(),
            },
            separators=(",", ":"),
        ).encode()
        authorization = hmac.new(
            shop.app_secret.encode(), url.encode() + b"|" + body, hashlib.sha256
        ).hexdigest()
        return {"Content-Type": "application/json", "Authorization": authorization}, body

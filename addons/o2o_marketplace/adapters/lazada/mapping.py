"""Lazada answers -> normalised records (no I/O): orders (from per-unit items), listings, push
messages, times."""

import datetime
import re
from decimal import Decimal

from ..common import (
    Buyer,
    Listing,
    MarketplaceError,
    Order,
    OrderLine,
    WebhookEvent,
    amount,
    push_payload,
    push_time,
    unit_lines,
    utc_from_timestamp,
)
from ..common import order_status as mapped_status

COUNTRY_CODES = {
    "vietnam": "VN",
    "viet nam": "VN",
    "singapore": "SG",
    "malaysia": "MY",
    "thailand": "TH",
    "philippines": "PH",
    "indonesia": "ID",
}
CURRENCIES = {"VN": "VND", "SG": "SGD", "MY": "MYR", "TH": "THB", "PH": "PHP", "ID": "IDR"}

#: Lazada order item status -> normalised status. Lazada's own ``ready_to_ship`` means the seller has
#: packed and handed the parcel over to Lazada's logistics (ReadyToShip API done): the seller's part
#: is over, so it is "shipped" here; the normalised ``ready_to_ship`` means "the seller must ship".
#: Parcels lost or destroyed by the carrier never come back: "shipped"; failed deliveries come back.
ORDER_STATUS_MAP = {
    "unpaid": "unpaid",
    "pending": "ready_to_ship",
    "topack": "ready_to_ship",
    "packed": "ready_to_ship",
    "repacked": "ready_to_ship",
    "toship": "ready_to_ship",
    "ready_to_ship_pending": "ready_to_ship",
    "ready_to_ship": "shipped",
    "shipping": "shipped",
    "shipped": "shipped",
    "lost": "shipped",
    "lost_by_3pl": "shipped",
    "damaged_by_3pl": "shipped",
    "package_scrapped": "shipped",
    "shipped_back_failed": "shipped",
    "delivered": "completed",
    "confirmed": "completed",
    "canceled": "cancelled",
    "cancelled": "cancelled",
    "returned": "returned",
    "failed": "returned",
    "failed_delivery": "returned",
    "shipped_back": "returned",
    "shipped_back_success": "returned",
}
#: An order whose items differ takes the least advanced status of its non-cancelled items.
_STATUS_RANK = {"unpaid": 0, "ready_to_ship": 1, "shipped": 2, "completed": 3, "returned": 4}


_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
)


def parse_time(value):
    """Naive UTC datetime of Lazada's times: "2014-10-15 18:36:05 +0800" (GetOrder),
    "2018-02-09T22:44:30+08:00" (GetOrders demo) or milliseconds since the epoch (order items)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        number = int(text)
        return utc_from_timestamp(number // 1000 if number > 10**11 else number)
    for fmt in _TIME_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    raise MarketplaceError(f"Unreadable Lazada time {text!r}", code="time")


def _item_id_from_shop_sku(shop_sku):
    """``ShopSku`` reads ``<item id>_<venture>AMZ-<sku id>``; older ones carry no item id."""
    match = re.match(r"^(\d+)_", shop_sku or "")
    return match.group(1) if match else None


def order_status(raw_statuses, order_id=None):
    """(normalised, raw) status of an order from its items' statuses: the least advanced status of
    its non-cancelled items (an unknown one is "unpaid", see :func:`~..common.order_status`)."""
    raws = [str(s) for s in raw_statuses if s] or ["pending"]
    mapped = {raw: mapped_status(ORDER_STATUS_MAP, raw, "Lazada", order_id) for raw in dict.fromkeys(raws)}
    live = [s for s in raws if mapped[s] != "cancelled"]
    if not live:
        return "cancelled", raws[0]
    raw = min(live, key=lambda s: _STATUS_RANK[mapped[s]])
    return mapped[raw], raw


def _line_key(item):
    item_id = str(item.get("product_id") or _item_id_from_shop_sku(item.get("shop_sku")) or "")
    sku_id = str(item.get("sku_id") or "") or None
    model_id = None if sku_id in (None, item_id) else sku_id
    return item_id, model_id, item.get("sku"), amount(item.get("item_price"))


def _new_line(item, key):
    item_id, model_id, sku, price = key
    return OrderLine(
        item_id=item_id,
        model_id=model_id,
        sku=sku or None,
        name=item.get("name") or sku or item_id,
        quantity=1,
        unit_price=price,
        discount=amount(item.get("voucher_seller")),
    )


def order_from_lazada(raw, items):
    """One order of GetOrder / GetOrders and its items of GetMultipleOrderItems -> :class:`Order`.
    Items are per unit: those of the same SKU and price make one line."""
    status, raw_status = order_status(
        [it.get("status") for it in items] or raw.get("statuses") or [], raw.get("order_id")
    )
    kept = [it for it in items if ORDER_STATUS_MAP.get(it.get("status")) != "cancelled"] or items
    lines = unit_lines(kept, _line_key, _new_line, lambda item: amount(item.get("voucher_seller")))
    items_seller = sum((amount(it.get("voucher_seller")) for it in items), Decimal(0))
    seller_voucher = max(amount(raw.get("voucher_seller")) - items_seller, Decimal(0))
    if any("voucher_platform" in it for it in kept):
        platform_voucher = sum((amount(it.get("voucher_platform")) for it in kept), Decimal(0))
    else:
        platform_voucher = amount(raw.get("voucher_platform"))
    shipping_fee = amount(raw.get("shipping_fee"))
    goods = sum((ln.unit_price * ln.quantity - ln.discount for ln in lines), Decimal(0))
    address = raw.get("address_shipping") or raw.get("address_billing") or {}
    country = COUNTRY_CODES.get(str(address.get("country") or "").strip().lower())
    currency = next((it["currency"] for it in items if it.get("currency")), None)
    first_name = address.get("first_name") or raw.get("customer_first_name") or ""
    last_name = address.get("last_name") or raw.get("customer_last_name") or ""
    return Order(
        external_id=str(raw["order_id"]),
        status=status,
        raw_status=raw_status,
        create_time=parse_time(raw.get("created_at")),
        update_time=parse_time(raw.get("updated_at")),
        currency=currency or CURRENCIES.get(country or "", ""),
        buyer=Buyer(
            external_id=next((str(it["buyer_id"]) for it in items if it.get("buyer_id")), None),
            name=f"{first_name} {last_name}".strip() or None,
            phone=address.get("phone") or address.get("phone2") or None,
            email=None,
            street=address.get("address1") or None,
            street2=address.get("address5") or address.get("address2") or None,
            city=address.get("address4") or address.get("city") or None,
            state=address.get("address3") or None,
            zip=address.get("post_code") or None,
            country_code=country,
        ),
        lines=lines,
        shipping_fee=shipping_fee,
        seller_voucher=seller_voucher,
        platform_voucher=platform_voucher,
        total_amount=goods + shipping_fee - seller_voucher - platform_voucher,
        shipping_carrier=next((it["shipment_provider"] for it in kept if it.get("shipment_provider")), None),
        tracking_number=next((it["tracking_code"] for it in kept if it.get("tracking_code")), None),
    )


def listings_from_product(product):
    """One product of GetProducts -> one :class:`Listing` per SKU."""
    item_id = str(product.get("item_id"))
    name = (product.get("attributes") or {}).get("name") or item_id
    listings = []
    for sku in product.get("skus") or []:
        sku_id = str(sku.get("SkuId") or "") or None
        listings.append(
            Listing(
                item_id=item_id,
                model_id=None if sku_id in (None, item_id) else sku_id,
                sku=sku.get("SellerSku") or None,
                name=name,
                price=amount(sku.get("price"), None),
                quantity=int(sku["quantity"]) if sku.get("quantity") not in (None, "") else None,
            )
        )
    return listings


def webhook_events(body):
    """Trade order messages (``message_type`` 0) give the order id, its item's new status and the
    update time; reverse order messages (10) and the rest are "other" (with the order id if any)."""
    payload = push_payload(body, "Lazada")
    if payload is None:
        return []
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    sellers = [str(s) for s in (payload.get("seller_id"), data.get("seller_id")) if s not in (None, "")]
    seller = next((s for s in sellers if s != "null"), None)
    order_id = data.get("trade_order_id")
    update_time = data.get("status_update_time")
    message_type = str(payload.get("message_type"))
    is_order = message_type == "0" and order_id is not None and data.get("order_status")
    return [
        WebhookEvent(
            kind="order_status" if is_order else "other",
            shop_external_id=seller,
            order_external_id=str(order_id) if order_id is not None else None,
            raw_status=data.get("order_status") or data.get("reverse_status"),
            update_time=parse_time(update_time) if update_time not in (None, "") else None,
            sent_at=push_time(payload.get("timestamp")),
        )
    ]

"""TikTok Shop answers -> normalised records (no I/O): orders, buyers, listings, push messages."""

from decimal import Decimal

from ..common import (
    Buyer,
    Listing,
    Order,
    OrderLine,
    WebhookEvent,
    amount,
    order_status,
    push_payload,
    push_time,
    unit_lines,
    utc_from_timestamp,
)

#: TikTok order status -> normalised status. ON_HOLD orders are paid but may still be cancelled by the
#: buyer and cannot be shipped yet; AWAITING_COLLECTION means the parcel waits for the carrier at the
#: seller's; DELIVERED orders may still be returned. TikTok has no "returned" order status (returns live
#: in the Return and Refund API), so this adapter never reports "returned".
ORDER_STATUS_MAP = {
    "UNPAID": "unpaid",
    "ON_HOLD": "unpaid",
    "AWAITING_SHIPMENT": "ready_to_ship",
    "PARTIALLY_SHIPPING": "ready_to_ship",
    "AWAITING_COLLECTION": "ready_to_ship",
    "IN_TRANSIT": "shipped",
    "DELIVERED": "shipped",
    "COMPLETED": "completed",
    "CANCELLED": "cancelled",
}


def _model_id(product_id, sku_id):
    return None if not sku_id or str(sku_id) == str(product_id) else str(sku_id)


def _phone(value):
    """``(+84)912345678`` -> ``+84912345678``; masked digits are kept as given."""
    if not value:
        return None
    return value.replace("(", "").replace(")", "").strip() or None


def _buyer(raw):
    address = raw.get("recipient_address") or {}
    levels = {d.get("address_level"): d.get("address_name") for d in address.get("district_info") or []}
    return Buyer(
        external_id=str(raw["user_id"]) if raw.get("user_id") else None,
        name=address.get("name") or None,
        phone=_phone(address.get("phone_number")),
        email=raw.get("buyer_email") or None,
        street=address.get("address_detail") or address.get("address_line1") or None,
        street2=address.get("address_line2") or levels.get("L3") or None,
        city=levels.get("L2") or None,
        state=levels.get("L1") or None,
        zip=address.get("postal_code") or None,
        country_code=address.get("region_code") or None,
    )


def _line_key(item):
    return str(item.get("product_id")), str(item.get("sku_id")), amount(item.get("original_price"))


def _new_line(item, key):
    name = item.get("product_name") or item.get("sku_name") or key[0]
    if item.get("sku_name") and item.get("product_name"):
        name = f"{item['product_name']} ({item['sku_name']})"
    return OrderLine(
        item_id=key[0],
        model_id=_model_id(key[0], key[1]),
        sku=item.get("seller_sku") or None,
        name=name,
        quantity=1,
        unit_price=key[2],
        discount=amount(item.get("seller_discount")),
    )


def order_from_tiktok(raw):
    """One order of Get Order List / Get Order Detail -> :class:`Order`.

    ``payment``: sub_total = original_total_product_price - seller_discount - platform_discount and
    total_amount = sub_total + shipping_fee (+ taxes and buyer fees). Line items carry the seller's own
    discount per unit; the rest of the order's seller discount is the seller's voucher, its platform
    discount the platform's voucher. What the buyer pays on top (taxes, small-order or service fees) rides
    with the shipping fee so that the lines, shipping and vouchers always add up to ``total_amount``.
    """
    payment = raw.get("payment") or {}
    items = raw.get("line_items") or []
    # Line items are single units: identical units (same SKU and price) make one line.
    lines = unit_lines(items, _line_key, _new_line, lambda item: amount(item.get("seller_discount")))
    goods = sum((line.unit_price * line.quantity - line.discount for line in lines), Decimal(0))
    shipping = amount(payment.get("shipping_fee"))
    platform_voucher = amount(payment.get("platform_discount"))
    seller_voucher = amount(payment.get("seller_discount")) - sum(
        (amount(i.get("seller_discount")) for i in items), Decimal(0)
    )
    computed = goods + shipping - seller_voucher - platform_voucher
    total = amount(payment["total_amount"]) if payment.get("total_amount") not in (None, "") else computed
    shipping += total - computed
    raw_status = str(raw.get("status") or "")
    tracking = raw.get("tracking_number") or next(
        (i["tracking_number"] for i in items if i.get("tracking_number")), None
    )
    currency = payment.get("currency") or next((i["currency"] for i in items if i.get("currency")), "")
    return Order(
        external_id=str(raw["id"]),
        status=order_status(ORDER_STATUS_MAP, raw_status, "TikTok Shop", raw.get("id")),
        raw_status=raw_status,
        create_time=utc_from_timestamp(raw.get("create_time") or 0),
        update_time=utc_from_timestamp(raw.get("update_time") or raw.get("create_time") or 0),
        currency=currency,
        buyer=_buyer(raw),
        lines=lines,
        shipping_fee=shipping,
        seller_voucher=seller_voucher,
        platform_voucher=platform_voucher,
        total_amount=total,
        shipping_carrier=raw.get("shipping_provider") or None,
        tracking_number=tracking,
    )


def listings_from_product(product):
    """One product of Search Products -> one :class:`Listing` per SKU."""
    product_id = str(product["id"])
    listings = []
    for sku in product.get("skus") or []:
        price = sku.get("price") or {}
        price_value = price.get("tax_exclusive_price") or price.get("sale_price")
        listings.append(
            Listing(
                item_id=product_id,
                model_id=_model_id(product_id, sku.get("id")),
                sku=sku.get("seller_sku") or None,
                name=product.get("title") or product_id,
                price=amount(price_value, None),
                quantity=sum(int(w.get("quantity") or 0) for w in sku.get("inventory") or []),
            )
        )
    return listings


def webhook_events(body):
    """Type 1 (ORDER_STATUS_CHANGE) is an order status event; other types are passed on as "other".
    An empty body is TikTok checking the URL; a body that is not a JSON object raises ValueError."""
    payload = push_payload(body, "TikTok Shop")
    if payload is None:
        return []
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    shop_id = str(payload["shop_id"]) if payload.get("shop_id") not in (None, "") else None
    stamp = data.get("update_time") or payload.get("timestamp")
    return [
        WebhookEvent(
            kind="order_status" if payload.get("type") == 1 else "other",
            shop_external_id=shop_id,
            order_external_id=str(data["order_id"]) if data.get("order_id") else None,
            raw_status=data.get("order_status"),
            update_time=utc_from_timestamp(stamp) if stamp else None,
            sent_at=push_time(payload.get("timestamp")),
        )
    ]

"""Shopee answers -> normalised records (no I/O): orders, buyers, listings, push messages."""

import collections
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
    utc_from_timestamp,
)

#: Shopee order_status -> normalised status (common.ORDER_STATUSES); the raw one stays in ``raw_status``.
#: IN_CANCEL (buyer asked to cancel, seller has not answered yet) stays ``ready_to_ship``: the seller may
#: still reject the request, and an accepted one arrives as CANCELLED. INVOICE_PENDING (paid, waiting
#: for the seller's invoice) and PROCESSED/RETRY_SHIP (shipment arranged) are still to be shipped.
ORDER_STATUS_MAP = {
    "UNPAID": "unpaid",
    "PENDING": "unpaid",
    "READY_TO_SHIP": "ready_to_ship",
    "INVOICE_PENDING": "ready_to_ship",
    "PROCESSED": "ready_to_ship",
    "RETRY_SHIP": "ready_to_ship",
    "IN_CANCEL": "ready_to_ship",
    "SHIPPED": "shipped",
    "TO_CONFIRM_RECEIVE": "shipped",
    "COMPLETED": "completed",
    "CANCELLED": "cancelled",
    "TO_RETURN": "returned",
}


def model_key(model_id):
    """``model_id`` 0 (or absent) means 'item without models'."""
    return None if model_id in (None, "", 0, "0") else str(model_id)


def order_from_shopee(detail, escrow=None):
    """One get_order_detail entry (and its escrow detail, if any) -> :class:`Order`.

    Amount fields (documented choice):

    * ``unit_price`` = item_list.model_original_price (price before any discount);
    * line ``discount`` = escrow items[].seller_discount (line subtotal, exact even for quantities
      that do not divide it); without escrow (model_original_price - model_discounted_price) * qty;
    * ``shipping_fee`` = escrow order_income.buyer_paid_shipping_fee (else estimated_shipping_fee);
    * ``seller_voucher`` / ``platform_voucher`` = order_income.voucher_from_seller / voucher_from_shopee;
    * ``total_amount`` = get_order_detail.total_amount (what the buyer pays).

    Shopee-funded offsets with no field of their own here (coins, Shopee item rebates, payment
    promotions) are folded into ``platform_voucher`` so that the Order invariant always holds.
    """
    income = (escrow or {}).get("order_income") or {}
    escrow_items = collections.defaultdict(collections.deque)
    for item in income.get("items") or []:
        escrow_items[(str(item.get("item_id")), model_key(item.get("model_id")))].append(item)
    lines = []
    for item in detail.get("item_list") or []:
        quantity = int(item.get("model_quantity_purchased") or 0)
        unit_price = amount(item.get("model_original_price"))
        model_id = model_key(item.get("model_id"))
        matches = escrow_items.get((str(item.get("item_id")), model_id))
        if matches:
            discount = amount(matches.popleft().get("seller_discount"))
        else:
            discounted = amount(item.get("model_discounted_price"), unit_price)
            # 0 for bundle-deal items: the bundle discount is not broken down per model there.
            discount = (unit_price - discounted) * quantity if discounted else Decimal(0)
        name = item.get("item_name") or ""
        if item.get("model_name"):
            name = f"{name} ({item['model_name']})"
        lines.append(
            OrderLine(
                item_id=str(item.get("item_id")),
                model_id=model_id,
                sku=item.get("model_sku") or item.get("item_sku") or None,
                name=name,
                quantity=quantity,
                unit_price=unit_price,
                discount=discount,
            )
        )
    goods = sum((line.unit_price * line.quantity - line.discount for line in lines), Decimal(0))
    if income:
        shipping_fee = amount(income.get("buyer_paid_shipping_fee"))
        seller_voucher = amount(income.get("voucher_from_seller"))
        platform_voucher = amount(income.get("voucher_from_shopee"))
    else:
        shipping_fee = amount(detail.get("estimated_shipping_fee"))
        seller_voucher = platform_voucher = Decimal(0)
    if detail.get("total_amount") not in (None, ""):
        total = amount(detail["total_amount"])
    elif income.get("buyer_total_amount") not in (None, ""):
        total = amount(income["buyer_total_amount"])
    else:  # unpaid orders: Shopee returns total_amount only once the buyer has paid
        total = goods + shipping_fee - seller_voucher - platform_voucher
    platform_voucher += goods + shipping_fee - seller_voucher - platform_voucher - total
    raw_status = str(detail.get("order_status") or "")
    status = order_status(ORDER_STATUS_MAP, raw_status, "Shopee", detail.get("order_sn"))
    carrier = detail.get("shipping_carrier") or next(
        (p.get("shipping_carrier") for p in detail.get("package_list") or [] if p.get("shipping_carrier")),
        None,
    )
    return Order(
        external_id=str(detail["order_sn"]),
        status=status,
        raw_status=raw_status,
        create_time=utc_from_timestamp(detail.get("create_time") or 0),
        update_time=utc_from_timestamp(detail.get("update_time") or detail.get("create_time") or 0),
        currency=detail.get("currency") or "",
        buyer=buyer_from_shopee(detail),
        lines=lines,
        shipping_fee=shipping_fee,
        seller_voucher=seller_voucher,
        platform_voucher=platform_voucher,
        total_amount=total,
        shipping_carrier=carrier or None,
    )


def buyer_from_shopee(detail):
    """recipient_address as given (Shopee masks e.g. the phone as ``******78``)."""
    address = detail.get("recipient_address") or {}
    street2 = ", ".join(p for p in (address.get("town"), address.get("district")) if p)
    return Buyer(
        external_id=str(detail["buyer_user_id"]) if detail.get("buyer_user_id") else None,
        name=address.get("name") or detail.get("buyer_username") or None,
        phone=address.get("phone") or None,
        email=None,  # Shopee never discloses the buyer's e-mail
        street=address.get("full_address") or None,
        street2=street2 or None,
        city=address.get("city") or None,
        state=address.get("state") or None,
        zip=address.get("zipcode") or None,
        country_code=address.get("region") or detail.get("region") or None,
    )


def _barcode(gtin):
    return gtin if gtin and gtin != "00" else None  # "00": item without GTIN


def _price(price_info):
    """original_price: the list price that update_price sets (current_price includes promotions)."""
    if not price_info:
        return None
    return amount(price_info[0].get("original_price"), None)


def _stock(stock_info):
    """Seller-managed stock (what update_stock sets), else the available total."""
    if not stock_info:
        return None
    seller_stock = stock_info.get("seller_stock")
    if seller_stock:
        return sum(int(s.get("stock") or 0) for s in seller_stock)
    summary = stock_info.get("summary_info") or {}
    total = summary.get("total_available_stock")
    return int(total) if total is not None else None


def item_listing(item):
    """An item of get_item_base_info without models -> its one :class:`Listing`."""
    item_id = str(item["item_id"])
    return Listing(
        item_id=item_id,
        model_id=None,
        sku=item.get("item_sku") or None,
        name=item.get("item_name") or item_id,
        barcode=_barcode(item.get("gtin_code")),
        price=_price(item.get("price_info")),
        quantity=_stock(item.get("stock_info_v2")),
    )


def model_listings(item, response):
    """An item with models and its get_model_list ``response`` -> one :class:`Listing` per model,
    named after the item and the model's tier options."""
    item_id = str(item["item_id"])
    tiers = response.get("tier_variation") or []
    listings = []
    for model in response.get("model") or []:
        options = []
        for tier, index in zip(tiers, model.get("tier_index") or [], strict=False):
            option_list = tier.get("option_list") or []
            if 0 <= index < len(option_list):
                options.append(str(option_list[index].get("option") or ""))
        name = item.get("item_name") or item_id
        listings.append(
            Listing(
                item_id=item_id,
                model_id=model_key(model.get("model_id")),
                sku=model.get("model_sku") or None,
                name=f"{name} ({', '.join(options)})" if any(options) else name,
                barcode=_barcode(model.get("gtin_code")),
                price=_price(model.get("price_info")),
                quantity=_stock(model.get("stock_info_v2")),
            )
        )
    return listings


def webhook_events(body):
    """Order status push (code 3): ``{"data": {"ordersn", "status", "update_time", ...}, "shop_id",
    "code": 3, "timestamp"}``. Other codes give ``kind="other"`` (code 4, tracking number, keeps
    its order id). An empty body is Shopee checking a new callback URL; a body that is not a JSON
    object raises ValueError."""
    payload = push_payload(body, "Shopee")
    if payload is None:
        return []
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    shop_id = payload.get("shop_id") or payload.get("shopid") or data.get("shop_id")
    order_sn = data.get("ordersn") or data.get("order_sn")
    update_time = data.get("update_time") or payload.get("timestamp")
    return [
        WebhookEvent(
            kind="order_status" if payload.get("code") == 3 and order_sn else "other",
            shop_external_id=str(shop_id) if shop_id else None,
            order_external_id=str(order_sn) if order_sn else None,
            raw_status=data.get("status") or None,
            update_time=utc_from_timestamp(update_time) if update_time else None,
            sent_at=push_time(payload.get("timestamp")),
        )
    ]

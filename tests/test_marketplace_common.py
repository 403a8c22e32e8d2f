"""What the three marketplace adapters share (adapters/common.py): one rule each for amounts, ids,
per-unit lines, unknown statuses and push bodies, whichever marketplace the answer comes from."""

import json
import logging
from decimal import Decimal

import pytest
from conftest import load_pure

common = load_pure("o2o_marketplace", "adapters.common")
shopee = load_pure("o2o_marketplace", "adapters.shopee")
lazada = load_pure("o2o_marketplace", "adapters.lazada")
tiktok = load_pure("o2o_marketplace", "adapters.tiktok")
ADAPTERS = (shopee.ShopeeAdapter, lazada.LazadaAdapter, tiktok.TiktokAdapter)


def test_amounts_are_read_one_way():
    assert common.amount("1,299.00") == Decimal("1299.00")
    assert common.amount(" 32 ") == Decimal(32)
    assert common.amount(Decimal("0.54")) == Decimal("0.54")
    assert common.amount(7) == Decimal(7)
    assert common.amount(None) == Decimal(0)
    assert common.amount("", None) is None
    for unreadable in ("12abc", "NaN", "Infinity", True):
        with pytest.raises(common.MarketplaceError) as caught:
            common.amount(unreadable)
        assert caught.value.code == "amount"


def test_an_unreadable_amount_fails_the_order_instead_of_reading_zero():
    raw = {
        "id": "5001",
        "status": "AWAITING_SHIPMENT",
        "create_time": 1700000000,
        "payment": {"currency": "VND", "total_amount": "12O000"},  # letter O, not a zero
        "line_items": [{"product_id": "1", "sku_id": "2", "original_price": "120000"}],
    }
    with pytest.raises(common.MarketplaceError):
        tiktok.order_from_tiktok(raw)


def test_json_ids_go_out_as_numbers_when_they_are_digits():
    assert common.json_id("240901ABC") == "240901ABC"
    assert common.json_id(123456789012345678) == 123456789012345678
    assert common.json_id("42") == 42


def test_units_of_the_same_sku_and_price_make_one_line():
    """Lazada and TikTok Shop list one item per unit sold."""
    tiktok_order = tiktok.order_from_tiktok(
        {
            "id": "5002",
            "status": "AWAITING_SHIPMENT",
            "create_time": 1700000000,
            "payment": {"currency": "VND"},
            "line_items": [
                {"product_id": "1", "sku_id": "2", "original_price": "100", "seller_discount": "10"},
                {"product_id": "1", "sku_id": "2", "original_price": "100", "seller_discount": "5"},
                {"product_id": "1", "sku_id": "2", "original_price": "90"},
            ],
        }
    )
    lazada_order = lazada.order_from_lazada(
        {"order_id": 7, "created_at": "2024-01-01 10:00:00 +0700"},
        [
            {"product_id": 1, "sku_id": 2, "item_price": "100", "voucher_seller": "10", "status": "pending"},
            {"product_id": 1, "sku_id": 2, "item_price": "100", "voucher_seller": "5", "status": "pending"},
            {"product_id": 1, "sku_id": 2, "item_price": "90", "status": "pending"},
        ],
    )
    for order in (tiktok_order, lazada_order):
        lines = sorted((line.unit_price, line.quantity, line.discount) for line in order.lines)
        assert lines == [(Decimal(90), 1, Decimal(0)), (Decimal(100), 2, Decimal(15))]


def test_an_unknown_status_is_unpaid_for_every_marketplace(caplog):
    """A status a marketplace adds later reserves and ships nothing until a known one arrives."""
    with caplog.at_level(logging.WARNING):
        shopee_order = shopee.order_from_shopee(
            {"order_sn": "S1", "order_status": "NEW_STATUS", "create_time": 1700000000, "item_list": []}
        )
        lazada_order = lazada.order_from_lazada(
            {"order_id": 8, "created_at": "2024-01-01 10:00:00 +0700"},
            [{"product_id": 1, "item_price": "10", "status": "new_status"}],
        )
        tiktok_order = tiktok.order_from_tiktok(
            {"id": "T1", "status": "NEW_STATUS", "create_time": 1700000000, "payment": {}, "line_items": []}
        )
    assert [o.status for o in (shopee_order, lazada_order, tiktok_order)] == ["unpaid"] * 3
    assert [o.raw_status for o in (shopee_order, lazada_order, tiktok_order)] == [
        "NEW_STATUS",
        "new_status",
        "NEW_STATUS",
    ]
    warned = [r.getMessage() for r in caplog.records if "unknown status" in r.getMessage()]
    assert len(warned) == 3
    # a known status of another item still counts: the order is as far as its least advanced item
    assert lazada.LazadaAdapter.order_status(["delivered", "new_status"]) == ("unpaid", "new_status")


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.marketplace)
def test_push_bodies_are_read_one_way(adapter):
    """Empty: the marketplace checking the callback URL (no event). Not a JSON object: ValueError,
    which the webhook answers with 400."""
    assert adapter.parse_webhook(b"") == []
    assert adapter.parse_webhook(b"  \n") == []
    for body in (b"not json", b"[]", b'"text"', b"\xff\xfe"):
        with pytest.raises(ValueError):
            adapter.parse_webhook(body)
    events = adapter.parse_webhook(json.dumps({"data": "s"}).encode())
    assert [event.kind for event in events] == ["other"]


def test_lazada_and_tiktok_sign_pushes_the_same_way():
    body = b'{"seller_id": "1"}'
    expected = common.hmac_sha256_hex("secret", b"key" + body)
    assert lazada.webhook_signature("key", "secret", body) == expected
    assert tiktok.webhook_signature("key", "secret", body) == expected

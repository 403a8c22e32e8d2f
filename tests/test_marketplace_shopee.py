"""Shopee Open Platform v2 adapter against the local simulator (no network, no Odoo)."""

import datetime
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import load_pure

shopee = load_pure("o2o_marketplace", "adapters.shopee")
common = load_pure("o2o_marketplace", "adapters.common")

ShopeeAdapter = shopee.ShopeeAdapter
PARTNER_ID = "2001887"
PARTNER_KEY = "shpk-test-partner-key-0123456789abcdef"
SHOP_ID = "14701711"
DAY = 86400


@pytest.fixture(scope="module")
def server():
    """One simulator with the Shopee handler only (make_simulator needs all three marketplaces).

    Started once for the module: stopping a server waits for its 0.5 s poll interval."""
    from marketplace_sim import shopee as shopee_sim
    from marketplace_sim.core import Simulator

    simulator = Simulator()
    simulator.register(shopee_sim.Handler)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def sim(server):
    """The module's simulator, emptied for each test."""
    with server.lock:
        for state in (server.shops, server.orders, server.listings, server.calls, server.stock_pushes):
            state.clear()
        for state in (server.price_pushes, server.shipments, server.rate_limit, server._window):
            state.clear()
        server.faults.clear()
        server.offset = 0
    return server


@pytest.fixture
def shop(sim):
    return sim.add_shop("shopee", shop_id=SHOP_ID, app_key=PARTNER_ID, app_secret=PARTNER_KEY)


def transport(**kwargs):
    kwargs.setdefault("sleep", lambda _s: None)
    return common.Transport(**kwargs)


def adapter_for(sim, shop, token=None, **kwargs):
    if token is None:
        token = sim.issue_tokens(shop)[0]
    return ShopeeAdapter(
        host=sim.url("shopee"),
        app_key=shop.app_key,
        app_secret=kwargs.pop("app_secret", shop.app_secret),
        shop_id=shop.shop_id,
        access_token=token,
        transport=kwargs.pop("transport", None) or transport(),
        **kwargs,
    )


def line(item_id, quantity=1, unit_price=100000, discount=0, model_id=None, sku=None, name=None):
    return {
        "item_id": item_id,
        "model_id": model_id,
        "sku": sku or f"SKU-{item_id}-{model_id or 0}",
        "name": name or f"Product {item_id}",
        "quantity": quantity,
        "unit_price": unit_price,
        "discount": discount,
    }


# -- signing: documented vectors ------------------------------------------------------------------------
def test_sign_base_strings_match_the_documented_examples():
    # Shopee Open Platform developer guide 16 "API calls", section "Signature":
    # https://open.shopee.com/developer-guide/16
    assert (
        shopee.sign_base_string(
            2001887, "/api/v2/shop/get_shop_info", 1655714431, "59777174636562737266615546704c6d", 14701711
        )
        == "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"
    )
    assert (
        shopee.sign_base_string(2001887, "/api/v2/public/get_shops_by_partner", 1655714431)
        == "2001887/api/v2/public/get_shops_by_partner1655714431"
    )
    # Developer guide 20 "Authorization and Authentication", base string of the authorisation link:
    # https://open.shopee.com/developer-guide/20
    assert shopee.sign_base_string(10090, "/api/v2/shop/auth_partner", 1594897040) == (
        "10090/api/v2/shop/auth_partner1594897040"
    )


def test_hmac_matches_known_sdk_vector():
    # github.com/congminh1254/shopee-sdk, src/__tests__/utils/signature.test.ts: HMAC-SHA256 (hex) of the
    # concatenated parts with the partner key as key.
    # https://github.com/congminh1254/shopee-sdk/blob/main/src/__tests__/utils/signature.test.ts
    parts = ["/api/v2/auth/token/get", "123456", "test_partner_id", "test_shop_id", "test_main_account_id"]
    assert (
        shopee.hmac_sha256_hex("test_partner_key", "".join(parts))
        == "37c864bd9821ff5f2c2f46b2faca14eb1811a718d1fdc6dcf383cba7c74bf9e9"
    )
    # api_sign is that HMAC over the guide-16 base string, lowercase hex
    sign = shopee.api_sign("k", 1, "/api/v2/order/get_order_list", 1700000000, "tok", 9)
    assert sign == shopee.hmac_sha256_hex("k", "1/api/v2/order/get_order_list1700000000tok9")
    assert sign == sign.lower() and len(sign) == 64


def test_push_signature_matches_known_sdk_vector():
    # The push Authorization header is hex HMAC-SHA256 of `url + "|" + body` (developer guide 18,
    # https://open.shopee.com/developer-guide/18), the same construction as Shopee's v1 request
    # signature; vector from minchao/shopee-php, tests/ClientTest.php (secret "42"):
    # https://github.com/minchao/shopee-php/blob/master/tests/ClientTest.php
    url = "https://partner.shopeemobile.com/api/v1/orders/detail"
    body = b'{"partner_id":1,"shopid":61299,"timestamp":1470198856,"ordersn":"160726152598865"}'
    expected = "7f8239f14aa84c8ff59c61c4b728e08a44f5ff756064da74678b2f5162ac9116"
    assert shopee.push_signature("42", url, body) == expected
    headers = {"authorization": expected}
    assert ShopeeAdapter.verify_webhook(url=url, body=body, headers=headers, app_key="1", app_secret="42")
    assert not ShopeeAdapter.verify_webhook(
        url=url, body=body + b" ", headers=headers, app_key="1", app_secret="42"
    )


# -- authentication -------------------------------------------------------------------------------------
def test_wrong_signature_is_refused(sim, shop):
    adapter = adapter_for(sim, shop, app_secret="not-the-partner-key")
    with pytest.raises(common.MarketplaceError) as caught:
        adapter.get_orders(["X1"])
    assert caught.value.code == "error_sign"
    assert caught.value.message == "Wrong sign."
    assert not isinstance(caught.value, common.AuthError)
    assert adapter.transport.calls == 1
    # a raw request with a stale timestamp is refused too (5-minute window)
    answer = requests.get(
        sim.url("shopee") + "/api/v2/shop/auth_partner",
        params={"partner_id": PARTNER_ID, "timestamp": 1594897040, "sign": "0" * 64, "redirect": "https://x"},
        timeout=5,
        allow_redirects=False,
    )
    assert answer.json()["error"] == "error_param"
    assert answer.json()["message"] == "Timestamp is expired."


def test_expired_access_token_raises_auth_error(sim, shop):
    sim.add_order("shopee", SHOP_ID, [line("101")], external_id="T1")
    adapter = adapter_for(sim, shop)
    assert [o.external_id for o in adapter.get_orders(["T1"])] == ["T1"]
    sim.advance(4 * 3600 + 1)
    with pytest.raises(common.AuthError) as caught:
        adapter.get_orders(["T1"])
    assert caught.value.code == "invalid_acceess_token"
    assert caught.value.retryable is False


def test_authorisation_code_exchange_and_refresh_rotation(sim, shop):
    adapter = ShopeeAdapter(
        host=sim.url("shopee"), app_key=PARTNER_ID, app_secret=PARTNER_KEY, transport=transport()
    )
    url = adapter.authorization_url("https://erp.example.com/o2o/marketplace/oauth/shopee", "42.abc")
    parts = urlsplit(url)
    assert parts.path == "/shopee/api/v2/shop/auth_partner"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["partner_id"] == PARTNER_ID
    assert query["redirect"] == "https://erp.example.com/o2o/marketplace/oauth/shopee?state=42.abc"
    assert query["sign"] == shopee.api_sign(
        PARTNER_KEY, PARTNER_ID, "/api/v2/shop/auth_partner", int(query["timestamp"])
    )
    # the simulated seller consents at once: redirect back with code and shop_id appended
    consent = requests.get(url, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    back = {k: v[0] for k, v in parse_qs(urlsplit(consent.headers["Location"]).query).items()}
    assert back["state"] == "42.abc" and back["shop_id"] == SHOP_ID

    tokens = adapter.exchange_code(back["code"], shop_id=back["shop_id"])
    assert tokens.shop_external_id == SHOP_ID
    assert sim.access_valid(shop, tokens.access_token)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert abs((tokens.access_expires_at - now).total_seconds() - 4 * 3600) < 60
    assert abs((tokens.refresh_expires_at - now).total_seconds() - 30 * DAY) < 60
    assert adapter.access_token == tokens.access_token and adapter.shop_id == SHOP_ID
    with pytest.raises(common.MarketplaceError) as caught:  # the code is single-use
        adapter.exchange_code(back["code"], shop_id=SHOP_ID)
    assert caught.value.message == "Invalid code"

    rotated = adapter.refresh_access_token(tokens.refresh_token)
    assert rotated.refresh_token != tokens.refresh_token
    assert sim.refresh_valid(shop, rotated.refresh_token)
    assert adapter.access_token == rotated.access_token
    sim.add_order("shopee", SHOP_ID, [line("101")], external_id="R1")
    assert [o.external_id for o in adapter.get_orders(["R1"])] == ["R1"]
    with pytest.raises(common.AuthError) as caught:  # the old refresh token died with the rotation
        adapter.refresh_access_token(tokens.refresh_token)
    assert caught.value.message == "Invalid refresh_token."


def test_secrets_stay_out_of_errors(sim, shop):
    sim.faults.add("shopee", "5xx", path="access_token/get")
    refresh = sim.issue_tokens(shop)[1]
    adapter = adapter_for(sim, shop, transport=transport(max_retries=0))
    with pytest.raises(common.MarketplaceError) as caught:
        adapter.refresh_access_token(refresh)
    text = f"{caught.value} {caught.value.request_excerpt} {caught.value.response_excerpt}"
    assert refresh not in text and PARTNER_KEY not in text
    assert "***" in caught.value.request_excerpt
    sim.faults.add("shopee", "5xx", path="get_order_list")
    with pytest.raises(common.MarketplaceError) as caught:
        next(adapter.iter_orders(datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 2)))
    text = f"{caught.value} {caught.value.request_excerpt} {caught.value.response_excerpt}"
    assert adapter.access_token not in text
    assert "sign=***" in caught.value.request_excerpt and "access_token=***" in caught.value.request_excerpt
    assert "update_time" in caught.value.request_excerpt


# -- orders ---------------------------------------------------------------------------------------------
def make_orders(sim, count, start):
    orders = []
    for index in range(count):
        lines = [line(str(1000 + index % 7), quantity=3, unit_price=99000, discount=10000)]
        if index % 2:
            lines.append(line("2000", quantity=1, unit_price=250000, model_id=str(5000 + index % 3)))
        orders.append(
            sim.add_order(
                "shopee",
                SHOP_ID,
                lines,
                at=start + index * 60,
                buyer={
                    "name": "Nguyễn Văn A",
                    "phone": "84912345678",
                    "city": "Hà Nội",
                    "street": "1 Tràng Tiền",
                },
                shipping_fee=15000 if index % 3 else 0,
                seller_voucher=5000 if index % 4 == 1 else 0,
                platform_voucher=12000 if index % 5 == 2 else 0,
            )
        )
    return orders


def test_order_paging_maps_every_order_once(sim, shop):
    start = sim.now() - 3 * DAY
    created = {o.external_id: o for o in make_orders(sim, 230, start)}
    sim.add_order("shopee", SHOP_ID, [line("1")], at=start - 30 * DAY)  # outside the window
    adapter = adapter_for(sim, shop)
    since = datetime.datetime.utcfromtimestamp(start - 20 * DAY)  # wider than 15 days: split
    until = datetime.datetime.utcfromtimestamp(sim.now())
    pages = list(adapter.iter_orders(since, until))
    seen = [o.external_id for page in pages for o in page]
    assert sorted(seen) == sorted(created) and len(seen) == len(set(seen))
    assert [len(p) for p in pages] == [100, 100, 30]
    for order in (o for page in pages for o in page):
        source = created[order.external_id]
        assert order.total_amount == source.total_amount
        goods = sum((ln.unit_price * ln.quantity - ln.discount for ln in order.lines), Decimal(0))
        assert (
            goods + order.shipping_fee - order.seller_voucher - order.platform_voucher == order.total_amount
        )
        assert (order.shipping_fee, order.seller_voucher, order.platform_voucher) == (
            source.shipping_fee,
            source.seller_voucher,
            source.platform_voucher,
        )
        assert order.status == "ready_to_ship" and order.raw_status == "READY_TO_SHIP"
        assert order.currency == "VND"
        assert order.update_time == datetime.datetime.utcfromtimestamp(source.update_time)
        first = order.lines[0]
        assert (first.item_id, first.model_id, first.quantity) == (source.lines[0].item_id, None, 3)
        assert (first.unit_price, first.discount) == (Decimal(99000), Decimal(10000))
        assert first.sku == source.lines[0].sku and first.name == source.lines[0].name
        if len(source.lines) > 1:
            assert order.lines[1].model_id == source.lines[1].model_id
            assert order.lines[1].key == f"2000/{source.lines[1].model_id}"
        assert order.buyer.name == "Nguyễn Văn A"
        assert order.buyer.phone == "*********78"  # masked by Shopee, passed on as given
        assert (order.buyer.city, order.buyer.street, order.buyer.country_code) == (
            "Hà Nội",
            "1 Tràng Tiền",
            "VN",
        )
    calls = [p.rsplit("/", 1)[1] for _m, _x, p in sim.calls]
    # two 15-day windows; the second split in halves until each answer fits in one page (an order
    # updated meanwhile cannot make another skipped); details and escrow by 50
    assert calls.count("get_order_list") == 16
    assert calls.count("get_order_detail") == calls.count("get_escrow_detail_batch") == 5
    assert adapter.transport.calls == 26


def test_get_orders_statuses_and_missing_ids(sim, shop):
    sim.add_order("shopee", SHOP_ID, [line("1")], external_id="S1", status="unpaid")
    sim.add_order("shopee", SHOP_ID, [line("1")], external_id="S2", status="cancelled")
    sim.add_order("shopee", SHOP_ID, [line("1")], external_id="S3", status="returned")
    orders = adapter_for(sim, shop).get_orders(["S1", "S2", "S3", "NOPE", "S1"])
    assert [(o.external_id, o.status, o.raw_status) for o in orders] == [
        ("S1", "unpaid", "UNPAID"),
        ("S2", "cancelled", "CANCELLED"),
        ("S3", "returned", "TO_RETURN"),
    ]
    assert set(shopee.ORDER_STATUS_MAP.values()) <= set(common.ORDER_STATUSES)
    for raw in ("UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"):
        assert raw in shopee.ORDER_STATUS_MAP
    for raw in ("IN_CANCEL", "CANCELLED", "INVOICE_PENDING", "TO_RETURN"):
        assert raw in shopee.ORDER_STATUS_MAP


def test_discount_not_divisible_by_quantity_stays_exact(sim, shop):
    order = sim.add_order(
        "shopee",
        SHOP_ID,
        [line("7", quantity=3, unit_price=10000, discount=1000)],
        seller_voucher=1,
        shipping_fee=3,
    )
    (mapped,) = adapter_for(sim, shop).get_orders([order.external_id])
    assert mapped.lines[0].discount == Decimal(1000)
    assert mapped.total_amount == order.total_amount == Decimal(29002)


def test_order_window_limit_is_enforced_by_the_simulator(sim, shop):
    adapter = adapter_for(sim, shop)
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call(
            "GET",
            shopee.ORDER_LIST,
            params={"time_range_field": "update_time", "time_from": 0, "time_to": 16 * DAY, "page_size": 100},
        )
    assert caught.value.code == "order.order_list_invalid_time"
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call(
            "GET",
            shopee.ORDER_LIST,
            params={"time_range_field": "update_time", "time_from": 0, "time_to": DAY, "page_size": 101},
        )
    assert caught.value.code == "error_param"


# -- retries --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "extra"),
    [("5xx", {}), ("timeout", {"delay": 1.0}), ("rate_limit", {})],
)
def test_retryable_faults_are_recovered(sim, shop, kind, extra):
    sim.add_order("shopee", SHOP_ID, [line("1")], external_id="F1")
    sim.faults.add("shopee", kind, path="get_order_detail", **extra)
    adapter = adapter_for(sim, shop, transport=transport(timeout=0.5))
    assert [o.external_id for o in adapter.get_orders(["F1"])] == ["F1"]
    assert adapter.transport.calls == 3  # failed detail, detail, escrow
    assert adapter.transport.retries == 1


def test_rate_limit_answer_is_shopees(sim, shop):
    status, _headers, body = sim.handlers["shopee"].rate_limited()
    assert status == 429 and json.loads(body)["error"] == "error_rate_limit"
    with pytest.raises(common.RateLimited):
        ShopeeAdapter._check(status, json.loads(body), body.decode())
    busy = {
        "error": "error_system_busy",
        "message": "Our system is taking some time to respond, please try later.",
    }
    with pytest.raises(common.RateLimited):
        ShopeeAdapter._check(200, busy, json.dumps(busy))
    server = {"error": "error_server", "message": "System error. Please try again later."}
    with pytest.raises(common.MarketplaceError) as caught:
        ShopeeAdapter._check(200, server, json.dumps(server))
    assert caught.value.retryable


def test_non_retryable_error_surfaces_shopees_message(sim, shop):
    sim.add_order("shopee", SHOP_ID, [line("1")], external_id="C1", status="cancelled")
    adapter = adapter_for(sim, shop)
    with pytest.raises(common.MarketplaceError) as caught:
        adapter.ship_order("C1", "VN123456789")
    assert caught.value.code == "logistics.ship_order_not_ready_to_ship"
    assert str(caught.value) == "[logistics.ship_order_not_ready_to_ship] The order is not ready to ship."
    assert adapter.transport.calls == 1


# -- logistics ------------------------------------------------------------------------------------------
def test_ship_order_is_recorded(sim, shop):
    order = sim.add_order("shopee", SHOP_ID, [line("1")], external_id="SH1")
    adapter = adapter_for(sim, shop)
    assert adapter.ship_order("SH1", "SPXVN0123456789", carrier="SPX") is True
    assert sim.shipments == [("shopee", "SH1", "SPXVN0123456789")]
    assert order.status == "shipped" and order.tracking_number == "SPXVN0123456789"
    (mapped,) = adapter.get_orders(["SH1"])
    assert (mapped.status, mapped.raw_status) == ("shipped", "SHIPPED")
    # a replay (e.g. after a lost answer) is taken as done, without a second shipment
    assert adapter.ship_order("SH1", "SPXVN0123456789") is True
    assert len(sim.shipments) == 1


# -- catalogue ------------------------------------------------------------------------------------------
def add_catalogue(sim, items=130, models_every=10):
    for index in range(items):
        item_id = str(300000 + index)
        if index % models_every == 0:
            for model in range(3):
                sim.add_listing(
                    "shopee",
                    SHOP_ID,
                    item_id,
                    model_id=f"{item_id}{model}",
                    sku=f"M-{index}-{model}",
                    name=f"Size {model}",
                    price=150000 + model,
                    stock=model,
                )
        else:
            sim.add_listing(
                "shopee",
                SHOP_ID,
                item_id,
                sku=f"I-{index}",
                name=f"Item {index}",
                price="99000",
                stock=index,
                barcode="8935001800019" if index == 1 else None,
            )


def test_iter_listings_pages_items_and_models(sim, shop):
    add_catalogue(sim)
    adapter = adapter_for(sim, shop)
    pages = list(adapter.iter_listings())
    listings = [v for page in pages for v in page]
    assert len(pages) == 2
    assert len(listings) == 117 + 13 * 3
    by_key = {v.key: v for v in listings}
    assert len(by_key) == len(listings)
    plain = by_key["300001"]
    assert (plain.sku, plain.name, plain.price, plain.quantity, plain.barcode) == (
        "I-1",
        "Item 1",
        Decimal(99000),
        1,
        "8935001800019",
    )
    assert by_key["300002"].barcode is None
    model = by_key["300010/3000102"]
    assert (model.model_id, model.sku, model.price, model.quantity) == (
        "3000102",
        "M-10-2",
        Decimal(150002),
        2,
    )
    assert model.name == "Size 0 (Size 2)"
    calls = [p.rsplit("/", 1)[1] for _m, _x, p in sim.calls]
    assert calls.count("get_item_list") == 2
    assert calls.count("get_item_base_info") == 3  # 100 items -> 2 calls of 50, then 30 -> 1
    assert calls.count("get_model_list") == 13


def test_update_stock_in_calls_of_at_most_50_one_bad_sku_fails_alone(sim, shop):
    for item in ("700", "701", "702"):
        for model in range(40):
            sim.add_listing(
                "shopee", SHOP_ID, item, model_id=f"{item}{model:03d}", sku=f"S{item}{model}", stock=1
            )
    updates = [
        common.StockUpdate(item_id=item, model_id=f"{item}{model:03d}", sku=None, quantity=model + 10)
        for item in ("700", "701", "702")
        for model in range(40)
    ]
    updates.insert(70, common.StockUpdate(item_id="700", model_id="700999", sku="GHOST", quantity=5))
    assert len(updates) == 121
    adapter = adapter_for(sim, shop)
    results = []
    for start in range(0, len(updates), adapter.max_batch):
        results += adapter.update_stock(updates[start : start + adapter.max_batch])
    assert [r.key for r in results] == [u.key for u in updates]
    failed = [r for r in results if not r.ok]
    assert [(r.key, r.error) for r in failed] == [("700/700999", "Wrong model_id.")]
    assert sum(r.ok for r in results) == 120
    assert sim.listing("shopee", SHOP_ID, "701", "701039").stock == 49
    assert len(sim.stock_pushes) == 120
    # one call per item in each batch: [700x40 + 701x10], [701x20 + ghost + 702x29]... each <= 50 models
    assert adapter.transport.calls == 6

    # more than 50 models of one item in one go: split in two calls; an unknown item fails alone
    big = [common.StockUpdate(item_id="700", model_id=f"700{m:03d}", sku=None, quantity=1) for m in range(40)]
    big += [
        common.StockUpdate(item_id="701", model_id=f"701{m:03d}", sku=None, quantity=2) for m in range(20)
    ]
    big += [common.StockUpdate(item_id="999", model_id=None, sku="NOITEM", quantity=3)]
    before = adapter.transport.calls
    results = adapter.update_stock(big)
    assert adapter.transport.calls - before == 3
    assert [r.key for r in results if not r.ok] == ["999"]
    assert results[-1].error == "[error_item_not_found] Item_id is not found."
    # every model of the call refused: Shopee's error carries the failure_list
    (alone,) = adapter.update_stock(
        [common.StockUpdate(item_id="702", model_id="702998", sku=None, quantity=1)]
    )
    assert (alone.ok, alone.error) == (False, "Wrong model_id.")


def test_update_price(sim, shop):
    sim.add_listing("shopee", SHOP_ID, "800", sku="P800", price=1000, stock=1)
    sim.add_listing("shopee", SHOP_ID, "801", model_id="8011", sku="P8011", price=1000, stock=1)
    adapter = adapter_for(sim, shop)
    results = adapter.update_price(
        [
            common.PriceUpdate(item_id="800", model_id=None, sku="P800", price=Decimal("129000")),
            common.PriceUpdate(item_id="801", model_id="8011", sku="P8011", price=Decimal("89000")),
            common.PriceUpdate(item_id="801", model_id="8019", sku="NOPE", price=Decimal("1")),
            common.PriceUpdate(item_id="802", model_id=None, sku="P802", price=Decimal("0")),
        ]
    )
    assert [(r.key, r.ok) for r in results] == [
        ("800", True),
        ("801/8011", True),
        ("801/8019", False),
        ("802", False),
    ]
    assert results[2].error == "Wrong model_id."
    assert sim.listing("shopee", SHOP_ID, "800").price == Decimal(129000)
    assert sim.listing("shopee", SHOP_ID, "801", "8011").price == Decimal(89000)
    assert adapter.transport.calls == 2  # one per item; the zero price never left


# -- push -----------------------------------------------------------------------------------------------
def test_webhook_verify_and_parse(sim, shop):
    order = sim.add_order("shopee", SHOP_ID, [line("1")], external_id="220810QSK8S7BX")
    url = "https://erp.example.com/o2o/marketplace/shopee/webhook"
    headers, body = sim.webhook_request("shopee", order.external_id, url)
    kwargs = {"url": url, "app_key": PARTNER_ID, "app_secret": PARTNER_KEY}
    assert ShopeeAdapter.verify_webhook(body=body, headers=headers, **kwargs)
    assert not ShopeeAdapter.verify_webhook(
        body=body, headers={**headers, "Authorization": "0" * 64}, **kwargs
    )
    assert not ShopeeAdapter.verify_webhook(body=body, headers={}, **kwargs)
    assert not ShopeeAdapter.verify_webhook(body=body, headers=headers, **{**kwargs, "app_secret": "other"})
    assert not ShopeeAdapter.verify_webhook(body=body, headers=headers, **{**kwargs, "url": url + "/"})
    reserialised = json.dumps(json.loads(body)).encode()
    assert reserialised != body and json.loads(reserialised) == json.loads(body)
    assert not ShopeeAdapter.verify_webhook(body=reserialised, headers=headers, **kwargs)

    (event,) = ShopeeAdapter.parse_webhook(body)
    assert event.kind == "order_status"
    assert (event.shop_external_id, event.order_external_id, event.raw_status) == (
        SHOP_ID,
        "220810QSK8S7BX",
        "READY_TO_SHIP",
    )
    assert event.update_time == datetime.datetime.utcfromtimestamp(order.update_time)
    assert ShopeeAdapter.webhook_response() == (200, "", "text/plain")
    # the live sample from Shopee's docs (code 3) and a code we do not follow
    sample = (
        b'{"data":{"items":[],"ordersn":"220810QSK8S7BX","status":"PROCESSED","completed_scenario":"",'
        b'"update_time":1660123127},"shop_id":727720655,"code":3,"timestamp":1660123127}'
    )
    (event,) = ShopeeAdapter.parse_webhook(sample)
    assert (event.shop_external_id, event.raw_status) == ("727720655", "PROCESSED")
    assert event.update_time == datetime.datetime(2022, 8, 10, 9, 18, 47)
    (other,) = ShopeeAdapter.parse_webhook(
        b'{"code":5,"shop_id":1,"timestamp":1610000000,"data":{"actions":[]}}'
    )
    assert other.kind == "other"
    assert ShopeeAdapter.parse_webhook(b"") == []
    with pytest.raises(ValueError):
        ShopeeAdapter.parse_webhook(b"<html>")

"""Lazada adapter against documented vectors, the official Python SDK and the local simulator."""

import datetime
import importlib
import json
import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import load_pure
from marketplace_sim import lazada as lazada_sim
from marketplace_sim.core import ACCESS_TTL, Simulator

common = load_pure("o2o_marketplace", "adapters.common")
lazada = load_pure("o2o_marketplace", "adapters.lazada")
LazadaAdapter = lazada.LazadaAdapter

T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def noop(_seconds):
    return None


@pytest.fixture(scope="session")
def lazop(tmp_path_factory):
    """The official Python SDK (PyPI ``lazop-sdk`` 1.0.3, module ``lazop_sdk``, in requirements-dev).

    Importing it opens ``~/logs/lazopsdk.log.<date>`` (a FileHandler at import time), so HOME points
    to a temporary directory meanwhile; nothing else needs a shim on Python 3.11.
    """
    home = os.environ.get("HOME")
    os.environ["HOME"] = str(tmp_path_factory.mktemp("lazop-home"))
    try:
        return importlib.import_module("lazop_sdk")
    finally:
        if home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = home


@pytest.fixture(scope="module")
def server():
    simulator = Simulator()
    simulator.register(lazada_sim.Handler)
    simulator.start()
    yield simulator
    simulator.stop()  # one server for the module: stopping costs half a second


@pytest.fixture
def sim(server):
    """The module's simulator, emptied: a fresh Lazada handler, no shops, calls, faults or throttling."""
    server.faults.clear()
    server.register(lazada_sim.Handler)
    with server.lock:
        for store in (server.shops, server.orders, server.listings, server.rate_limit, server._window):
            store.clear()
        for log in (server.calls, server.stock_pushes, server.price_pushes, server.shipments):
            log.clear()
        server.offset = 0
    return server


@pytest.fixture
def shop(sim):
    return sim.add_shop("lazada", region="VN", currency="VND")


def make_adapter(sim, shop, transport=None, token=True, **kwargs):
    access = sim.issue_tokens(shop)[0] if token else None
    return LazadaAdapter(
        host=sim.url("lazada") + "/rest",
        auth_host=sim.url("lazada") + "/auth/rest",
        app_key=shop.app_key,
        app_secret=kwargs.pop("app_secret", shop.app_secret),
        shop_id=shop.shop_id,
        access_token=access,
        transport=transport or common.Transport(sleep=noop),
        **kwargs,
    )


def utc(seconds):
    return common.utc_from_timestamp(seconds)


# -- signing -------------------------------------------------------------------------------------
def test_sign_documented_vector():
    # "HTTP request sample" of the Lazada Open Platform (GetOrder, App Secret "helloworld"):
    # https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069
    # (mirror: https://open.alitrip.com/docs/doc.htm?articleId=108069&docType=1&treeId=499)
    params = {
        "app_key": "123456",
        "access_token": "test",
        "timestamp": "1517820392000",
        "sign_method": "sha256",
        "order_id": "1234",
    }
    assert (
        lazada.sign_request("helloworld", "/order/get", params)
        == "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
    )
    # ``sign`` itself and None values are not part of the string
    assert lazada.sign_request("helloworld", "/order/get", {**params, "sign": "X", "x": None}) == (
        "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
    )


SDK_CASES = [
    (
        "/order/get",
        {
            "app_key": "123456",
            "access_token": "test",
            "timestamp": "1517820392000",
            "sign_method": "sha256",
            "order_id": "1234",
        },
    ),
    (
        "/orders/get",
        {
            "app_key": "100132",
            "timestamp": "1700000000123",
            "sign_method": "sha256",
            "access_token": "50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg",
            "update_after": "2023-11-01T00:00:00+07:00",
            "update_before": "2023-11-14T23:59:59+07:00",
            "sort_by": "updated_at",
            "sort_direction": "ASC",
            "offset": "100",
            "limit": "100",
        },
    ),
    (
        "/orders/items/get",
        {
            "app_key": "7",
            "timestamp": "1",
            "sign_method": "sha256",
            "access_token": "t",
            "order_ids": "[42922,32793]",
        },
    ),
    (
        "/product/price_quantity/update",
        {
            "app_key": "100132",
            "timestamp": "1700000000999",
            "sign_method": "sha256",
            "access_token": "tok",
            "payload": "<Request><Product><Skus><Sku><ItemId>234234234</ItemId><SkuId>234</SkuId>"
            "<SellerSku>Áo thun đỏ &amp; xanh</SellerSku><Quantity>20</Quantity></Sku></Skus></Product></Request>",
        },
    ),
    (
        "/order/fulfill/pack",
        {
            "app_key": "1",
            "timestamp": "2",
            "sign_method": "sha256",
            "access_token": "3",
            "packReq": '{"pack_order_list":[{"order_id":560694402192001,"order_item_list":[560694402292001]}],'
            '"delivery_type":"dropship","shipping_allocate_type":"TFS"}',
        },
    ),
    (
        "/auth/token/create",
        {
            "app_key": "100132",
            "timestamp": "1517820392000",
            "sign_method": "sha256",
            "code": "0_100132_2DL4DV3jcU1UOT7WGI1A4rY91",
        },
    ),
    (
        "/products/get",
        {
            "app_key": "9",
            "timestamp": "9",
            "sign_method": "sha256",
            "access_token": "é",
            "filter": "all",
            "offset": 0,
            "limit": 50,
        },
    ),
]


@pytest.mark.parametrize(("api", "params"), SDK_CASES)
def test_sign_equals_official_python_sdk(lazop, api, params):
    secret = "GIsmfPZ9X0ebwnFc1ZUWTt9Rf1Kz2Dgq"
    assert lazada.sign_request(secret, api, params) == lazop.sign(secret, api, params)


def test_requests_carry_sdk_signature(lazop):
    """What the adapter actually sends signs like the SDK would sign the same parameters."""
    sent = []

    class Session:
        def request(self, method, url, params=None, data=None, **kwargs):
            sent.append((method, url, dict(params or data)))
            response = requests.models.Response()
            response.status_code = 200
            response._content = json.dumps({"code": "0", "data": {"orders": [], "count": 0}}).encode()
            return response

    adapter = LazadaAdapter(
        host="https://api.lazada.vn/rest",
        app_key="100132",
        app_secret="s3cr3t",
        access_token="tok",
        transport=common.Transport(session=Session(), sleep=noop),
        clock=lambda: 1_700_000_000.123,
    )
    assert list(adapter.iter_orders(utc(T0), utc(T0 + 60))) == []
    method, url, params = sent[0]
    assert (method, url) == ("GET", "https://api.lazada.vn/rest/orders/get")
    assert params["timestamp"] == "1700000000123" and params["sign_method"] == "sha256"
    assert params["update_after"] == "2023-11-14T22:13:20+00:00"
    signature = params.pop("sign")
    assert signature == lazop.sign("s3cr3t", "/orders/get", params)
    assert adapter.auth_host == lazada.AUTH_HOST


def test_webhook_signature_formula():
    # Lazada Push Mechanism: Authorization = HEX_ENCODE(HMAC-SHA256(app_key + body, app_secret)),
    # lower-case hex (https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168). The page's
    # own sample (AppKey 123456, secret 3412gyo124goi3124) elides its body ("data":{...}), so no
    # published vector can be replayed: this one is computed from the formula.
    body = b'{"seller_id":"1234567","message_type":0,"data":{"order_status":"unpaid"}}'
    signature = lazada.webhook_signature("123456", "3412gyo124goi3124", body)
    assert re.fullmatch("[0-9a-f]{64}", signature)
    assert lazada.verify_webhook_signature("123456", "3412gyo124goi3124", body, signature.upper())
    assert not lazada.verify_webhook_signature("123457", "3412gyo124goi3124", body, signature)


# -- gateway checks ------------------------------------------------------------------------------
def test_wrong_signature_refused(sim, shop):
    adapter = make_adapter(sim, shop, app_secret="not-the-secret")
    with pytest.raises(common.MarketplaceError) as caught:
        adapter.get_orders(["1"])
    assert caught.value.code == "IncompleteSignature"
    assert "does not conform" in caught.value.message
    assert not caught.value.retryable and adapter.transport.calls == 1
    assert "not-the-secret" not in caught.value.request_excerpt + str(caught.value)


def test_expired_and_unknown_token(sim, shop):
    adapter = make_adapter(sim, shop)
    sim.add_order(
        "lazada", shop.shop_id, [{"item_id": 1, "model_id": 11, "unit_price": 1000}], external_id="5001"
    )
    assert [o.external_id for o in adapter.get_orders(["5001"])] == ["5001"]
    sim.advance(ACCESS_TTL + 1)
    with pytest.raises(common.AuthError) as caught:
        adapter.get_orders(["5001"])
    assert caught.value.code == "IllegalAccessToken"
    assert adapter.access_token not in caught.value.request_excerpt
    adapter.access_token = "forged"
    with pytest.raises(common.AuthError):
        adapter.get_orders(["5001"])
    adapter.access_token = None
    with pytest.raises(common.AuthError):
        adapter.get_orders(["5001"])


def test_authorisation_code_and_refresh_rotation(sim, shop):
    adapter = make_adapter(sim, shop, token=False)
    url = adapter.authorization_url("https://erp.example/lazada/callback?db=x", "st-42")
    parts = urlsplit(url)
    assert parts.path == "/lazada/auth/oauth/authorize"
    query = parse_qs(parts.query)
    assert query == {
        "response_type": ["code"],
        "force_auth": ["true"],
        "redirect_uri": ["https://erp.example/lazada/callback?db=x"],
        "client_id": [shop.app_key],
        "state": ["st-42"],
    }
    redirect = requests.get(url, allow_redirects=False, timeout=5)
    assert redirect.status_code == 302
    back = parse_qs(urlsplit(redirect.headers["Location"]).query)
    assert back["state"] == ["st-42"] and back["db"] == ["x"]

    tokens = adapter.exchange_code(back["code"][0])
    assert tokens.shop_external_id == shop.shop_id
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert tokens.access_expires_at > now + datetime.timedelta(hours=3)
    assert adapter.access_token == tokens.access_token
    assert list(adapter.iter_listings()) == []
    with pytest.raises(common.MarketplaceError) as caught:  # a code works once
        adapter.exchange_code(back["code"][0])
    assert caught.value.code == "InvalidCode"

    renewed = adapter.refresh_access_token(tokens.refresh_token)
    assert renewed.refresh_token != tokens.refresh_token
    assert renewed.access_token != tokens.access_token and adapter.access_token == renewed.access_token
    with pytest.raises(common.AuthError) as caught:
        adapter.refresh_access_token(tokens.refresh_token)
    assert caught.value.code == "IllegalRefreshToken"
    assert tokens.refresh_token not in caught.value.request_excerpt + str(caught.value)
    assert '"refresh_token": "***"' in caught.value.request_excerpt
    assert adapter.refresh_access_token(renewed.refresh_token).shop_external_id == shop.shop_id

    real = LazadaAdapter(host="https://api.lazada.vn/rest", app_key="100132", app_secret="x")
    assert real.authorization_url("https://erp.example/cb", "s").startswith(
        "https://auth.lazada.com/oauth/authorize?response_type=code&force_auth=true"
        "&redirect_uri=https%3A%2F%2Ferp.example%2Fcb&client_id=100132"
    )


# -- orders --------------------------------------------------------------------------------------
def add_orders(sim, shop, count, start=T0, step=1):
    orders = []
    for index in range(count):
        lines = [
            {
                "item_id": 3000 + index % 7,
                "model_id": 9000 + index % 7,
                "sku": f"SKU-{index % 7}",
                "name": "Áo thun",
                "quantity": 1 + index % 3,
                "unit_price": "120000",
                "discount": 5000 * (index % 2),
            },
        ]
        if index % 4 == 0:
            lines.append(
                {"item_id": 4000, "sku": "CAP", "name": "Nón", "quantity": 2, "unit_price": "45000.50"}
            )
        orders.append(
            sim.add_order(
                "lazada",
                shop.shop_id,
                lines,
                status=("ready_to_ship", "unpaid", "shipped", "completed", "cancelled", "returned")[
                    index % 6
                ],
                at=start + index * step,
                buyer={
                    "name": f"Nguyễn Văn {index}",
                    "phone": "******78",
                    "street": "12 Lê Lợi",
                    "city": "Quận 1",
                    "state": "Hồ Chí Minh",
                    "street2": "Bến Nghé",
                    "zip": "700000",
                },
                shipping_fee=15000 if index % 2 else 0,
                seller_voucher=10000 if index % 5 == 0 else 0,
                platform_voucher=3333 if index % 3 == 0 else 0,
            )
        )
    return orders


def check_order(order, sim_order):
    assert order.total_amount == sim_order.total_amount
    goods = sum((ln.unit_price * ln.quantity - ln.discount for ln in order.lines), Decimal(0))
    assert goods + order.shipping_fee - order.seller_voucher - order.platform_voucher == order.total_amount
    assert order.shipping_fee == sim_order.shipping_fee
    assert order.platform_voucher == sim_order.platform_voucher
    # Lazada allocates seller vouchers to items: they land in the lines' discounts
    assert sum(ln.discount for ln in order.lines) + order.seller_voucher == (
        sum(ln.discount for ln in sim_order.lines) + sim_order.seller_voucher
    )
    expected = sorted((ln.item_id, ln.model_id, ln.sku, ln.quantity, ln.unit_price) for ln in sim_order.lines)
    assert (
        sorted((ln.item_id, ln.model_id, ln.sku, ln.quantity, ln.unit_price) for ln in order.lines)
        == expected
    )
    if not sim_order.seller_voucher:
        assert sorted((ln.key, ln.discount) for ln in order.lines) == sorted(
            (ln.item_id if not ln.model_id else f"{ln.item_id}/{ln.model_id}", ln.discount)
            for ln in sim_order.lines
        )
    assert order.status == sim_order.status
    assert order.update_time == utc(sim_order.update_time) and order.create_time == utc(sim_order.create_time)
    assert order.currency == "VND"
    assert order.buyer.name == sim_order.buyer["name"] and order.buyer.phone == "******78"
    assert (
        order.buyer.street,
        order.buyer.street2,
        order.buyer.city,
        order.buyer.state,
        order.buyer.zip,
    ) == (
        "12 Lê Lợi",
        "Bến Nghé",
        "Quận 1",
        "Hồ Chí Minh",
        "700000",
    )
    assert order.buyer.country_code == "VN" and order.buyer.email is None


def test_order_paging_each_order_once(sim, shop):
    created = {o.external_id: o for o in add_orders(sim, shop, 230)}
    adapter = make_adapter(sim, shop)
    pages = list(adapter.iter_orders(utc(T0 - 60), utc(T0 + 3600)))
    # every page searches again from the last update time read: the order of that second is read
    # twice by GetOrders and yielded once
    assert [len(p) for p in pages] == [100, 99, 31]
    ids = [o.external_id for page in pages for o in page]
    assert sorted(ids) == sorted(created) and len(set(ids)) == len(ids)
    for page in pages:
        for order in page:
            check_order(order, created[order.external_id])
    raw = {o.status: o.raw_status for page in pages for o in page}
    assert raw == {
        "ready_to_ship": "pending",
        "unpaid": "unpaid",
        "shipped": "shipped",
        "completed": "delivered",
        "cancelled": "canceled",
        "returned": "returned",
    }
    # 3 GetOrders pages + GetMultipleOrderItems by 50 (2 + 2 + 1)
    assert adapter.transport.calls == 8
    paths = [path for (_m, _method, path) in sim.calls]
    assert paths.count("/rest/orders/get") == 3 and paths.count("/rest/orders/items/get") == 5
    # an update window excludes what is outside it
    inside = list(adapter.iter_orders(utc(T0 + 10), utc(T0 + 19)))
    assert sorted(o.external_id for page in inside for o in page) == sorted(
        i for i, o in created.items() if T0 + 10 <= o.update_time <= T0 + 19
    )


def test_offset_cap_starts_a_new_window(sim, shop):
    """Every page is a new GetOrders search from the last update time read, at offset 0: the offset
    cap never binds, and orders of that second read already are yielded once."""
    sim.handlers["lazada"].max_orders_offset = 100
    created = {o.external_id: o for o in add_orders(sim, shop, 330, step=0)}
    for index, external_id in enumerate(sorted(created)):  # 7 orders per second: windows overlap
        created[external_id].update_time = T0 + index // 7
    sent = []

    class Recording(requests.Session):
        def request(self, method, url, *args, **kwargs):
            sent.append((url, dict(kwargs.get("params") or {})))
            return super().request(method, url, *args, **kwargs)

    adapter = make_adapter(sim, shop, transport=common.Transport(session=Recording(), sleep=noop))
    adapter.orders_page_size = 50
    adapter.max_orders_offset = 100
    ids = [o.external_id for page in adapter.iter_orders(utc(T0), utc(T0 + 3600)) for o in page]
    assert sorted(ids) == sorted(created) and len(ids) == len(set(ids))
    windows = [(p["update_after"], p["offset"]) for url, p in sent if url.endswith("/orders/get")]
    expected, second = [], 0
    while True:  # a page of 50 from the first order of ``second`` ends in the second of its last
        expected.append((lazada._iso(utc(T0 + second)), "0"))
        last = 7 * second + 49
        if last >= 329:
            break
        second = last // 7
    assert windows == expected
    assert windows[:3] == [
        ("2023-11-14T22:13:20+00:00", "0"),
        ("2023-11-14T22:13:27+00:00", "0"),  # order 49 was updated at T0 + 7
        ("2023-11-14T22:13:34+00:00", "0"),
    ]
    # the simulator refuses an offset past the cap, as Lazada does (E014)
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call(
            "/orders/get", {"update_after": "2023-11-01T00:00:00+07:00", "offset": 150, "limit": 50}
        )
    assert caught.value.code == "14" and "Invalid Offset" in caught.value.message


def test_same_second_flood_is_reported(sim, shop):
    sim.handlers["lazada"].max_orders_offset = 20
    add_orders(sim, shop, 40, step=0)
    adapter = make_adapter(sim, shop)
    adapter.orders_page_size = 10
    adapter.max_orders_offset = 20
    with pytest.raises(common.MarketplaceError, match="same second"):
        for _page in adapter.iter_orders(utc(T0), utc(T0 + 10)):
            pass


def test_documented_page_limits(sim, shop):
    adapter = make_adapter(sim, shop)
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call("/orders/get", {"update_after": "2023-11-01T00:00:00+07:00", "limit": 101})
    assert caught.value.code == "19"
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call("/orders/items/get", {"order_ids": "[" + ",".join(str(i) for i in range(51)) + "]"})
    assert caught.value.code == "38"
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call("/products/get", {"filter": "all", "limit": 51})
    assert caught.value.code == "19"
    with pytest.raises(common.MarketplaceError) as caught:
        adapter._call("/orders/get", {"update_after": "2023-11-01 00:00:00"})
    assert caught.value.code == "17"


def test_get_orders_after_push(sim, shop):
    created = add_orders(sim, shop, 3)
    adapter = make_adapter(sim, shop)
    orders = adapter.get_orders([created[2].external_id, "404404", created[0].external_id])
    assert [o.external_id for o in orders] == [created[2].external_id, created[0].external_id]
    for order, sim_order in zip(orders, (created[2], created[0]), strict=True):
        check_order(order, sim_order)


# -- errors and retries --------------------------------------------------------------------------
@pytest.fixture
def one_order(sim, shop):
    return sim.add_order(
        "lazada", shop.shop_id, [{"item_id": 1, "model_id": 2, "unit_price": 99000}], external_id="7001"
    )


def test_5xx_is_retried(sim, shop, one_order):
    sim.faults.add("lazada", "5xx", path="/order/get")
    adapter = make_adapter(sim, shop)
    assert [o.external_id for o in adapter.get_orders(["7001"])] == ["7001"]
    assert adapter.transport.calls == 3 and adapter.transport.retries == 1  # 503, GetOrder, items


def test_timeout_is_retried(sim, shop, one_order):
    sim.faults.add("lazada", "timeout", path="/orders/items/get", delay=1.0)
    adapter = make_adapter(sim, shop, transport=common.Transport(timeout=0.5, sleep=noop))
    assert [o.total_amount for o in adapter.get_orders(["7001"])] == [Decimal(99000)]
    assert adapter.transport.calls == 3 and adapter.transport.retries == 1


def test_rate_limit_is_retried_after_the_ban(sim, shop, one_order):
    sim.faults.add("lazada", "rate_limit", path="/order/get", count=2)
    slept = []
    adapter = make_adapter(sim, shop, transport=common.Transport(sleep=slept.append))
    assert len(adapter.get_orders(["7001"])) == 1
    assert adapter.transport.calls == 4 and slept == [1.0, 1.0]  # "this ban will last 1 seconds"


def test_throttling_of_the_simulator_itself(sim, shop, one_order):
    sim.rate_limit["lazada"] = (2, 60)
    adapter = make_adapter(sim, shop, transport=common.Transport(sleep=noop, max_retries=2))
    with pytest.raises(common.RateLimited) as caught:
        adapter.get_orders(["7001", "7002"])
    assert caught.value.code == "ApiCallLimit" and caught.value.retry_after == 1
    assert adapter.transport.calls == 5


def test_non_retryable_error_keeps_lazada_message(sim, shop):
    adapter = make_adapter(sim, shop)
    with pytest.raises(common.MarketplaceError) as caught:
        adapter.ship_order("999", "TRACK-1")
    assert caught.value.code == "16" and caught.value.message == 'E016: "999" Invalid Order ID'
    assert str(caught.value) == '[16] E016: "999" Invalid Order ID'
    assert adapter.transport.calls == 1
    excerpts = caught.value.request_excerpt + caught.value.response_excerpt
    assert adapter.access_token not in excerpts and shop.app_secret not in excerpts
    assert "999" in caught.value.request_excerpt


@pytest.mark.parametrize(
    ("payload", "kind", "retryable"),
    [
        (
            {
                "type": "ISV",
                "code": "ApiCallLimit",
                "message": "Api access frequency exceeds the limit. this ban will last 3 seconds.",
            },
            "RateLimited",
            True,
        ),
        (
            {
                "code": "901",
                "message": "E901: The request is too frequent, or the requested functionality is temporarily disabled.",
            },
            "RateLimited",
            True,
        ),
        (
            {
                "type": "ISV",
                "code": "IllegalAccessToken",
                "message": "The specified access token is invalid or expired",
            },
            "AuthError",
            False,
        ),
        (
            {
                "type": "ISV",
                "code": "MissingParameter",
                "message": "The input parameter “access_token” that is mandatory for processing this request is not supplied",
            },
            "AuthError",
            False,
        ),
        (
            {
                "type": "SYSTEM",
                "code": "ServiceTimeout",
                "message": "The request has failed due to service timeout",
            },
            "MarketplaceError",
            True,
        ),
        (
            {
                "type": "ISP",
                "code": "InternalError",
                "message": "The request has failed due to an internal error",
            },
            "MarketplaceError",
            True,
        ),
        (
            {"type": "ISP", "code": "6", "message": "E006: Unexpected internal error"},
            "MarketplaceError",
            True,
        ),
        (
            {
                "type": "ISV",
                "code": "IncompleteSignature",
                "message": "The request signature does not conform to platform standards",
            },
            "MarketplaceError",
            False,
        ),
        ({"type": "ISV", "code": "6", "message": "Invalid status filter"}, "MarketplaceError", False),
    ],
)
def test_error_mapping(payload, kind, retryable):
    error = LazadaAdapter._error(payload)
    assert type(error).__name__ == kind and error.retryable == retryable
    assert error.code == payload["code"] and error.message == payload["message"]
    if payload["code"] == "ApiCallLimit":
        assert error.retry_after == 3


# -- catalogue -----------------------------------------------------------------------------------
def add_catalogue(sim, shop, products):
    listings = []
    for index in range(products):
        item_id = 500000 + index
        models = (None,) if index % 3 == 0 else (700000 + 2 * index, 700001 + 2 * index)
        for model in models:
            listings.append(
                sim.add_listing(
                    "lazada",
                    shop.shop_id,
                    item_id,
                    model,
                    sku=f"LZ-{index}-{model or 0}",
                    name=f"Sản phẩm {index}",
                    price="199000.00",
                    stock=5,
                )
            )
    return listings


def test_listings_paging(sim, shop):
    listings = add_catalogue(sim, shop, 120)
    adapter = make_adapter(sim, shop)
    pages = list(adapter.iter_listings())
    assert len(pages) == 3 and adapter.transport.calls == 3  # 50 + 50 + 20 products
    found = {listing.key: listing for page in pages for listing in page}
    assert sorted(found) == sorted(common.listing_key(v.item_id, v.model_id) for v in listings)
    sample = found["500001/700002"]
    assert (sample.sku, sample.name, sample.price, sample.quantity) == (
        "LZ-1-700002",
        "Sản phẩm 1",
        Decimal("199000"),
        5,
    )
    assert found["500000"].model_id is None and found["500000"].sku == "LZ-0-0"


def test_update_stock_in_batches_one_unknown_sku_fails_alone(sim, shop):
    listings = add_catalogue(sim, shop, 79)[:119]
    adapter = make_adapter(sim, shop)
    updates = [common.StockUpdate(v.item_id, v.model_id, v.sku, 10 + i) for i, v in enumerate(listings)]
    updates.insert(60, common.StockUpdate("999999", "888888", "GHOST", 4))
    assert len(updates) == 120
    results = []
    for start in range(0, len(updates), adapter.max_batch):
        results += adapter.update_stock(updates[start : start + adapter.max_batch])
    assert adapter.transport.calls == 3
    failed = [r for r in results if not r.ok]
    assert [(r.key, r.error) for r in failed] == [("999999/888888", "SELLER_SKU_INVALID")]
    assert len(results) == 120 and [r.key for r in results] == [u.key for u in updates]
    assert {(p[2], p[3]): p[4] for p in sim.stock_pushes} == {
        (u.item_id, u.model_id): u.quantity for u in updates if u.sku != "GHOST"
    }
    assert sim.listing("lazada", shop.shop_id, listings[0].item_id).stock == 10
    with pytest.raises(ValueError):
        adapter.update_stock(updates[:51])


def test_stock_payload_is_lazada_xml(sim, shop):
    adapter = make_adapter(sim, shop)
    xml = adapter._sku_xml(
        [common.StockUpdate("6718170187", "12761620980", "A&B <1>", 200)], "Quantity", lambda u: u.quantity
    )
    assert xml == (
        "<Request><Product><Skus><Sku><ItemId>6718170187</ItemId><SkuId>12761620980</SkuId>"
        "<SellerSku>A&amp;B &lt;1&gt;</SellerSku><Quantity>200</Quantity></Sku></Skus></Product></Request>"
    )
    assert ET.fromstring(xml).findtext("./Product/Skus/Sku/SellerSku") == "A&B <1>"


def test_update_price(sim, shop):
    listings = add_catalogue(sim, shop, 3)
    adapter = make_adapter(sim, shop)
    updates = [
        common.PriceUpdate(v.item_id, v.model_id, v.sku, Decimal("150000.5") + i)
        for i, v in enumerate(listings)
    ]
    updates[-1].price = Decimal(0)
    results = adapter.update_price(updates)
    assert [r.ok for r in results] == [True] * (len(listings) - 1) + [False]
    assert results[-1].error == "VALUE_INVALID"
    for index, listing in enumerate(listings[:-1]):
        assert (
            sim.listing("lazada", shop.shop_id, listing.item_id, listing.model_id).price
            == Decimal("150000.50") + index
        )
    assert sim.listing("lazada", shop.shop_id, listings[-1].item_id, listings[-1].model_id).price == Decimal(
        "199000"
    )
    assert len(sim.price_pushes) == len(listings) - 1
    assert adapter.update_price([]) == []


# -- fulfilment ----------------------------------------------------------------------------------
def test_ship_order_packs_then_ready_to_ship(sim, shop):
    order = sim.add_order(
        "lazada",
        shop.shop_id,
        [{"item_id": 1, "model_id": 2, "sku": "A", "quantity": 2, "unit_price": 50000}],
        external_id="8001",
    )
    adapter = make_adapter(sim, shop)
    tracking = adapter.ship_order("8001", "MY-OWN-123")
    assert tracking.startswith("LEXVN")
    assert sim.shipments == [("lazada", "8001", tracking)]
    assert [p for (_m, _method, p) in sim.calls][-3:] == [
        "/rest/order/items/get",
        "/rest/order/fulfill/pack",
        "/rest/order/package/rts",
    ]
    assert order.status == "shipped"
    [shipped] = adapter.get_orders(["8001"])
    assert (shipped.status, shipped.raw_status) == ("shipped", "ready_to_ship")
    assert (shipped.tracking_number, shipped.shipping_carrier) == (tracking, "LEX VN")
    assert adapter.ship_order("8001", "MY-OWN-123") == tracking  # already handed over: nothing sent
    assert len(sim.shipments) == 1

    sim.add_order(
        "lazada", shop.shop_id, [{"item_id": 1, "unit_price": 1}], status="unpaid", external_id="8002"
    )
    with pytest.raises(common.MarketplaceError, match="unpaid"):
        adapter.ship_order("8002", None)


def test_ship_order_finishes_a_packed_order(sim, shop):
    sim.add_order(
        "lazada", shop.shop_id, [{"item_id": 1, "model_id": 2, "unit_price": 1000}], external_id="8101"
    )
    adapter = make_adapter(sim, shop)
    adapter._fulfilment(
        "/order/fulfill/pack",
        {
            "packReq": json.dumps(
                {
                    "pack_order_list": [{"order_id": 8101, "order_item_list": [8101001]}],
                    "delivery_type": "dropship",
                    "shipping_allocate_type": "TFS",
                }
            )
        },
    )
    assert adapter.get_orders(["8101"])[0].raw_status == "packed"
    tracking = adapter.ship_order("8101", None)
    assert sim.shipments == [("lazada", "8101", tracking)]
    assert [p for (_m, _method, p) in sim.calls][-2:] == ["/rest/order/items/get", "/rest/order/package/rts"]


# -- webhooks ------------------------------------------------------------------------------------
def test_webhook_verification_and_parsing(sim, shop):
    order = sim.add_order(
        "lazada", shop.shop_id, [{"item_id": 1, "model_id": 2, "unit_price": 1000}], status="unpaid", at=T0
    )
    url = "https://erp.example/o2o/marketplace/lazada/webhook"
    headers, body = sim.webhook_request("lazada", order.external_id, url)
    keys = {"app_key": shop.app_key, "app_secret": shop.app_secret}
    assert LazadaAdapter.verify_webhook(url=url, body=body, headers=headers, **keys)
    lower = {k.lower(): v for k, v in headers.items()}
    assert LazadaAdapter.verify_webhook(url=url, body=body, headers=lower, **keys)

    forged = {**headers, "Authorization": "0" * 64}
    assert not LazadaAdapter.verify_webhook(url=url, body=body, headers=forged, **keys)
    assert not LazadaAdapter.verify_webhook(
        url=url, body=body, headers={"Content-Type": "application/json"}, **keys
    )
    reserialised = json.dumps(json.loads(body)).encode()
    assert reserialised != body and json.loads(reserialised) == json.loads(body)
    assert not LazadaAdapter.verify_webhook(url=url, body=reserialised, headers=headers, **keys)
    assert not LazadaAdapter.verify_webhook(
        url=url, body=body, headers=headers, app_key=shop.app_key, app_secret="x"
    )

    [event] = LazadaAdapter.parse_webhook(body)
    assert event == common.WebhookEvent(
        kind="order_status",
        shop_external_id=shop.shop_id,
        order_external_id=order.external_id,
        raw_status="unpaid",
        update_time=utc(T0),
        sent_at=event.sent_at,
    )
    # Lazada's push timestamp is in milliseconds: when it was signed, to the second
    stamp = json.loads(body)["timestamp"]
    assert stamp > 10**12 and event.sent_at == utc(stamp // 1000)
    assert LazadaAdapter.webhook_response()[0] == 200


def test_parse_documented_push_messages():
    # Samples of the Lazada Push Mechanism page (comments removed).
    trade = {
        "seller_id": "1234567",
        "message_type": 0,
        "data": {
            "order_status": "unpaid",
            "status_update_time": 1603698638,
            "trade_order_id": "260422900198363",
            "trade_order_line_id": "260422900298363",
        },
        "timestamp": 1603766859530,
        "site": "lazada_vn",
    }
    [event] = LazadaAdapter.parse_webhook(json.dumps(trade).encode())
    assert (event.kind, event.order_external_id, event.raw_status) == (
        "order_status",
        "260422900198363",
        "unpaid",
    )
    assert event.update_time == datetime.datetime(2020, 10, 26, 7, 50, 38)
    reverse = {
        "seller_id": "12345",
        "message_type": 10,
        "data": {
            "reverse_order_id": 658960600102006,
            "reverse_status": "RTM_INIT",
            "trade_order_id": 416557324702006,
            "status_update_time": 1626767698,
        },
        "timestamp": 1627889609,
        "site": "lazada_sg",
    }
    [event] = LazadaAdapter.parse_webhook(json.dumps(reverse))
    assert (event.kind, event.order_external_id, event.raw_status) == ("other", "416557324702006", "RTM_INIT")
    alert = {
        "seller_id": "null",
        "message_type": 8,
        "data": {"app_key": "115527", "auth_expiry_time": 1627542238, "seller_id": "1000165972"},
        "timestamp": 1627416758,
        "site": "lazada_ph",
    }
    [event] = LazadaAdapter.parse_webhook(json.dumps(alert))
    assert (event.kind, event.shop_external_id, event.order_external_id) == ("other", "1000165972", None)


def test_status_of_mixed_items():
    assert LazadaAdapter.order_status(["canceled", "pending"]) == ("ready_to_ship", "pending")
    assert LazadaAdapter.order_status(["canceled", "canceled"]) == ("cancelled", "canceled")
    assert LazadaAdapter.order_status(["delivered", "returned"]) == ("completed", "delivered")
    assert LazadaAdapter.order_status(["ready_to_ship", "packed"]) == ("ready_to_ship", "packed")
    assert set(lazada.ORDER_STATUS_MAP.values()) == set(common.ORDER_STATUSES)


def test_time_formats():
    assert lazada.parse_time("2014-10-15 18:36:05 +0800") == datetime.datetime(2014, 10, 15, 10, 36, 5)
    assert lazada.parse_time("2018-02-09T22:44:30+08:00") == datetime.datetime(2018, 2, 9, 14, 44, 30)
    assert lazada.parse_time("1414548487000") == datetime.datetime(2014, 10, 29, 2, 8, 7)
    assert common.amount("1,299.00") == Decimal("1299.00")

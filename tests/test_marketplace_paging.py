"""Order paging that shifts under the connector (issue 11, point 1).

Marketplaces list orders by update time. When an order already read is updated while the connector
pages (a buyer cancels, the marketplace packs it), it leaves the window and every later order moves
up one place: paging by offset (or an offset-like cursor) then skips the order at the next page's
edge. These tests run each adapter against the simulator while orders change between pages.
"""

import time

import pytest
from conftest import load_pure
from marketplace_sim import make_simulator

common = load_pure("o2o_marketplace", "adapters.common")
shopee = load_pure("o2o_marketplace", "adapters.shopee")
lazada = load_pure("o2o_marketplace", "adapters.lazada")
tiktok = load_pure("o2o_marketplace", "adapters.tiktok")

MARKETPLACES = ("shopee", "lazada", "tiktok")


@pytest.fixture(scope="module")
def server():
    simulator = make_simulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def sim(server):
    with server.lock:
        for store in (server.shops, server.orders, server.listings, server.rate_limit, server._window):
            store.clear()
        server.calls.clear()
        server.offset = 0
    server.faults.clear()
    server.clear_page_hooks()
    yield server
    server.clear_page_hooks()


def make_adapter(sim, marketplace):
    shop = sim.add_shop(marketplace, region="VN", currency="VND")
    access = sim.issue_tokens(shop)[0]
    kwargs = {
        "app_key": shop.app_key,
        "app_secret": shop.app_secret,
        "shop_id": shop.shop_id,
        "access_token": access,
        "transport": common.Transport(sleep=lambda _s: None),
    }
    if marketplace == "shopee":
        return shop, shopee.ShopeeAdapter(host=sim.url("shopee"), **kwargs)
    if marketplace == "lazada":
        return shop, lazada.LazadaAdapter(
            host=sim.url("lazada") + "/rest", auth_host=sim.url("lazada") + "/auth/rest", **kwargs
        )
    from marketplace_sim import tiktok as tiktok_sim

    return shop, tiktok.TiktokAdapter(
        host=sim.url("tiktok"), auth_host=sim.url("tiktok"), shop_cipher=tiktok_sim.cipher_of(shop), **kwargs
    )


def add_orders(sim, marketplace, shop, count, start, step=60):
    """``count`` paid orders, one every ``step`` seconds from ``start``, oldest first."""
    line = {"item_id": "3001", "sku": "SKU-1", "name": "Áo thun", "quantity": 1, "unit_price": 120000}
    return [
        sim.add_order(marketplace, shop.shop_id, [line], at=start + index * step, shipping_fee=15000)
        for index in range(count)
    ]


def read_run(adapter, since, until):
    """Every order the adapter yields for [since, until], in order, and the seconds it took."""
    started = time.monotonic()
    seen = [order for page in adapter.iter_orders(since, until) for order in page]
    return seen, time.monotonic() - started


def utc(seconds):
    return common.utc_from_timestamp(seconds)


@pytest.mark.parametrize("marketplace", MARKETPLACES)
def test_paging_shift_an_order_cancelled_after_the_first_page_skips_none(sim, marketplace):
    """150 orders; the first one is cancelled once page 1 is served: it leaves the window."""
    shop, adapter = make_adapter(sim, marketplace)
    start = sim.now() - 3 * 86400
    created = add_orders(sim, marketplace, shop, 150, start)
    until = sim.now()

    def cancel_first(page):
        if page == 1:
            sim.set_order_status(marketplace, created[0].external_id, "cancelled", at=until + 5)

    sim.after_order_page(marketplace, cancel_first)
    seen, _seconds = read_run(adapter, utc(start), utc(until))
    ids = [order.external_id for order in seen]
    assert sorted(ids) == sorted(o.external_id for o in created), "no order is skipped"
    assert len(ids) == len(set(ids)), "and none is read twice"
    # the next run (from this window's end minus the overlap) brings the cancellation
    later, _seconds = read_run(adapter, utc(until - 600), utc(sim.now() + 60))
    assert [(o.external_id, o.status) for o in later] == [(created[0].external_id, "cancelled")]


@pytest.mark.parametrize("marketplace", MARKETPLACES)
def test_paging_shift_1000_orders_updated_between_pages_each_read_once(sim, marketplace):
    """1,000 orders while two orders already read are updated after every page: 1,000 orders, once each.

    The figures (orders seen, duplicates, list calls, seconds) are printed for the report (``-s``)."""
    shop, adapter = make_adapter(sim, marketplace)
    start = sim.now() - 5 * 86400
    created = add_orders(sim, marketplace, shop, 1000, start, step=37)
    until = sim.now()
    updated = []

    def update_read_orders(page):
        # the two oldest orders not yet updated: read by page 1 already, whatever the paging
        for order in created[len(updated) : len(updated) + 2]:
            status = "cancelled" if len(updated) % 2 else "shipped"
            sim.set_order_status(marketplace, order.external_id, status, at=until + 1 + page)
            updated.append(order.external_id)

    sim.after_order_page(marketplace, update_read_orders)
    seen, seconds = read_run(adapter, utc(start), utc(until))
    sim.clear_page_hooks()
    ids = [order.external_id for order in seen]
    duplicates = len(ids) - len(set(ids))
    list_calls = sum(1 for (m, _method, path) in sim.calls if m == marketplace and _is_list(path))
    print(
        f"\n{marketplace}: {len(set(ids))} of {len(created)} orders seen, {duplicates} duplicates, "
        f"{len(updated)} updated while paging, {list_calls} list calls, "
        f"{adapter.transport.calls} API calls, {seconds:.2f}s"
    )
    assert len(updated) >= 10, "orders were updated between pages"
    assert sorted(ids) == sorted(o.external_id for o in created)
    assert duplicates == 0
    # the updated orders come with the next run, with their new status
    later, _seconds = read_run(adapter, utc(until - 600), utc(sim.now() + 3600))
    assert sorted(o.external_id for o in later) == sorted(updated)
    assert {o.external_id: o.status for o in later} == {
        external_id: sim.order(marketplace, external_id).status for external_id in updated
    }


def _is_list(path):
    return path.endswith(("/get_order_list", "/orders/get", "/orders/search"))


def test_paging_shift_the_simulator_reproduces_the_shift(sim):
    """The simulator's hook really moves orders between two pages (what the tests above rely on)."""
    shop, adapter = make_adapter(sim, "lazada")
    start = sim.now() - 86400
    created = add_orders(sim, "lazada", shop, 150, start)
    until = sim.now()
    sim.after_order_page(
        "lazada",
        lambda page: page == 1 and sim.set_order_status("lazada", created[0].external_id, "cancelled"),
    )
    params = {
        "update_after": lazada._iso(utc(start)),
        "update_before": lazada._iso(utc(until)),
        "sort_by": "updated_at",
        "sort_direction": "ASC",
        "limit": 100,
    }
    first = adapter._call("/orders/get", {**params, "offset": 0})["data"]["orders"]
    second = adapter._call("/orders/get", {**params, "offset": 100})["data"]["orders"]
    read = {str(o["order_id"]) for o in first + second}
    assert created[100].external_id not in read, "offset paging skips the order at the page's edge"

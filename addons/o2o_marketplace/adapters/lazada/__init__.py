"""Lazada Open Platform (LazOP) client: signing, orders, catalogue, fulfilment and push messages.

Formats follow Lazada's API reference (https://open.lazada.com/apps/doc/api?path=<api path>), its
guides (signature docId 108068, HTTP request sample 108069, Get Order 121327, Fulfillment orders
121328 and the new fulfilment API announcement 120985, Lazada Push Mechanism 120168) and the official
SDKs (Java sample of the signature page; Python SDK "lazop-sdk-python-20181207", on PyPI as
``lazop-sdk``, module ``lazop_sdk``). Every call is ``<host><api path>`` with the system parameters
``app_key``, ``timestamp`` (ms), ``sign_method=sha256``, ``access_token`` and ``sign``; answers are
JSON ``{"code": "0", "data": ..., "request_id": ...}``, errors ``{"type", "code" != "0", "message",
"request_id"[, "detail"]}`` with HTTP 200 ("detail" lists the failed entries of a batch call).

Lazada specifics the Odoo side should know:

* An order's lines are per unit: GetOrderItems returns one order item per piece sold, with its own
  status, vouchers and package. Items of the same SKU and price are grouped back into one
  :class:`OrderLine` (quantity = number of items).
* Seller-funded discounts (seller vouchers, flexi combos) come allocated per item in
  ``voucher_seller``: they become the line's ``discount``; whatever the order-level
  ``voucher_seller`` has beyond the items' sum becomes ``seller_voucher``. Platform vouchers
  (``voucher_platform``) become ``platform_voucher``. Lazada gives no "price before special price".
* Fulfilment uses the current API (the old ``/order/pack`` + ``/order/rts`` pair was taken offline
  on 30 April 2023): ``/order/fulfill/pack`` then ``/order/package/rts``. The tracking number is
  allocated by Lazada's logistics at packing and cannot be chosen by the seller, so
  :meth:`LazadaAdapter.ship_order` ignores the given one and returns Lazada's.
* Lazada has no e-mail for buyers; phones are usually masked (``******78``).

Layout, as Odoo's payment providers: ``signing`` (pure functions, checked against the SDKs' and
guides' examples), ``client`` (calls, errors, paging: :class:`LazadaAdapter`), ``mapping`` (raw
answers -> :class:`~..common.Order` / :class:`~..common.Listing`, no I/O).
"""

from .client import AUTH_HOST, LazadaAdapter, _iso
from .mapping import ORDER_STATUS_MAP, order_from_lazada, parse_time
from .signing import sign_request, verify_webhook_signature, webhook_signature

__all__ = [
    "AUTH_HOST",
    "ORDER_STATUS_MAP",
    "LazadaAdapter",
    "_iso",
    "order_from_lazada",
    "parse_time",
    "sign_request",
    "verify_webhook_signature",
    "webhook_signature",
]

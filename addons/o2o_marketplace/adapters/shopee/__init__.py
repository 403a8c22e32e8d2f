"""Shopee Open Platform v2 client: signing, shop authorisation, orders, catalogue, stock, price, push.

Sources (formats, limits, error codes):

* Open Platform developer guide 16 "API calls" (https://open.shopee.com/developer-guide/16): sign base
  strings, common query parameters, the ``error``/``message``/``request_id`` envelope.
* Developer guide 20 "Authorization and Authentication" (https://open.shopee.com/developer-guide/20):
  ``/api/v2/shop/auth_partner``, ``/api/v2/auth/token/get``, ``/api/v2/auth/access_token/get``
  (access token 4 h, single-use refresh token valid 30 days, answers without a ``response`` wrapper).
* Developer guide 18 "Push Mechanism" (https://open.shopee.com/developer-guide/18): push
  ``Authorization`` header = hex HMAC-SHA256 of ``url + "|" + raw body``; acknowledge with 2xx and an
  EMPTY body.
* API reference pages (https://open.shopee.com/documents/v2/...), as mirrored in the JSON schemas of
  github.com/congminh1254/shopee-sdk (``schemas/v2.*.json``): request/response fields and error lists
  of ``v2.order.get_order_list``, ``v2.order.get_order_detail``, ``v2.payment.get_escrow_detail_batch``,
  ``v2.product.get_item_list``, ``v2.product.get_item_base_info``, ``v2.product.get_model_list``,
  ``v2.product.update_stock``, ``v2.product.update_price``, ``v2.logistics.ship_order``.

Plain Python: no ORM import. ``app_key`` is Shopee's ``partner_id``, ``app_secret`` its partner key.

Layout, as Odoo's payment providers: ``signing`` (pure functions, the documented examples are test
vectors), ``client`` (calls, errors, paging: :class:`ShopeeAdapter`), ``mapping`` (raw answers ->
:class:`~..common.Order` / :class:`~..common.Listing`, no I/O).
"""

from .client import ORDER_LIST, ShopeeAdapter
from .mapping import ORDER_STATUS_MAP, order_from_shopee
from .signing import api_sign, hmac_sha256_hex, push_signature, sign_base_string, verify_push_signature

__all__ = [
    "ORDER_LIST",
    "ORDER_STATUS_MAP",
    "ShopeeAdapter",
    "api_sign",
    "hmac_sha256_hex",
    "order_from_shopee",
    "push_signature",
    "sign_base_string",
    "verify_push_signature",
]

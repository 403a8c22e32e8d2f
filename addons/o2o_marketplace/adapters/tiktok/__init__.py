"""TikTok Shop Open API, version 202309, for one shop.

Formats follow TikTok Shop Partner Center (https://partner.tiktokshop.com/docv2/): "Sign your API request"
(page ``sign-your-api-request``, whose worked example is a test vector here), "Get Authorized Shops",
"Get Order List" / "Get Order Detail", "Mark Package As Shipped", "Search Products", "Update Inventory",
"Update Price" and "Common errors". Where the pages say nothing we follow the
SKIT.FlurlHttpClient.ByteDance.TikTokGlobalShop SDK
(github.com/fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance), which pins TikTok's own signing examples
in its tests. The webhook signature (no published vector) is the recipe restated by hookdeck's TikTok Shop
webhook notes and implemented by github.com/easycb/easycb-go (tiktok/sign.go).

Choices worth knowing:

- Authorisation: the seller opens ``{auth_host}/oauth/authorize?app_key=..&state=..`` (the link on
  auth.tiktok-shops.com) or, when the app has a Partner Center service id,
  ``https://services.tiktokshop.com/open/authorize?service_id=..&state=..``. TikTok redirects to the
  redirect URL registered with the app, not to a URL given in the link, so ``redirect_uri`` is not sent.
- The token endpoints take the app secret in the query string (TikTok's design); those parameters are
  wrapped so that error excerpts and our log lines show them redacted (urllib3's DEBUG log of the
  request line still holds them).
- Shop-scoped calls need the shop's ``cipher`` (Get Authorized Shops). It is fetched once and kept on the
  adapter (``shop_cipher``, together with ``region``); after a code exchange the shop id is returned as
  ``TokenSet.shop_external_id`` (webhooks carry that id) and the cipher stays readable on the adapter so
  the caller may store it and pass it back (``shop_cipher=``) to save the look-up.
- Shipping uses the seller-shipping flow "Mark Package As Shipped"
  (``POST /fulfillment/202309/orders/{order_id}/packages`` with tracking number and TikTok's
  ``shipping_provider_id``); orders shipped by TikTok's own logistics are not handled here.
- A SKU id equal to its product id stands for a product known without its SKU id (the simulator's
  single-SKU listings); on TikTok every SKU has its own id, so this never happens with real data.

Layout, as Odoo's payment providers: ``signing`` (pure functions; TikTok's worked example is a test
vector), ``client`` (calls, errors, paging: :class:`TiktokAdapter`), ``mapping`` (raw answers ->
:class:`~..common.Order` / :class:`~..common.Listing`, no I/O).
"""

from .client import TiktokAdapter
from .mapping import ORDER_STATUS_MAP, order_from_tiktok
from .signing import sign_request, signature_base, verify_webhook_signature, webhook_signature

__all__ = [
    "ORDER_STATUS_MAP",
    "TiktokAdapter",
    "order_from_tiktok",
    "sign_request",
    "signature_base",
    "verify_webhook_signature",
    "webhook_signature",
]

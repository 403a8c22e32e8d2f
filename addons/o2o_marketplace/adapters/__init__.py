"""Plain-Python marketplace clients (no ORM): one module per marketplace, common records in ``common``."""

from .common import (
    ORDER_STATUSES,
    Adapter,
    AuthError,
    Buyer,
    ItemResult,
    Listing,
    MarketplaceError,
    Order,
    OrderHead,
    OrderLine,
    PriceUpdate,
    RateLimited,
    StockUpdate,
    TokenSet,
    Transport,
    UnreadableOrder,
    WebhookEvent,
    listing_key,
)

MARKETPLACES = ("shopee", "lazada", "tiktok")


def adapter_class(marketplace):
    """The :class:`Adapter` subclass of ``marketplace`` (one of :data:`MARKETPLACES`)."""
    if marketplace == "shopee":
        from .shopee import ShopeeAdapter

        return ShopeeAdapter
    if marketplace == "lazada":
        from .lazada import LazadaAdapter

        return LazadaAdapter
    if marketplace == "tiktok":
        from .tiktok import TiktokAdapter

        return TiktokAdapter
    raise KeyError(marketplace)

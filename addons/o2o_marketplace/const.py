MARKETPLACES = [("shopee", "Shopee"), ("lazada", "Lazada"), ("tiktok", "TikTok Shop")]

#: Production API hosts per marketplace and region (a shop may point elsewhere, e.g. a sandbox).
DEFAULT_HOSTS = {
    "shopee": ("https://partner.shopeemobile.com", None),
    "lazada": ("https://api.lazada.vn/rest", "https://auth.lazada.com/rest"),
    "tiktok": ("https://open-api.tiktokglobalshop.com", "https://auth.tiktok-shops.com"),
}

JOB_KINDS = [
    ("orders", "Order import"),
    ("reconcile", "Order reconciliation"),
    ("order", "Order"),
    ("webhook", "Webhook"),
    ("listings", "Listing sync"),
    ("stock", "Stock push"),
    ("price", "Price push"),
    ("shipment", "Shipment push"),
    ("token", "Token refresh"),
]

#: Normalised marketplace statuses (adapters.ORDER_STATUSES) with their labels.
ORDER_STATUSES = [
    ("unpaid", "Unpaid"),
    ("ready_to_ship", "Ready to ship"),
    ("shipped", "Shipped"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("returned", "Returned"),
]

#: A failed item is retried this many times by the scheduler, then waits for a person.
MAX_ATTEMPTS = 5
#: Orders are searched again from this far before the saved position (late indexing).
ORDER_OVERLAP_MINUTES = 10
#: Refresh the access token when it expires within this many minutes.
TOKEN_MARGIN_MINUTES = 10
#: The daily order reconciliation looks back this many days.
ORDER_RECONCILE_DAYS = 3
#: A signed push older than this (hours), or dated this far ahead (minutes), is a replay: ignored.
WEBHOOK_MAX_AGE_HOURS = 24
WEBHOOK_MAX_AHEAD_MINUTES = 15
#: An authorisation started in Odoo must come back from the marketplace within this many minutes.
OAUTH_STATE_MINUTES = 10

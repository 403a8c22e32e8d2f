"""Values shared by the o2o addons."""

CHANNEL_TYPES = [
    ("website", "Website"),
    ("store", "Store (POS)"),
    ("marketplace", "Marketplace"),
    ("backoffice", "Back office / Phone"),
]

# Odoo's partner merge refuses more than this many partners in one go.
MERGE_MAX_PARTNERS = 3

# Largest value the QR helper renders, in UTF-8 bytes: a QR code (version 40, level M) holds
# 2,331 bytes, and a multi-byte character takes up to four.
QR_MAX_LENGTH = 2000

# Scope of the signature of a value the public QR route may render (odoo.tools.misc.hmac).
QR_HMAC_SCOPE = "o2o_qr"

# Public QR route: at most QR_RATE_LIMIT images per client address in QR_RATE_WINDOW seconds.
QR_RATE_LIMIT = 60
QR_RATE_WINDOW = 60

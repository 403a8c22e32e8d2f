"""Values shared by the o2o addons."""

CHANNEL_TYPES = [
    ("website", "Website"),
    ("store", "Store (POS)"),
    ("marketplace", "Marketplace"),
    ("backoffice", "Back office / Phone"),
]

# Odoo's partner merge refuses more than this many partners in one go.
MERGE_MAX_PARTNERS = 3

# Largest string the QR helper renders: a QR code (version 40, level M) holds 2,331 bytes.
QR_MAX_LENGTH = 2000

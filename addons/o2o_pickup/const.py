"""Values of the click & collect flow."""

PICKUP_STATES = [
    ("confirmed", "Confirmed"),
    ("preparing", "Preparing"),
    ("ready", "Ready for Pickup"),
    ("collected", "Collected"),
    ("expired", "Expired (No-show)"),
    ("cancelled", "Cancelled"),
]

# States in which the goods are held for the customer and the order can still be collected.
OPEN_STATES = ("confirmed", "preparing", "ready")

# Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 10 characters of a 32-letter alphabet: 50 bits of randomness.
CODE_LENGTH = 10

# Wrong pickup codes allowed per user and store in THROTTLE_WINDOW_MINUTES before they must wait.
THROTTLE_MAX_FAILURES = 5
THROTTLE_WINDOW_MINUTES = 10

#: Collected pickups are found by the customer's phone at the counter this long (returns).
RETURN_DAYS = 30

#: At most this many pickups are listed for a phone number at the counter.
PHONE_SEARCH_LIMIT = 5

#: Pickup slots are computed at most this many days ahead.
MAX_SLOT_DAYS = 31

#: The public earliest-pickup route answers for at most this many stores per request.
MAX_EARLIEST_STORES = 50

"""Values shared by the o2o_loyalty modules."""

EARN_MOMENTS = [
    ("paid", "When paid"),
    ("delivered", "When delivered or collected"),
]

TIER_BASES = [
    ("spend", "Spend over the last 12 months"),
    ("points", "Points earned over the last 12 months"),
]

# What a line of a member's history records (loyalty.history.o2o_kind).
HISTORY_KINDS = [
    ("earn", "Earned"),
    ("spend", "Spent"),
    ("reverse", "Reversed (return or cancellation)"),
    ("expire", "Expired"),
    ("adjust", "Manual adjustment"),
    ("conflict", "Offline sync conflict"),
]

# Tier review: rolling window of the tier basis, and how long a reached tier is kept.
TIER_WINDOW_MONTHS = 12

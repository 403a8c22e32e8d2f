"""Pure helpers of o2o_loyalty: lot arithmetic, proportions and tiers, without the ORM."""

import hashlib
import math

from dateutil.relativedelta import relativedelta


def expiry_date(earned_on, months):
    """The day points earned on ``earned_on`` expire, or None when they never do."""
    if not months or months <= 0:
        return None
    return earned_on + relativedelta(months=months)


def consume_fifo(lots, points):
    """Take ``points`` from ``lots`` oldest first.

    :param lots: iterable of (key, remaining) in the order they must be spent
    :return: (list of (key, taken), points that no lot could cover)
    """
    taken = []
    left = points
    for key, remaining in lots:
        if left <= 0:
            break
        if remaining <= 0:
            continue
        amount = min(remaining, left)
        taken.append((key, amount))
        left -= amount
    return taken, max(left, 0)


def tier_for(value, tiers):
    """The highest tier whose threshold ``value`` reaches.

    :param tiers: iterable of (key, threshold)
    :return: the key of that tier, or None when none is reached
    """
    best, best_threshold = None, None
    for key, threshold in tiers:
        if value >= threshold and (best_threshold is None or threshold >= best_threshold):
            best, best_threshold = key, threshold
    return best


def parse_points(value, maximum=1e9):
    """The number of points a shopper typed, or None when it is not a usable number.

    Rejects what ``float()`` accepts but no balance can hold: nan, inf, negatives, zero,
    amounts beyond ``maximum``.
    """
    try:
        points = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(points) or points <= 0 or points > maximum:
        return None
    return points


def code_guess_key(remote_addr, session_id):
    """Whom wrong codes are counted for on the website: one browser session at one address.

    Behind a proxy without ``proxy_mode`` every visitor has the proxy's address; the session
    keeps them apart. The session id is hashed: it is a credential.
    """
    digest = hashlib.sha256((session_id or "").encode()).hexdigest()[:16]
    return f"web:{remote_addr}:{digest}"

"""Pure helpers of o2o_pickup: pickup codes and the slot calendar."""

from datetime import timedelta

from odoo.addons.o2o_base.utils import random_code

from .const import CODE_ALPHABET, CODE_LENGTH


def new_pickup_code():
    """A random pickup code (about 50 bits), grouped for reading aloud: ``ABCDE-12345``.

    It always holds a letter, so that a phone number typed at the POS is never taken for one.
    """
    while True:
        raw = random_code(CODE_ALPHABET, CODE_LENGTH)
        if not raw.isdigit():
            return f"{raw[:5]}-{raw[5:]}"


def normalize_code(typed):
    """What a cashier typed or a scanner sent, in the stored form, or None if it cannot be a code.

    Case, spaces and dashes do not matter; the letters Crockford's base32 leaves out are read
    as the digits they look like (O as 0, I and L as 1).
    """
    if not typed:
        return None
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != CODE_LENGTH or cleaned.isdigit() or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:5]}-{cleaned[5:]}"


def split_into_slots(intervals, slot_minutes, not_before):
    """Cut opening intervals into whole pickup slots starting at or after ``not_before``.

    :param intervals: iterable of (start, end) aware datetimes, sorted
    :param int slot_minutes: length of a slot
    :param not_before: aware datetime; earlier slots are not offered
    :return: list of (start, end) aware datetimes
    """
    step = timedelta(minutes=slot_minutes)
    slots = []
    for start, end in intervals:
        slot_start = start
        while slot_start + step <= end:
            if slot_start >= not_before:
                slots.append((slot_start, slot_start + step))
            slot_start += step
    return slots

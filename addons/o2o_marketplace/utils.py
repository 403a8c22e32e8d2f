"""Plain helpers of the marketplace connector (no ORM)."""

from stdnum import ean


def valid_gtin(code):
    """The compact GTIN (EAN-8/13, UPC-A, GTIN-14) when ``code`` is one with a correct check digit."""
    if not code:
        return None
    try:
        return ean.validate(code)
    except ValueError:
        return None

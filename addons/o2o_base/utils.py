"""Pure helpers of o2o_base, usable and testable without the ORM."""

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.th import tin as th_tin
from stdnum.vn import mst as vn_mst
from werkzeug.urls import url_encode

from .const import QR_HMAC_SCOPE, QR_MAX_LENGTH

# Tax identifiers that Odoo's base_vat leaves unchecked (no check_vat_xx and no
# stdnum ``vat`` alias), or checks only through a python-stdnum alias that older
# stdnum releases lack. Keyed by lowercase ISO country code.
TAX_ID_VALIDATORS = {
    "vn": vn_mst,
    "th": th_tin,
}

TAX_ID_EXAMPLES = {
    "vn": "0100233488 or 0100233488-001",
    "th": "3101700145405",
}


def validate_tax_id(country_code, number):
    """Return the compact form of ``number`` or raise ``ValueError`` with the reason.

    Only countries in TAX_ID_VALIDATORS are checked; others return the number as is.
    """
    validator = TAX_ID_VALIDATORS.get((country_code or "").lower())
    if not validator:
        return number
    try:
        return validator.validate(number)
    except StdnumValidationError as error:
        raise ValueError(error.message) from error


def qr_image(value, fmt="png", box_size=6, border=2):
    """Render ``value`` as a QR code; returns the bytes of a PNG or SVG image."""
    if not value:
        raise ValueError("Nothing to encode in the QR code.")
    if len(value.encode()) > QR_MAX_LENGTH:
        raise ValueError(f"A QR code holds at most {QR_MAX_LENGTH} bytes.")
    if fmt not in ("png", "svg"):
        raise ValueError("QR format must be 'png' or 'svg'.")
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
    )
    qr.add_data(value)
    qr.make(fit=True)
    if fmt == "svg":
        image = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    else:
        image = qr.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_data_uri(value, fmt="png", box_size=6, border=2):
    """A ``data:`` URI of the QR code of ``value``, for portal pages and reports."""
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    payload = base64.b64encode(qr_image(value, fmt=fmt, box_size=box_size, border=border))
    return f"data:{mimetype};base64,{payload.decode()}"


def random_code(alphabet, length):
    """``length`` characters of ``alphabet`` from the system's secure random source: the codes
    that unlock an order (pickup) or a reward (member cards, coupons)."""
    return "".join(secrets.choice(alphabet) for _i in range(length))


def sign_token(env, scope, message, length=None):
    """The signature of ``message`` for ``scope``: Odoo's HMAC keyed with the database secret
    (as payment/utils.py signs access tokens), cut to ``length`` characters when given."""
    # Imported here: the rest of this module is used without Odoo.
    from odoo.tools.misc import hmac

    signature = hmac(env(su=True), scope, message)
    return signature[:length] if length else signature


def check_token(env, scope, message, signature, length=None):
    """Whether ``signature`` is the one of ``message`` for ``scope`` (in constant time)."""
    return isinstance(signature, str) and secrets.compare_digest(
        sign_token(env, scope, message, length), signature
    )


def qr_signature(env, value):
    """The signature that lets the public QR route render ``value`` (see ``qr_url``)."""
    return sign_token(env, QR_HMAC_SCOPE, value)


def qr_check_signature(env, value, signature):
    return check_token(env, QR_HMAC_SCOPE, value, signature)


def qr_url(env, value, fmt="png", size=None):
    """A relative URL of the public QR route that renders ``value``, signed for it.

    The route renders nothing else: what a QR shows is always something this database chose.
    """
    params = {"value": value, "sig": qr_signature(env, value)}
    if size:
        params["size"] = size
    return f"/o2o/qr/{fmt}?{url_encode(params)}"

"""Shopee signatures (developer guides 16 and 18): pure functions, checked against the documented
examples in the tests."""

from ..common import header_value, hmac_sha256_hex, signature_matches


def sign_base_string(partner_id, api_path, timestamp, access_token=None, shop_id=None):
    """Guide 16: public APIs ``partner_id + api_path + timestamp``; shop APIs append
    ``access_token + shop_id``. ``api_path`` has no host, e.g. ``/api/v2/order/get_order_list``."""
    base = f"{partner_id}{api_path}{int(timestamp)}"
    if access_token is not None or shop_id is not None:
        base += f"{access_token or ''}{shop_id or ''}"
    return base


def api_sign(partner_key, partner_id, api_path, timestamp, access_token=None, shop_id=None):
    """The ``sign`` query parameter of one call."""
    return hmac_sha256_hex(
        partner_key, sign_base_string(partner_id, api_path, timestamp, access_token, shop_id)
    )


def push_signature(partner_key, url, body):
    """Guide 18: ``Authorization`` of a push = hex HMAC-SHA256 of ``url + "|" + raw body``."""
    body = body.encode() if isinstance(body, str) else bytes(body or b"")
    return hmac_sha256_hex(partner_key, url.encode() + b"|" + body)


def verify_push_signature(partner_key, url, body, authorization):
    """Constant-time check of a push's ``Authorization`` header against the RAW body bytes."""
    if not partner_key or not authorization:
        return False
    return signature_matches(push_signature(partner_key, url, body), authorization)


def verify_webhook(*, url, body, headers, app_key, app_secret):
    """``Authorization`` header = hex HMAC-SHA256(partner key, callback URL + "|" + raw body)."""
    return verify_push_signature(app_secret, url, body or b"", header_value(headers, "authorization"))

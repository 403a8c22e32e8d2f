"""Lazada signatures: API calls (guide docId 108068, the SDKs' ``sign``) and push messages (Lazada
Push Mechanism, docId 120168). Pure functions."""

import hashlib
import hmac

from ..common import app_key_body_signature, header_value, signature_matches


# -- signing -------------------------------------------------------------------------------------
def sign_request(app_secret, api_path, params):
    """Lazada's ``sign``: HMAC-SHA256 (key: app secret) of ``api_path`` followed by every parameter
    sorted by name as ``name + value``, ``sign`` itself and file parameters excluded; upper-case hex.

    Same string as the Python SDK's ``lazop.sign`` and the Java sample ("Signature algorithm",
    https://open.lazada.com/apps/doc/doc?nodeId=10450&docId=108068). ``None`` values are left out;
    the adapter never sends empty values, which the Java SDK would skip and the Python one keep.
    """
    text = api_path + "".join(
        f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] is not None
    )
    return hmac.new(app_secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest().upper()


def webhook_signature(app_key, app_secret, body):
    """Lazada Push Mechanism ``Authorization`` header: hex(HMAC-SHA256(app secret, app key + raw body))."""
    return app_key_body_signature(app_key, app_secret, body)


def verify_webhook_signature(app_key, app_secret, body, signature):
    """True when ``signature`` (the ``Authorization`` header) signs the raw ``body`` bytes."""
    if not signature or not app_secret:
        return False
    return signature_matches(webhook_signature(app_key, app_secret, body), signature)


def verify_webhook(*, url, body, headers, app_key, app_secret):
    """The push's ``Authorization`` header against its raw body (the URL is not signed)."""
    return verify_webhook_signature(app_key, app_secret, body, header_value(headers, "authorization"))

"""TikTok Shop signatures ("Sign your API request"; pushes as restated by hookdeck and easycb-go).
Pure functions."""

import hashlib
import hmac

from ..common import app_key_body_signature, header_value, signature_matches

_SIGN_EXCLUDED = ("sign", "access_token")


# -- signing ----------------------------------------------------------------------------------------
def _as_bytes(value):
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def signature_base(path, params, body=b""):
    """What TikTok signs, before the app secret is wrapped around it.

    The API path, then every query parameter except ``sign`` and ``access_token`` as ``{key}{value}`` in
    key order, then the exact body bytes sent (none for GET and multipart requests).
    """
    keys = sorted(k for k, v in params.items() if k not in _SIGN_EXCLUDED and v is not None)
    return path.encode("utf-8") + "".join(f"{k}{params[k]}" for k in keys).encode("utf-8") + _as_bytes(body)


def sign_request(app_secret, path, params, body=b""):
    """``sign`` query parameter: hex HMAC-SHA256, keyed with the app secret, of
    ``app_secret + signature_base(path, params, body) + app_secret``."""
    secret = _as_bytes(app_secret)
    return hmac.new(secret, secret + signature_base(path, params, body) + secret, hashlib.sha256).hexdigest()


def webhook_signature(app_key, app_secret, body):
    """``Authorization`` header of a push: hex HMAC-SHA256, keyed with the app secret, of
    ``app_key + raw body``."""
    return app_key_body_signature(app_key, app_secret, _as_bytes(body))


def verify_webhook_signature(app_key, app_secret, body, signature):
    """True when ``signature`` (the ``Authorization`` header) signs the raw ``body`` bytes."""
    if not signature or not app_key or not app_secret:
        return False
    return signature_matches(webhook_signature(app_key, app_secret, body), signature)


def verify_webhook(*, url, body, headers, app_key, app_secret):
    """The push's ``Authorization`` header against its raw body (the URL is not signed)."""
    return verify_webhook_signature(app_key, app_secret, body, header_value(headers, "authorization"))

"""What every marketplace adapter speaks: normalised records, errors and one HTTP call with retries.

Plain Python (no ORM) so that signing, paging and error handling can be read and tested alone;
the Odoo models only ever see the records defined here.
"""

import dataclasses
import datetime
import hashlib
import hmac
import json
import logging
import random
import time
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import requests

_logger = logging.getLogger(__name__)

#: Normalised order states, in lifecycle order. A marketplace's own status is kept in ``raw_status``.
ORDER_STATUSES = ("unpaid", "ready_to_ship", "shipped", "completed", "cancelled", "returned")

EXCERPT = 2000


def excerpt(value, size=EXCERPT):
    """A short, log-safe text of a request or response body."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        value = json.dumps(value, default=str, ensure_ascii=False)
    return value if len(value) <= size else value[:size] + "…"


HIDDEN = "***"


def masked(value, keys):
    """``value`` as an excerpt may show it: the values of ``keys`` replaced by ``***``.

    A dict (query or form parameters) stays a dict, a list of pairs (an ordered query) becomes
    its query string, a JSON object body is read and masked; anything else is returned as is."""
    if not keys:
        return value
    if isinstance(value, (bytes, str)):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return masked(parsed, keys) if isinstance(parsed, dict) else value
    if isinstance(value, dict):
        return {k: HIDDEN if k in keys else v for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return urlencode([(k, HIDDEN if k in keys else v) for k, v in value], safe="*,")
    return value


def secret_values(value, keys):
    """The values of ``keys`` in a dict, a list of pairs or a JSON object body."""
    if isinstance(value, (bytes, str)):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    pairs = value.items() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [str(v) for k, v in pairs if k in keys and v not in (None, "")]


def redact(text, values):
    """``text`` with every one of ``values`` (tokens, codes, secrets) replaced by ``***``."""
    for value in values:
        if value and text:
            text = text.replace(value, HIDDEN)
    return text


def utc_from_timestamp(seconds):
    """Naive UTC datetime (Odoo's convention) from a Unix timestamp in seconds."""
    return datetime.datetime.fromtimestamp(int(seconds), datetime.timezone.utc).replace(tzinfo=None)


def to_timestamp(value):
    """Unix timestamp (int seconds) of a naive-UTC or aware datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return int(value.timestamp())


class MarketplaceError(Exception):
    """A call the marketplace refused or could not answer.

    ``retryable`` errors (throttling, 5xx, timeouts) are retried by :class:`Transport`; what reaches
    the caller carries the marketplace's own code and message for the job log.
    """

    def __init__(self, message, code=None, retryable=False, status=None, request=None, response=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable
        self.status = status
        self.request_excerpt = excerpt(request)
        self.response_excerpt = excerpt(response)

    def __str__(self):
        return f"[{self.code}] {self.message}" if self.code else self.message


class AuthError(MarketplaceError):
    """The access token is invalid or expired: refresh it, then call again."""


class RateLimited(MarketplaceError):
    """The marketplace throttled the call (retryable after ``retry_after`` seconds when given)."""

    def __init__(self, message, retry_after=None, **kwargs):
        kwargs.setdefault("retryable", True)
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


@dataclasses.dataclass
class TokenSet:
    access_token: str
    refresh_token: str
    access_expires_at: datetime.datetime  # naive UTC
    refresh_expires_at: datetime.datetime | None = None
    shop_external_id: str | None = None


@dataclasses.dataclass
class Buyer:
    external_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country_code: str | None = None  # ISO 3166 alpha-2


@dataclasses.dataclass
class OrderLine:
    item_id: str
    model_id: str | None
    sku: str | None
    name: str
    quantity: int
    unit_price: Decimal  # price before the seller's discount
    discount: Decimal = Decimal(0)  # seller discount on the whole line (amount, not %)

    @property
    def key(self):
        return listing_key(self.item_id, self.model_id)


@dataclasses.dataclass
class Order:
    """One marketplace order. Invariant: lines - discounts + shipping - vouchers == total_amount."""

    external_id: str
    status: str  # one of ORDER_STATUSES
    raw_status: str
    create_time: datetime.datetime  # naive UTC
    update_time: datetime.datetime  # naive UTC
    currency: str
    buyer: Buyer
    lines: list[OrderLine]
    shipping_fee: Decimal = Decimal(0)
    seller_voucher: Decimal = Decimal(0)
    platform_voucher: Decimal = Decimal(0)
    total_amount: Decimal = Decimal(0)
    shipping_carrier: str | None = None
    tracking_number: str | None = None


@dataclasses.dataclass
class UnreadableOrder:
    """An order the marketplace sent that could not be read (an amount that is not a number, a
    missing field): it fails alone, recorded and retried, while the rest of its page is imported."""

    external_id: str
    error: str
    update_time: datetime.datetime | None = None  # naive UTC, when it could be read


def map_orders(raws, mapper, marketplace, id_field, time_of=None):
    """``mapper(raw)`` for each raw order; an order that cannot be read becomes an
    :class:`UnreadableOrder` instead of failing the page (and, by a stuck position, every later
    order). ``time_of(raw)`` reads its update time where paging needs it."""
    orders = []
    for raw in raws:
        try:
            orders.append(mapper(raw))
        except (MarketplaceError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            external_id = raw.get(id_field) if isinstance(raw, dict) else None
            if external_id in (None, ""):
                raise MarketplaceError(
                    f"{marketplace} sent an order without {id_field}", code="order"
                ) from exc
            _logger.warning("%s order %s could not be read: %r", marketplace, external_id, exc)
            updated = None
            if time_of:
                try:
                    updated = time_of(raw)
                except (KeyError, TypeError, ValueError, OverflowError, OSError):
                    updated = None
            orders.append(
                UnreadableOrder(
                    external_id=str(external_id),
                    error=f"{marketplace} order {external_id} could not be read: {exc}",
                    update_time=updated,
                )
            )
    return orders


@dataclasses.dataclass
class OrderHead:
    """What an order list call tells of an order: enough to see whether Odoo holds it as it is."""

    external_id: str
    status: str | None  # normalised (ORDER_STATUSES); None when the list does not say
    raw_status: str | None = None
    update_time: datetime.datetime | None = None  # naive UTC; None when the list does not say


@dataclasses.dataclass
class Listing:
    item_id: str
    model_id: str | None
    sku: str | None
    name: str
    barcode: str | None = None
    price: Decimal | None = None
    quantity: int | None = None

    @property
    def key(self):
        return listing_key(self.item_id, self.model_id)


@dataclasses.dataclass
class StockUpdate:
    item_id: str
    model_id: str | None
    sku: str | None
    quantity: int

    @property
    def key(self):
        return listing_key(self.item_id, self.model_id)


@dataclasses.dataclass
class PriceUpdate:
    item_id: str
    model_id: str | None
    sku: str | None
    price: Decimal

    @property
    def key(self):
        return listing_key(self.item_id, self.model_id)


@dataclasses.dataclass
class ItemResult:
    """Outcome of one SKU in a batch call: failed SKUs are retried alone, the others are done."""

    key: str
    ok: bool
    error: str | None = None


@dataclasses.dataclass
class WebhookEvent:
    kind: str  # "order_status" or "other"
    shop_external_id: str | None
    order_external_id: str | None = None
    raw_status: str | None = None
    update_time: datetime.datetime | None = None  # naive UTC
    sent_at: datetime.datetime | None = None  # naive UTC: when the marketplace signed the push


def push_time(value):
    """Naive UTC time of a push's ``timestamp`` (seconds or milliseconds since the epoch), or None."""
    try:
        stamp = float(value)
    except (TypeError, ValueError):
        return None
    if stamp > 10**11:  # milliseconds (Lazada)
        stamp /= 1000
    try:
        return utc_from_timestamp(stamp)
    except (OverflowError, OSError, ValueError):
        return None


def signature_matches(expected, header):
    """Constant-time check of a push's signature header against the hex ``expected`` one.

    Compared as bytes, so a header in any encoding (a forged one with non-ASCII characters) is
    a wrong signature, never an error."""
    if not expected or not header:
        return False
    given = str(header).strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.lower().encode(), given)


def header_value(headers, name):
    """The value of header ``name`` in ``headers`` (any case), or None."""
    name = name.lower()
    return next((value for key, value in (headers or {}).items() if key.lower() == name), None)


def hmac_sha256_hex(key, message):
    """Lowercase hex HMAC-SHA256 (``key`` and ``message`` as text or bytes, text taken as UTF-8)."""
    key = key.encode("utf-8") if isinstance(key, str) else bytes(key or b"")
    message = message.encode("utf-8") if isinstance(message, str) else bytes(message or b"")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def app_key_body_signature(app_key, app_secret, body):
    """Push signature of Lazada and TikTok Shop: hex HMAC-SHA256, keyed with the app secret, of
    ``app_key + raw body``."""
    body = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    return hmac_sha256_hex(app_secret, str(app_key).encode("utf-8") + body)


def push_payload(body, marketplace):
    """The JSON object of a push body, or None for an empty body (a marketplace checking that the
    callback URL answers). A body that is not a JSON object raises ValueError, for every marketplace."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if not body or not body.strip():
        return None
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError(f"{marketplace} push is not a JSON object")
    return payload


def amount(value, default=Decimal(0)):
    """Decimal of a marketplace amount: a JSON number (read as Decimal or int), or text such as
    ``"1,299.00"`` or ``" 32 "``. Empty is ``default``; anything else is refused, never read as 0
    (an order whose amounts cannot be read is not imported with wrong totals)."""
    if value is None or value == "":
        return default
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MarketplaceError(f"Unreadable amount {value!r}", code="amount")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise MarketplaceError(f"Unreadable amount {value!r}", code="amount") from None
    if not number.is_finite():
        raise MarketplaceError(f"Unreadable amount {value!r}", code="amount")
    return number


def json_id(value):
    """An id as a request body sends it: a JSON number when it is digits (marketplaces' ids are
    int64), else text. Our records keep ids as text."""
    text = str(value)
    return int(text) if text.isdigit() else text


def chunks(values, size):
    """``values`` (a list) in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def order_status(status_map, raw_status, marketplace, order_id=None):
    """Our status of a marketplace status. One policy for a status the map does not know (a new one
    the marketplace added): "unpaid", logged, so that nothing is reserved or shipped on a guess; the
    order moves on with the next known status."""
    status = status_map.get(raw_status)
    if status is None:
        _logger.warning(
            "%s order %s: unknown status %r taken as unpaid", marketplace, order_id or "?", raw_status
        )
        return "unpaid"
    return status


def unit_lines(items, key, new_line, discount):
    """Order lines of marketplaces that list one item per unit sold (Lazada, TikTok Shop): items
    with the same ``key(item)`` make one :class:`OrderLine` (``new_line(item, key)`` makes it with
    quantity 1); each further unit adds 1 to the quantity and its ``discount(item)``."""
    lines = {}
    for item in items:
        item_key = key(item)
        line = lines.get(item_key)
        if line is None:
            lines[item_key] = new_line(item, item_key)
        else:
            line.quantity += 1
            line.discount += discount(item)
    return list(lines.values())


def listing_key(item_id, model_id):
    """Stable key of a listing variant: ``item`` or ``item/model``."""
    return f"{item_id}/{model_id}" if model_id not in (None, "", "0", 0) else str(item_id)


def keyset_pages(first_page, next_page, since):
    """Pages of a list sorted by update time (ascending), read so that an update cannot skip an order.

    Paging by offset (or by a cursor that is an offset) skips an order whenever an order already
    read is updated meanwhile: it leaves the window and every later order moves up one place. So
    each page is a new search from the last update time seen, and the orders of that second seen
    already are left out. Only a full page inside one second goes on with ``next_page``.

    ``first_page(start) -> (rows, cont)`` searches from ``start`` (inclusive);
    ``next_page(start, cont) -> (rows, cont)`` goes on inside that search; ``cont`` is None after the
    last page. ``rows`` are ``(id, update_time, record)``. Yields lists of records; an order comes
    again only with a newer update time.
    """
    start = since
    seen = set()  # (id, update time) yielded, from ``start`` on
    rows, cont = first_page(start)
    while True:
        fresh = []
        for order_id, updated, record in rows:
            if (order_id, updated) not in seen:
                seen.add((order_id, updated))
                fresh.append(record)
        if fresh:
            yield fresh
        if cont is None or not rows:
            return
        last = max((row[1] for row in rows if row[1] is not None), default=start)
        if last > start:
            start = last
            seen = {key for key in seen if key[1] is not None and key[1] >= start}
            rows, cont = first_page(start)
        else:
            rows, cont = next_page(start, cont)


class Transport:
    """Sends a call, retrying throttling, 5xx and timeouts with exponential backoff and jitter.

    ``prepare`` is called for every attempt, so a signature with a timestamp is always fresh.
    ``calls`` counts HTTP requests actually sent (the benchmark figure "API calls").
    """

    def __init__(
        self, session=None, timeout=20, max_retries=4, backoff=0.5, max_backoff=30, sleep=time.sleep
    ):
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.calls = 0
        self.retries = 0

    def _delay(self, attempt, retry_after=None):
        if retry_after:
            return min(float(retry_after), self.max_backoff)
        base = min(self.backoff * (2**attempt), self.max_backoff)
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311 - jitter, not a secret

    def send(self, prepare, check):
        """``prepare() -> dict(method, url, params, data, json, headers, secret_keys)``;
        ``check(status, payload, text)`` raises :class:`MarketplaceError` or returns the payload.

        The values of ``secret_keys`` (parameters, body keys or headers: tokens, signatures, codes)
        never reach an error: its request excerpt shows them as ``***`` and its message and
        response excerpt have them replaced, in case the marketplace echoes them."""
        attempt = 0
        while True:
            req = prepare()
            keys = frozenset(req.get("secret_keys", ()))
            sent = req.get("json") or req.get("data") or req.get("params")
            shown = masked(sent, keys)
            hidden = [
                *secret_values(req.get("params"), keys),
                *secret_values(req.get("json") or req.get("data"), keys),
                *secret_values(req.get("headers") or {}, keys),
            ]
            error = None
            try:
                self.calls += 1
                response = self.session.request(
                    req.get("method", "GET"),
                    req["url"],
                    params=req.get("params"),
                    data=req.get("data"),
                    json=req.get("json"),
                    headers=req.get("headers"),
                    timeout=self.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                error = MarketplaceError(
                    f"No answer from the marketplace: {exc.__class__.__name__}",
                    code="timeout",
                    retryable=True,
                    request=shown,
                )
            else:
                text = response.text
                try:
                    payload = response.json()
                except ValueError:
                    payload = None
                if response.status_code >= 500:
                    error = MarketplaceError(
                        f"Marketplace server error (HTTP {response.status_code})",
                        code=str(response.status_code),
                        retryable=True,
                        status=response.status_code,
                        request=shown,
                        response=text,
                    )
                else:
                    try:
                        return check(response.status_code, payload, text)
                    except MarketplaceError as exc:
                        if not exc.request_excerpt:
                            exc.request_excerpt = excerpt(shown)
                        if not exc.response_excerpt:
                            exc.response_excerpt = excerpt(text)
                        exc.status = exc.status or response.status_code
                        error = exc
            if hidden:
                error.request_excerpt = redact(error.request_excerpt, hidden)
                error.response_excerpt = redact(error.response_excerpt, hidden)
                error.message = redact(error.message, hidden)
                error.args = (error.message,)
            if not error.retryable or attempt >= self.max_retries:
                raise error
            delay = self._delay(attempt, getattr(error, "retry_after", None))
            _logger.info("marketplace call %s failed (%s), retry in %.1fs", req["url"], error, delay)
            self.retries += 1
            attempt += 1
            self.sleep(delay)


class Adapter:
    """One marketplace's API for one shop. Subclasses implement every method below.

    Construction never calls the network. ``host`` is the API base URL (the simulator's in tests).
    """

    marketplace = None
    #: Most SKUs one stock/price call may carry (the issue asks for at most 50).
    max_batch = 50
    #: Widest update-time window one order search may ask for.
    max_window = datetime.timedelta(days=15)

    def __init__(
        self,
        *,
        host,
        app_key,
        app_secret,
        shop_id=None,
        access_token=None,
        transport=None,
        clock=time.time,
        auth_host=None,
    ):
        self.host = host.rstrip("/")
        self.auth_host = (auth_host or host).rstrip("/")
        self.app_key = str(app_key)
        self.app_secret = app_secret
        self.shop_id = str(shop_id) if shop_id not in (None, "") else None
        self.access_token = access_token
        self.transport = transport or Transport()
        self.clock = clock

    # -- authorisation --------------------------------------------------------------------------
    def authorization_url(self, redirect_uri, state):
        raise NotImplementedError

    def exchange_code(self, code, **params):
        """Code from the authorisation redirect -> :class:`TokenSet`."""
        raise NotImplementedError

    def refresh_access_token(self, refresh_token):
        """-> :class:`TokenSet`; the marketplace may rotate the refresh token."""
        raise NotImplementedError

    # -- orders ---------------------------------------------------------------------------------
    def iter_orders(self, since, until):
        """Yield pages (lists of full :class:`Order`) updated in [since, until] (naive UTC).

        The caller keeps ``until - since <= max_window``.
        """
        raise NotImplementedError

    def iter_order_heads(self, since, until):
        """Yield pages of :class:`OrderHead` updated in [since, until], from list calls only (the
        reconciliation compares them with Odoo and fetches the few it lacks)."""
        raise NotImplementedError

    def get_orders(self, external_ids):
        """Full :class:`Order` records for the given ids (e.g. after a webhook)."""
        raise NotImplementedError

    def ship_order(self, external_id, tracking_number, carrier=None):
        raise NotImplementedError

    # -- catalogue ------------------------------------------------------------------------------
    def iter_listings(self):
        """Yield pages of :class:`Listing`, one per item variant."""
        raise NotImplementedError

    def update_stock(self, updates):
        """Push quantities; ``len(updates) <= max_batch``; -> list of :class:`ItemResult`."""
        raise NotImplementedError

    def update_price(self, updates):
        """Push prices; ``len(updates) <= max_batch``; -> list of :class:`ItemResult`."""
        raise NotImplementedError

    # -- webhooks -------------------------------------------------------------------------------
    @classmethod
    def verify_webhook(cls, *, url, body, headers, app_key, app_secret):
        """True when the raw ``body`` (bytes) is signed by the marketplace."""
        raise NotImplementedError

    @classmethod
    def parse_webhook(cls, body):
        """Raw body -> list of :class:`WebhookEvent`."""
        raise NotImplementedError

    @classmethod
    def webhook_response(cls):
        """(HTTP status, body, content type) the marketplace expects as acknowledgement."""
        return 200, "", "text/plain"

"""A shop's credentials: the marketplace's consent page and its callback, the tokens (refreshed
before they expire, a rotating refresh token never spent twice) and the adapter that calls the
marketplace with them."""

import datetime
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

from ..adapters import AuthError, MarketplaceError, Transport, adapter_class
from ..const import (
    TOKEN_MARGIN_MINUTES,
)

_logger = logging.getLogger(__name__)

MANAGER = "o2o_base.group_o2o_manager"


class O2oMarketplaceShop(models.Model):
    _inherit = "o2o.marketplace.shop"

    # ------------------------------------------------------------------
    # Credentials
    # ------------------------------------------------------------------

    def _o2o_transport(self):
        params = self.env["ir.config_parameter"].sudo()
        return Transport(
            timeout=float(params.get_param("o2o_marketplace.timeout", 20)),
            max_retries=int(params.get_param("o2o_marketplace.max_retries", 4)),
            backoff=float(params.get_param("o2o_marketplace.backoff", 0.5)),
        )

    def _o2o_adapter(self, access_token=None, transport=None):
        self.ensure_one()
        shop = self.sudo()
        return adapter_class(shop.marketplace)(
            host=shop.host,
            auth_host=shop.auth_host or None,
            app_key=shop.app_key,
            app_secret=shop.app_secret,
            shop_id=shop.shop_external_id,
            access_token=access_token,
            transport=transport or self._o2o_transport(),
        )

    def action_authorize(self):
        """Open the marketplace's consent page; it redirects back to our callback with a code.

        The ``state`` is a one-time nonce bound to this manager's browser session (see
        ``o2o.marketplace.oauth.state``), so the callback cannot be forged or replayed."""
        self.ensure_one()
        self._check_manager()
        session_id = request and request.session.sid
        if not session_id:
            raise UserError(
                self.env._("Authorise the shop from the Odoo web client: the authorisation is bound to it.")
            )
        state = self.env["o2o.marketplace.oauth.state"]._o2o_issue(self, session_id)
        redirect = f"{self.get_base_url()}/o2o/marketplace/oauth/{self.marketplace}"
        url = self._o2o_adapter().authorization_url(redirect, state)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _o2o_connect(self, code, **params):
        """Exchange the authorisation code for tokens (callback of :meth:`action_authorize`).

        Tokens of another shop than the configured one are never stored on this record."""
        self.ensure_one()
        shop = self.sudo()
        shop._o2o_check_shop_ref(params.get("shop_id") or params.get("seller_id"))
        tokens = self._o2o_adapter().exchange_code(code, **params)
        shop._o2o_check_shop_ref(tokens.shop_external_id)
        if tokens.shop_external_id and not shop.shop_external_id:
            shop.shop_external_id = tokens.shop_external_id
        shop._o2o_store_tokens(tokens)
        shop.message_post(
            body=self.env._("Connected to %(marketplace)s.", marketplace=shop._marketplace_label())
        )

    def _o2o_check_shop_ref(self, ref):
        """Refuse an authorisation of marketplace shop ``ref`` unless it is this shop."""
        if not ref:
            return
        ref = str(ref)
        if self.shop_external_id and ref != self.shop_external_id:
            raise UserError(
                self.env._(
                    "The marketplace authorised shop %(ref)s, but %(shop)s is shop %(configured)s: nothing "
                    "was changed. Sign in to %(marketplace)s as shop %(configured)s and authorise again.",
                    ref=ref,
                    shop=self.name,
                    configured=self.shop_external_id,
                    marketplace=self._marketplace_label(),
                )
            )
        other = (
            self.with_context(active_test=False)
            .sudo()
            .search(
                [
                    ("marketplace", "=", self.marketplace),
                    ("shop_external_id", "=", ref),
                    ("id", "!=", self.id),
                ]
            )
        )
        if other:
            raise UserError(
                self.env._(
                    "%(marketplace)s shop %(ref)s is already connected as %(other)s: nothing was changed.",
                    marketplace=self._marketplace_label(),
                    ref=ref,
                    other=other[0].name,
                )
            )

    def _o2o_store_tokens(self, tokens):
        token = self.sudo().token_id[:1]
        vals = {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "access_expires_at": tokens.access_expires_at,
            "refresh_expires_at": tokens.refresh_expires_at,
        }
        if token:
            token.write(vals)
        else:
            self.env["o2o.marketplace.token"].sudo().create({**vals, "shop_id": self.id})

    def _o2o_access_token(self, expired=None, cursor=None):
        """A valid access token, refreshed when it expires soon or ``expired`` was refused.

        Refresh tokens rotate: the old one stops working once used. So the refresh runs in its own
        committed transaction under a lock per shop; a second job arriving meanwhile waits, then
        reads the new token instead of spending the dead refresh token, and a sync that later
        rolls back cannot lose the new token.
        """
        self.ensure_one()
        margin = datetime.timedelta(minutes=TOKEN_MARGIN_MINUTES)
        cursor = cursor or self.env.registry.cursor  # a factory of new cursors (tests pass their own)
        lock = SQL("hashtext('o2o_marketplace.token'), %s", self.id)
        with cursor() as cr:
            # A session lock, kept across the commit below: the commit starts a new snapshot,
            # taken once the lock is ours, so a token refreshed meanwhile is seen.
            cr.execute(SQL("SELECT pg_advisory_lock(%s)", lock))
            try:
                cr.commit()  # pylint: disable=invalid-commit
                env = self.env(cr=cr, su=True)
                token = env["o2o.marketplace.token"].search([("shop_id", "=", self.id)], limit=1)
                if not token:
                    raise UserError(
                        self.env._("%(shop)s is not connected: authorise it first.", shop=self.sudo().name)
                    )
                fresh = token.access_expires_at and token.access_expires_at > fields.Datetime.now() + margin
                if fresh and token.access_token != expired:
                    return token.access_token
                return self._o2o_refresh_locked(env, token)
            finally:
                cr.rollback()
                cr.execute(SQL("SELECT pg_advisory_unlock(%s)", lock))
                cr.commit()  # pylint: disable=invalid-commit

    def _o2o_refresh_locked(self, env, token):
        shop = token.shop_id
        job = env["o2o.marketplace.job"].create({"shop_id": shop.id, "kind": "token", "state": "running"})
        try:
            tokens = shop._o2o_adapter().refresh_access_token(token.refresh_token)
        except MarketplaceError as error:
            job._fail(error)
            env.cr.commit()
            raise UserError(
                self.env._(
                    "%(marketplace)s refused to refresh the access token of %(shop)s: %(error)s. "
                    "Authorise the shop again.",
                    marketplace=shop._marketplace_label(),
                    shop=shop.name,
                    error=error,
                )
            ) from error
        token.write(
            {
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "access_expires_at": tokens.access_expires_at,
                "refresh_expires_at": tokens.refresh_expires_at or token.refresh_expires_at,
            }
        )
        job._done(self.env._("Access token refreshed, valid until %s UTC.", tokens.access_expires_at))
        env.cr.commit()
        return tokens.access_token

    def _o2o_with_adapter(self, work):
        """``work(adapter)`` with a valid token; when the token is refused, refreshed and run again once.

        ``work`` must consume what it asks for (pages are fetched lazily)."""
        return self._o2o_connection().run(work)

    def _o2o_connection(self):
        """One adapter kept for a whole run (a batch push, an import): see :class:`Connection`."""
        self.ensure_one()
        return Connection(self)

    @api.model
    def _cron_refresh_tokens(self):
        soon = fields.Datetime.now() + datetime.timedelta(minutes=3 * TOKEN_MARGIN_MINUTES)
        tokens = self.env["o2o.marketplace.token"].sudo().search([("access_expires_at", "<", soon)])
        for shop in tokens.shop_id.filtered("active"):
            try:
                shop._o2o_access_token()
            except UserError as error:
                _logger.warning("marketplace token refresh failed for shop %s: %s", shop.id, error)

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise UserError(self.env._("Only O2O managers can connect marketplace shops."))

    def _marketplace_label(self):
        return dict(self._fields["marketplace"]._description_selection(self.env)).get(self.marketplace)


class Connection:
    """A shop's adapter with its token, refreshed once when the marketplace refuses it."""

    def __init__(self, shop):
        self.shop = shop
        self.token = shop._o2o_access_token()
        self.adapter = shop._o2o_adapter(self.token)
        self._calls = 0

    def run(self, work):
        try:
            return work(self.adapter)
        except AuthError:
            self._calls += self.adapter.transport.calls
            self.token = self.shop._o2o_access_token(expired=self.token)
            self.adapter = self.shop._o2o_adapter(self.token)
            return work(self.adapter)

    @property
    def api_calls(self):
        """HTTP requests sent so far, retries included."""
        return self._calls + self.adapter.transport.calls

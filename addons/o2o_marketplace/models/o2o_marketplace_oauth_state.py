import datetime
import hashlib
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import OAUTH_STATE_MINUTES

MANAGER = "o2o_base.group_o2o_manager"


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


class O2oMarketplaceOauthState(models.Model):
    """One authorisation in progress: the ``state`` sent to the marketplace's consent page.

    A random nonce (only its hash is kept), bound to the manager and the browser session that
    asked, valid a few minutes and consumed by the callback: a forged, replayed, late or
    cross-session callback changes no credentials.
    """

    _name = "o2o.marketplace.oauth.state"
    _description = "Marketplace Authorisation in Progress"

    shop_id = fields.Many2one("o2o.marketplace.shop", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    nonce_hash = fields.Char(required=True)
    session_hash = fields.Char(required=True)
    expires_at = fields.Datetime(required=True)

    _sql_constraints = [("nonce_hash_unique", "unique(nonce_hash)", "This authorisation already exists.")]

    @api.model
    def _o2o_issue(self, shop, session_id):
        """A new ``state`` for ``shop``, bound to the current user and ``session_id``."""
        nonce = secrets.token_urlsafe(32)
        self.sudo().create(
            {
                "shop_id": shop.id,
                "user_id": self.env.uid,
                "nonce_hash": _digest(nonce),
                "session_hash": _digest(session_id),
                "expires_at": fields.Datetime.now() + datetime.timedelta(minutes=OAUTH_STATE_MINUTES),
            }
        )
        return nonce

    @api.model
    def _o2o_consume(self, state, marketplace, session_id):
        """The shop of ``state``, consumed at once (a second use finds nothing, even concurrently).

        Raises UserError when the state is unknown, used or expired, AccessError when it was issued
        to another user or another browser session."""
        unknown = UserError(
            self.env._(
                "This authorisation link is unknown, was already used or has expired. "
                "Click Authorize on the shop again."
            )
        )
        if not state:
            raise unknown
        self.env.cr.execute(
            """DELETE FROM o2o_marketplace_oauth_state WHERE nonce_hash = %s
               RETURNING shop_id, user_id, session_hash, expires_at""",
            [_digest(state)],
        )
        row = self.env.cr.fetchone()
        if not row:
            raise unknown
        shop_id, user_id, session_hash, expires_at = row
        shop = self.env["o2o.marketplace.shop"].sudo().browse(shop_id)
        if expires_at < fields.Datetime.now() or shop.marketplace != marketplace:
            raise unknown
        if user_id != self.env.uid or session_hash != _digest(session_id or ""):
            raise AccessError(
                self.env._(
                    "This authorisation was started by another user or in another browser session: "
                    "nothing was changed. Click Authorize on the shop again."
                )
            )
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only O2O managers can connect marketplace shops."))
        return shop

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now())]).unlink()

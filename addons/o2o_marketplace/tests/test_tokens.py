from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestTokens(MarketplaceCase):
    def test_expired_token_refreshed_and_rotated(self):
        for marketplace in ("shopee", "lazada", "tiktok"):
            with self.subTest(marketplace=marketplace):
                shop = self.shops[marketplace]
                token = shop.token_id
                old_access, old_refresh = token.access_token, token.refresh_token
                self.sim.advance(5 * 3600)  # the access token expired on the marketplace
                listings = self._read_listings(marketplace)
                self.assertTrue(listings, "the call went through after a refresh")
                token.invalidate_recordset()  # written by the refresh's own transaction
                self.assertNotEqual(token.access_token, old_access)
                self.assertNotEqual(token.refresh_token, old_refresh, "refresh tokens rotate")
                self.assertGreater(token.access_expires_at, datetime.utcnow())
                self.assertFalse(self.sim.refresh_valid(self.sim_shops[marketplace], old_refresh))

    def test_second_refresher_reuses_the_new_token(self):
        """Two jobs saw the same token refused: the second one must not spend the dead refresh token."""
        shop = self.shops["shopee"]
        refused = shop.token_id.access_token
        first = shop._o2o_access_token(expired=refused)
        refresh_calls = len([c for c in self.sim.calls if "access_token/get" in c[2]])
        second = shop._o2o_access_token(expired=refused)
        self.assertEqual(first, second)
        self.assertEqual(len([c for c in self.sim.calls if "access_token/get" in c[2]]), refresh_calls)
        self.assertTrue(self.sim.access_valid(self.sim_shops["shopee"], second))

    def test_refused_refresh_is_reported(self):
        shop = self.shops["tiktok"]
        shop.token_id.write(
            {"refresh_token": "revoked", "access_expires_at": datetime.utcnow() - timedelta(hours=1)}
        )
        self.env.flush_all()  # the refresh reads the token in its own transaction
        with self.assertRaisesRegex(UserError, "Authorise the shop again"):
            shop._o2o_access_token()
        job = self.env["o2o.marketplace.job"].search(
            [("shop_id", "=", shop.id), ("kind", "=", "token")], limit=1
        )
        self.assertEqual(job.state, "failed")

import requests

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestAccess(MarketplaceCase):
    def test_secrets_for_managers_only(self):
        shop = self.shops["shopee"]
        as_user = shop.with_user(self.o2o_user)
        self.assertEqual(as_user.name, shop.name, "O2O users see the shop")
        with self.assertRaises(AccessError):
            as_user.read(["app_secret"])
        with self.assertRaises(AccessError):
            self.env["o2o.marketplace.token"].with_user(self.o2o_user).search([])
        with self.assertRaises(AccessError):
            shop.token_id.with_user(self.o2o_user).read(["access_token"])
        self.assertEqual(
            shop.with_user(self.o2o_manager).read(["app_secret"])[0]["app_secret"], shop.app_secret
        )
        self.assertTrue(shop.with_user(self.o2o_manager).token_id.access_token)

    def test_authorisation_state_is_bound_to_the_shop(self):
        shop = self.shops["lazada"]
        state = shop._o2o_state_token()
        self.assertEqual(self.env["o2o.marketplace.shop"]._o2o_shop_from_state(state), shop)
        forged = f"{self.shops['tiktok'].id}.{state.partition('.')[2]}"
        self.assertFalse(self.env["o2o.marketplace.shop"]._o2o_shop_from_state(forged))
        action = shop.with_user(self.o2o_manager).action_authorize()
        self.assertIn(state, action["url"])

    def test_authorisation_flow_stores_the_tokens(self):
        """Authorize -> the marketplace's consent page -> our callback with a code -> tokens."""
        for marketplace in ("shopee", "lazada"):
            with self.subTest(marketplace=marketplace):
                shop = self.shops[marketplace]
                shop.token_id.unlink()
                action = shop.with_user(self.o2o_manager).action_authorize()
                consent = requests.get(action["url"], allow_redirects=False, timeout=10)
                self.assertEqual(consent.status_code, 302, consent.text)
                callback = consent.headers["Location"]
                self.assertIn("/o2o/marketplace/oauth/", callback)
                path = callback[callback.index("/o2o/marketplace/oauth/") :]
                self.authenticate("o2o_manager", "o2o_manager")
                response = self.url_open(path, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303), response.text)
                shop.invalidate_recordset()
                self.assertTrue(shop.token_id.refresh_token)
                self.assertTrue(
                    self.sim.access_valid(self.sim_shops[marketplace], shop.token_id.access_token)
                )
                self.assertTrue(self._read_listings(marketplace), "connected: the API answers")

    def test_callback_refuses_a_forged_state_and_non_managers(self):
        shop = self.shops["tiktok"]
        self.authenticate("o2o_user", "o2o_user")
        response = self.url_open(f"/o2o/marketplace/oauth/tiktok?code=x&state={shop._o2o_state_token()}")
        self.assertEqual(response.status_code, 403)
        self.authenticate("o2o_manager", "o2o_manager")
        response = self.url_open(f"/o2o/marketplace/oauth/tiktok?code=x&state={shop.id}.forged")
        self.assertEqual(response.status_code, 404)
        code = self.sim.issue_code(self.sim_shops["tiktok"])
        shop.token_id.unlink()
        shop._o2o_connect(code)
        self.assertTrue(shop.token_id.access_token)

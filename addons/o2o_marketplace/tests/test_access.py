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

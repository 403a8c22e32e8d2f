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

from stdnum import ean

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestDemo(TransactionCase):
    """The demo of `./o2o run` holds what a newcomer meets first (our test database is made the
    same way): a catalogue with images and scannable barcodes, stores a shopper can find."""

    def test_catalogue_has_images_scannable_barcodes_and_categories(self):
        products = self.env["product.product"].search([("default_code", "=like", "O2O-%")])
        self.assertGreaterEqual(len(products), 8)
        self.assertGreater(
            len(products.product_tmpl_id),
            len(products.product_tmpl_id.filtered(lambda t: t.product_variant_count == 1)),
            "some products come in variants",
        )
        for product in products:
            self.assertTrue(product.image_1920, f"{product.display_name} has an image")
            self.assertTrue(ean.is_valid(product.barcode or ""), f"{product.display_name}: GTIN-13")
            self.assertEqual(len(product.barcode), 13)
            self.assertTrue(product.barcode.startswith("893"), "Vietnam's GS1 prefix")
            self.assertTrue(product.is_published and product.public_categ_ids, product.display_name)
            self.assertTrue(product.available_in_pos and product.pos_categ_ids, product.display_name)
        in_stock = products.filtered(lambda p: p.qty_available > 0)
        self.assertEqual(in_stock, products, "every demo product is in stock in a store")

    def test_stores_can_be_found_without_a_geocoder(self):
        stores = self.env["stock.warehouse"].search([("o2o_is_store", "=", True)])
        self.assertGreaterEqual(len(stores), 3)
        for store in stores:
            address = store.partner_id
            self.assertTrue(address.partner_latitude and address.partner_longitude, store.name)
            self.assertEqual(address.country_id, self.env.ref("base.vn"))
            self.assertTrue(address.state_id and address.zip and address.phone, store.name)
            self.assertEqual(store.opening_hours.tz, "Asia/Ho_Chi_Minh")

    def test_people_of_the_demo_have_phones(self):
        for xmlid in ("o2o_base.user_shopper", "o2o_base.user_cashier"):
            user = self.env.ref(xmlid)
            self.assertTrue(user.partner_id.phone_sanitized, xmlid)

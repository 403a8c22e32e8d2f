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

    def test_the_retailer_is_a_company_of_its_own_in_dong(self):
        retailer = self.env.ref("o2o_base.company_o2o_vn")
        self.assertEqual(retailer.name, "o2o Việt Nam")
        self.assertEqual((retailer.currency_id.name, retailer.country_id.code), ("VND", "VN"))
        self.assertEqual(retailer.account_fiscal_country_id.code, "VN")
        self.assertEqual(self.env.ref("base.main_company").currency_id.name, "USD", "Odoo's own, in dollars")
        # Its website is the one a visitor meets; Vietnamese and English; prices in dong, VAT in.
        website = self.env["website"].get_current_website()
        self.assertEqual(website, self.env.ref("o2o_base.website_o2o_vn"))
        self.assertEqual(website.company_id, retailer)
        self.assertEqual(set(website.language_ids.mapped("code")), {"vi_VN", "en_US"})
        self.assertEqual(website.default_lang_id.code, "vi_VN")
        self.assertEqual(website.pricelist_ids.currency_id.name, "VND")
        tshirt = self.env.ref("o2o_base.product_tshirt")
        self.assertEqual(tshirt.company_id, retailer)
        taxes = tshirt.taxes_id.compute_all(tshirt.list_price, product=tshirt)
        self.assertEqual(taxes["total_included"], tshirt.list_price, "retail prices include VAT")
        self.assertAlmostEqual(
            taxes["total_included"] - taxes["total_excluded"], tshirt.list_price / 11, delta=1
        )
        # Everything of the retailer is in its company: stores, counters, shops, programme, logins.
        for xmlid in (
            "o2o_base.store_hcm_q1",
            "o2o_base.pos_config_hcm_q1",
            "o2o_base.carrier_pick_up_in_store",
            "o2o_base.payment_provider_demo_vn",
            "o2o_base.payment_provider_on_site_vn",
        ):
            self.assertEqual(self.env.ref(xmlid).company_id, retailer, xmlid)
        for xmlid in ("o2o_base.user_cashier", "o2o_base.user_shopper", "base.user_admin"):
            self.assertEqual(
                self.env.ref(xmlid).company_id, retailer, f"{xmlid} lands in the retailer's company"
            )
        # Odoo's own demo keeps its delivery methods and products.
        self.assertFalse(self.env.ref("website_sale_collect.carrier_pick_up_in_store").company_id)
        self.assertFalse(self.env.ref("delivery.product_product_delivery").company_id)

    def test_the_retailers_shop_shows_its_own_catalogue_and_delivery_methods(self):
        retailer = self.env.ref("o2o_base.company_o2o_vn")
        website = self.env.ref("o2o_base.website_o2o_vn")
        shown = self.env["product.template"].search(
            website.website_domain() + [("is_published", "=", True), ("sale_ok", "=", True)]
        )
        self.assertIn(self.env.ref("o2o_base.product_tshirt").product_tmpl_id, shown)
        self.assertEqual(shown.company_id, retailer, "no product of Odoo's demo company, priced in dollars")
        categories = self.env["product.public.category"].search(website.website_domain())
        self.assertEqual(
            categories,
            self.env.ref("o2o_base.public_category_apparel")
            | self.env.ref("o2o_base.public_category_coffee")
            | self.env.ref("o2o_base.public_category_accessories"),
        )
        carriers = self.env["delivery.carrier"].search(
            website.website_domain() + [("is_published", "=", True)]
        )
        self.assertEqual(carriers.company_id, retailer)
        self.assertEqual(
            set(carriers.with_context(lang="vi_VN").mapped("name")),
            {"Nhận hàng tại cửa hàng", "Giao hàng tiêu chuẩn"},
        )

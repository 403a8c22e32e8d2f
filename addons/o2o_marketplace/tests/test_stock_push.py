from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestStockPush(MarketplaceCase):
    def _changed(self):
        self.env["o2o.marketplace.listing"]._cron_push_stock_changes()
        self._run_jobs()

    def _sim_stock(self, marketplace, sku):
        return self._listing(marketplace, sku).stock

    def test_reconcile_then_push_changes_only(self):
        for marketplace in ("shopee", "lazada", "tiktok"):
            self._read_listings(marketplace)
            self.shops[marketplace].action_push_stock()
            self._run_jobs()
            # free quantity in store Q1 minus the safety stock of 1
            self.assertEqual(self._sim_stock(marketplace, "MKP-SHIRT"), 19)
            self.assertEqual(self._sim_stock(marketplace, "MKP-CAP"), 9)
            if marketplace == "shopee":  # matched by its GTIN; Lazada and TikTok list no barcode
                self.assertEqual(self._listing(marketplace, "").stock, 4)
            self.assertEqual(
                self._sim_stock(marketplace, "UNKNOWN-1"), 0, "an unmatched listing is left alone"
            )
        self.sim.stock_pushes.clear()

        # A POS sale in store Q1 lowers the quantity on every marketplace
        self._pos_order(self.env["res.partner"], [(self.product_a, 3)])
        self._changed()
        for marketplace in ("shopee", "lazada", "tiktok"):
            self.assertEqual(self._sim_stock(marketplace, "MKP-SHIRT"), 16)
        self.assertEqual(
            {push[4] for push in self.sim.stock_pushes}, {16}, "only the changed product is pushed"
        )

        # nothing changed since: no call
        calls = len(self.sim.calls)
        self._changed()
        self.assertEqual(len(self.sim.calls), calls)

    def test_never_below_zero_and_cancel_releases(self):
        marketplace = "tiktok"
        self._read_listings(marketplace)
        shop = self.shops[marketplace]
        shop.action_push_stock()
        self._run_jobs()
        sim_order = self._sim_order(marketplace, lines=(("MKP-CAP", 10, 25, 0),))
        self._import(marketplace, sim_order)
        self._changed()
        self.assertEqual(self._sim_stock(marketplace, "MKP-CAP"), 0, "10 reserved, buffer 1: not -1")
        self.sim.set_order_status(marketplace, sim_order.external_id, "cancelled")
        self._import(marketplace, sim_order)
        self._changed()
        self.assertEqual(self._sim_stock(marketplace, "MKP-CAP"), 9)

    def test_batches_of_fifty_and_failed_sku_alone(self):
        marketplace = "lazada"
        shop = self.shops[marketplace]
        products = self.env["product.product"].create(
            [{"name": f"Sock {i}", "default_code": f"SOCK-{i}", "is_storable": True} for i in range(119)]
        )
        sim_shop = self.sim_shops[marketplace]
        for i in range(119):
            self.sim.add_listing(
                marketplace, sim_shop.shop_id, 700000 + i, 800000 + i, sku=f"SOCK-{i}", name=f"Sock {i}"
            )
        listings = self._read_listings(marketplace)
        self.assertEqual(len(listings.filtered(lambda li: li.product_id in products)), 119)
        # the marketplace deleted one listing meanwhile: it fails alone
        self.sim.listings.pop((marketplace, sim_shop.shop_id, "700005", "800005"))
        for product in products:
            self.env["stock.quant"]._update_available_quantity(product, self.store_1.lot_stock_id, 7)
        self.sim.calls.clear()
        self._changed()
        update_calls = [c for c in self.sim.calls if "price_quantity" in c[2]]
        self.assertEqual(len(update_calls), 3, "119 SKUs in calls of at most 50")
        failed = self.env["o2o.marketplace.job"].search(
            [
                ("shop_id", "=", shop.id),
                ("kind", "=", "stock"),
                ("state", "=", "failed"),
                ("ref", "!=", False),
            ]
        )
        self.assertEqual(failed.mapped("ref"), ["700005/800005"])
        self.assertEqual(self._sim_stock(marketplace, "SOCK-6"), 6)

    def test_price_push_from_the_pricelist(self):
        marketplace = "lazada"
        shop = self.shops[marketplace]
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Lazada prices",
                "currency_id": self.company.currency_id.id,
                "company_id": self.company.id,
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_a.id,
                            "fixed_price": 12.5,
                        },
                    )
                ],
            }
        )
        shop.write({"pricelist_id": pricelist.id, "sync_price": True})
        self._read_listings(marketplace)
        shop.action_push_price()
        self._run_jobs()
        self.assertEqual(float(self._listing(marketplace, "MKP-SHIRT").price), 12.5)
        self.assertEqual(float(self._listing(marketplace, "MKP-CAP").price), 25.0, "list price otherwise")

    def test_one_failing_shop_does_not_block_the_others(self):
        for marketplace in ("shopee", "lazada"):
            self._read_listings(marketplace)
        broken = self._sim_order("shopee")
        fine = self._sim_order("lazada")
        self.sim.faults.add("shopee", "5xx", count=100)
        self.env["o2o.marketplace.shop"]._cron_sync_orders()
        self._run_jobs()
        self.assertFalse(self._odoo_order("shopee", broken.external_id))
        self.assertTrue(self._odoo_order("lazada", fine.external_id))
        self.assertIn("server error", self.shops["shopee"].last_error)
        failed_run = self.env["o2o.marketplace.job"].search(
            [("shop_id", "=", self.shops["shopee"].id), ("kind", "=", "orders")], limit=1
        )
        self.assertEqual(failed_run.state, "failed")
        self.assertTrue(failed_run.response_excerpt, "the marketplace's answer is kept for staff")

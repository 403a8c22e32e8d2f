from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import MARKETPLACES, MarketplaceCase

#: The order detail calls of each marketplace (the reconciliation lists first, then fetches these).
DETAIL_PATHS = {
    "shopee": "/api/v2/order/get_order_detail",
    "lazada": "/rest/order/get",
    "tiktok": "/order/202309/orders",
}


@tagged("post_install", "-at_install", "o2o")
class TestOrderReconcile(MarketplaceCase):
    """Orders polling and webhooks missed (lost, or updated without Odoo hearing of it) come back."""

    def _period(self):
        now = datetime.utcnow()
        return now - timedelta(days=3), now + timedelta(minutes=1)

    def _details_fetched(self, marketplace):
        return [
            path
            for (m, _method, path) in self.sim.calls
            if m == marketplace and path == DETAIL_PATHS[marketplace]
        ]

    def test_order_reconciliation_imports_missing_and_outdated_orders(self):
        for marketplace in MARKETPLACES:
            with self.subTest(marketplace=marketplace):
                self._read_listings(marketplace)
                shop = self.shops[marketplace]
                now = self.sim.now()
                known = [self._sim_order(marketplace, at=now - 7200 + i * 60) for i in range(3)]
                self._import(marketplace, *known)
                lost = [self._sim_order(marketplace, at=now - 3600 + i * 60) for i in range(2)]
                # shipped on the marketplace, the push never reached Odoo
                self.sim.set_order_status(marketplace, known[0].external_id, "shipped")
                too_old = self._sim_order(marketplace, at=now - 10 * 86400)
                self.sim.calls.clear()

                job = shop._o2o_reconcile_orders(*self._period())

                self.assertEqual(job.state, "done", job.message)
                self.assertEqual(job.kind, "reconcile")
                self.assertEqual(
                    job.message,
                    "5 orders checked, 2 missing in Odoo, 1 in an older status, 3 fixed, 0 failed.",
                )
                self.assertEqual((job.count_ok, job.count_failed), (3, 0))
                self.assertTrue(job.api_calls)
                for sim_order in known + lost:
                    order = self._odoo_order(marketplace, sim_order.external_id)
                    self.assertEqual(len(order), 1)
                    self.assertEqual(order.o2o_marketplace_status, sim_order.status)
                    self.assertAlmostEqual(order.amount_total, float(sim_order.total_amount))
                self.assertEqual(
                    self._odoo_order(marketplace, known[0].external_id).picking_ids.state, "done"
                )
                self.assertFalse(self._odoo_order(marketplace, too_old.external_id), "outside the period")
                # list calls, then details of the three orders to fix only (one call per 50; Lazada per id)
                expected = 3 if marketplace == "lazada" else 1
                self.assertEqual(len(self._details_fetched(marketplace)), expected)

                self.sim.calls.clear()
                job = shop._o2o_reconcile_orders(*self._period())
                self.assertEqual(
                    job.message,
                    "5 orders checked, 0 missing in Odoo, 0 in an older status, 0 fixed, 0 failed.",
                )
                self.assertFalse(self._details_fetched(marketplace), "nothing to fix: list calls only")

    def test_order_reconciliation_cron_runs_every_shop(self):
        for marketplace in MARKETPLACES:
            self._read_listings(marketplace)
            self._sim_order(marketplace, at=self.sim.now() - 86400)
        self.env["o2o.marketplace.shop"]._cron_reconcile_orders()
        self._run_jobs()
        for marketplace in MARKETPLACES:
            job = self.env["o2o.marketplace.job"].search(
                [("shop_id", "=", self.shops[marketplace].id), ("kind", "=", "reconcile")]
            )
            self.assertEqual(job.state, "done", job.message)
            self.assertEqual(job.count_ok, 1)
            self.assertEqual(
                self.env["sale.order"].search_count(
                    [("o2o_marketplace_shop_id", "=", self.shops[marketplace].id)]
                ),
                1,
            )

    def test_order_reconciliation_wizard_for_managers(self):
        shop = self.shops["lazada"]
        self._read_listings("lazada")
        sim_order = self._sim_order("lazada", at=self.sim.now() - 600)
        action = shop.with_user(self.o2o_manager).action_open_order_reconcile()
        self.assertEqual(action["res_model"], "o2o.marketplace.order.reconcile")
        Wizard = self.env["o2o.marketplace.order.reconcile"].with_user(self.o2o_manager)
        wizard = Wizard.with_context(**action["context"]).create({})
        self.assertEqual(wizard.shop_id, shop)
        self.assertEqual(wizard.date_to - wizard.date_from, timedelta(days=3))
        result = wizard.action_reconcile()
        self.assertIn("queued", result["params"]["message"])
        self.assertFalse(self._odoo_order("lazada", sim_order.external_id), "not in the manager's request")
        self._run_jobs()
        run = self.env["o2o.marketplace.job"].search(
            [("shop_id", "=", shop.id), ("kind", "=", "reconcile")], limit=1
        )
        self.assertIn("1 missing in Odoo", run.message)
        self.assertTrue(self._odoo_order("lazada", sim_order.external_id))
        with self.assertRaises(ValidationError):
            Wizard.create({"shop_id": shop.id, "date_from": wizard.date_to, "date_to": wizard.date_from})
        with self.assertRaises(AccessError):
            self.env["o2o.marketplace.order.reconcile"].with_user(self.o2o_user).create({"shop_id": shop.id})

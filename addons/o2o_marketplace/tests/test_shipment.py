from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestShipment(MarketplaceCase):
    def test_validated_delivery_pushes_tracking_once(self):
        marketplace = "shopee"
        self._read_listings(marketplace)
        sim_order = self._sim_order(marketplace)
        self._import(marketplace, sim_order)
        order = self._odoo_order(marketplace, sim_order.external_id)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "SPXVN0123456789"
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        job = self.env["o2o.marketplace.job"].search(
            [
                ("shop_id", "=", self.shops[marketplace].id),
                ("kind", "=", "shipment"),
                ("ref", "=", str(picking.id)),
            ]
        )
        self.assertEqual(job.state, "pending", "queued for the scheduler, never lost")
        self.env["o2o.marketplace.job"]._cron_run_pending()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(
            [(s[1], s[2]) for s in self.sim.shipments], [(sim_order.external_id, "SPXVN0123456789")]
        )
        self.assertEqual(self.sim.order(marketplace, sim_order.external_id).status, "shipped")

    def test_refused_shipment_is_retried(self):
        marketplace = "tiktok"
        self._read_listings(marketplace)
        sim_order = self._sim_order(marketplace)
        self._import(marketplace, sim_order)
        picking = self._odoo_order(marketplace, sim_order.external_id).picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        self.sim.faults.add(marketplace, "5xx", count=10)
        Job = self.env["o2o.marketplace.job"]
        Job._cron_run_pending()
        job = Job.search([("kind", "=", "shipment"), ("ref", "=", str(picking.id))])
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 1)
        self.assertTrue(job.next_attempt, "retried later by the scheduler")
        self.sim.faults.clear()
        job.action_retry()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(len(self.sim.shipments), 1)

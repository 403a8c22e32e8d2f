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
        # validated by the warehouse; a context key a client may send decides nothing
        picking.with_context(o2o_marketplace_sync=True).button_validate()
        self.assertEqual(picking.state, "done")
        queued = self._queued("_o2o_job_push_shipment")
        self.assertEqual(len(queued), 1, "queued for a worker, never lost")
        self.assertEqual(queued.args, [picking.id])
        self.assertFalse(self.sim.shipments, "not pushed inside the validation")
        self._run_jobs()
        job = self.env["o2o.marketplace.job"].search(
            [
                ("shop_id", "=", self.shops[marketplace].id),
                ("kind", "=", "shipment"),
                ("ref", "=", str(picking.id)),
            ]
        )
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
        self._run_jobs()
        job = Job.search([("kind", "=", "shipment"), ("ref", "=", str(picking.id))])
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 1)
        self.assertTrue(job.next_attempt, "retried later")
        retry = job.queue_job_id
        self.assertEqual((retry.state, retry.method_name), ("pending", "_o2o_job_retry_item"))
        self.assertEqual(retry.eta, job.next_attempt)
        self.assertEqual(retry.channel, "root.o2o_marketplace.tiktok")
        self.sim.faults.clear()
        job.action_retry()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(len(self.sim.shipments), 1)

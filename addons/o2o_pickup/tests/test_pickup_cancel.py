from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupCancel(O2oPickupCommon):
    """An order cancelled from the back office (Odoo's Cancel button and its wizard)."""

    def _cancel_in_back_office(self, order):
        wizard = self.env["sale.order.cancel"].create({"order_id": order.id})
        wizard.action_cancel()

    def test_cancelled_pickup_releases_slot_and_hold(self):
        order = self._pickup_order([(self.product_a, 2)])
        order.action_o2o_pickup_ready()
        slot = order.o2o_pickup_slot_id
        self.assertEqual(slot.booked, 1)
        self.assertEqual(self.product_a.with_context(warehouse_id=self.store_1.id).free_qty, 8)
        self._cancel_in_back_office(order)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.o2o_pickup_state, "cancelled")
        self.assertEqual(slot.booked, 0, "the place in the slot is free again")
        self.assertEqual(self.product_a.with_context(warehouse_id=self.store_1.id).free_qty, 10)
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})
        self.assertTrue(any("pickup slot and the goods" in body for body in order.message_ids.mapped("body")))

    def test_cancelled_pickup_gets_no_no_show(self):
        order = self._pickup_order([(self.product_a, 1)])
        order.action_o2o_pickup_ready()
        self._cancel_in_back_office(order)
        with freeze_time(order.o2o_pickup_deadline + timedelta(hours=1)):
            self.assertFalse(self.env["sale.order"]._cron_o2o_pickup_expire())
        self.assertEqual(order.o2o_pickup_state, "cancelled")
        self.assertFalse(order.message_ids.filtered(lambda m: "was not collected" in (m.subject or "")))
        self.assertFalse(any("No-show" in body for body in order.message_ids.mapped("body")))

    def test_cancelled_pickup_not_handed_over(self):
        self.open_new_session()
        order = self._pickup_order([(self.product_a, 1)])
        order.action_o2o_pickup_ready()
        self._pay_online(order)
        code = order.o2o_pickup_code
        self._cancel_in_back_office(order)
        self.assertTrue(order.o2o_pickup_refund_needed, "paid online: flagged for the refund")
        found = self.env["sale.order"].o2o_pos_pickup_find(code, self.config.id)["orders"][0]
        self.assertIn("was cancelled", found["refusal"])
        with self.assertRaisesRegex(UserError, "was cancelled"):
            self.env["sale.order"].o2o_pos_pickup_collect(order.id, self.config.id, order.o2o_pickup_code)
        self.assertEqual(order.o2o_pickup_state, "cancelled")

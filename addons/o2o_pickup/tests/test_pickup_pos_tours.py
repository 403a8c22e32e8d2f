from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged

from .common import always_open_calendar, pay_online, put_in_stock


@tagged("post_install", "-at_install", "o2o")
class TestPickupCashierTours(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = always_open_calendar(cls.env)
        cls.store = cls.main_pos_config.warehouse_id
        cls.store.write({"o2o_is_store": True, "opening_hours": calendar.id})
        cls.store.o2o_pickup_enabled = True
        cls.product = cls.env["product.product"].create(
            {
                "name": "o2o Pickup Bag",
                "is_storable": True,
                "list_price": 30.0,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        put_in_stock(cls.env, cls.product, cls.store, 10)
        cls.customer = cls.env["res.partner"].create({"name": "Pickup Customer", "phone": "+84 938 222 333"})

    def _ready_order(self, code):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "carrier_id": self.env.ref("website_sale_collect.carrier_pick_up_in_store").id,
                "warehouse_id": self.store.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        order.action_o2o_pickup_ready()
        order.o2o_pickup_code = code  # known to the tour
        return order

    def test_prepaid_order_handed_over_without_payment(self):
        order = self._ready_order("ABCDE-12345")
        pay_online(self.env, order)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_pickup_cashier_prepaid")
        self.assertEqual(order.o2o_pickup_state, "collected")
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing").state, "done"
        )
        self.assertFalse(
            self.env["pos.order"].search([("lines.sale_order_origin_id", "=", order.id)]), "no payment taken"
        )

    def test_handover_proof_id_checked_in_pos(self):
        order = self._ready_order("MNPQR-13579")
        pay_online(self.env, order)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_pickup_cashier_id_checked", login="pos_user")
        self.assertEqual(order.o2o_pickup_state, "collected")
        note = order.message_ids.filtered(lambda m: "without the pickup code" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(f"{self.pos_user.name} checked the customer's ID", note.body)
        self.assertIn("National ID card, phone lost", note.body)

    def test_pay_at_store_order_paid_once_and_collected(self):
        order = self._ready_order("FGHJK-67890")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_pickup_cashier_pay_at_store")
        pos_order = self.env["pos.order"].search([("lines.sale_order_origin_id", "=", order.id)])
        self.assertEqual(len(pos_order), 1)
        self.assertAlmostEqual(pos_order.amount_paid, order.amount_total)
        self.assertTrue(order.currency_id.is_zero(order.amount_unpaid))
        self.assertEqual(order.o2o_pickup_state, "collected")
        self.assertEqual(order.o2o_pickup_collected_pos_id, self.main_pos_config)
        on_hand = self.product.with_context(warehouse_id=self.store.id).qty_available
        self.assertEqual(on_hand, 8, "the goods left the store once")

    def test_collected_order_returned_and_refunded_online(self):
        order = self._ready_order("KMNPQ-24680")
        pay_online(self.env, order)
        refund_online = self.env["pos.payment.method"].create(
            {"name": "Refund to online payment", "split_transactions": True, "o2o_refund_online": True}
        )
        self.main_pos_config.payment_method_ids |= refund_online
        # Handed over at the store's other register: this one's session opens in the tour.
        back_counter = self.main_pos_config.copy({"name": "Back counter"})
        back_counter.open_ui()
        back_counter.current_session_id.set_opening_control(0, None)
        self.env["sale.order"].o2o_pos_pickup_collect(order.id, back_counter.id, order.o2o_pickup_code)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_pickup_cashier_return")
        refund = self.env["pos.order"].search([("lines.sale_order_origin_id", "=", order.id)])
        self.assertEqual(len(refund), 1)
        self.assertAlmostEqual(refund.amount_total, -order.amount_total)
        on_hand = self.product.with_context(warehouse_id=self.store.id).qty_available
        self.assertEqual(on_hand, 10, "both bags back in the store")
        self.assertEqual(order.order_line.qty_delivered, 0)
        self.assertTrue(refund.o2o_pickup_return_done, "the online refund is asked after commit")

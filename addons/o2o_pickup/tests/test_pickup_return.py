from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupReturn(O2oPickupCommon, HttpCase):
    """A web order collected at store 1 comes back at the counter: a POS refund referencing it.

    (An HttpCase for its test cursor: the online refund runs after commit, in its own cursor.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Method = cls.env["pos.payment.method"]
        cls.refund_online = Method.create(
            {"name": "Refund to online payment", "split_transactions": True, "o2o_refund_online": True}
        )
        cls.store_credit = Method.create({"name": "Customer Account", "split_transactions": True})
        cls.config.payment_method_ids |= cls.refund_online | cls.store_credit

    def setUp(self):
        super().setUp()
        self.open_new_session()
        self.order = self._pickup_order([(self.product_a, 2)])
        self.order.action_o2o_pickup_ready()
        self.provider = self.env.ref("payment.payment_provider_transfer").sudo()
        self.provider.state = "test"
        # The wire transfer provider cannot refund; a card provider (Stripe, VNPay...) can.
        Provider = type(self.env["payment.provider"])
        compute = Provider._compute_feature_support_fields

        def with_refunds(providers):
            compute(providers)
            providers.filtered(
                lambda p: p.code == "custom" and not self.no_refunds
            ).support_refund = "partial"

        self.no_refunds = False
        self.startPatcher(patch.object(Provider, "_compute_feature_support_fields", with_refunds))
        self.tx = self._pay_online(self.order)
        self.env["sale.order"].o2o_pos_pickup_collect(
            self.order.id, self.config.id, self.order.o2o_pickup_code
        )
        self.sale_line = self.order.order_line.filtered(lambda line: line.product_id == self.product_a)

    def _on_hand(self):
        return self.product_a.with_context(warehouse_id=self.store_1.id).qty_available

    def _return(self, qty, method):
        """The POS order the Return goods button builds, paid back with ``method``."""
        price = self.sale_line.price_unit
        data = self.create_ui_order_data(
            [
                {
                    "product": self.product_a,
                    "quantity": -qty,
                    "sale_order_origin_id": self.order.id,
                    "sale_order_line_id": self.sale_line.id,
                }
            ],
            customer=self.customer,
            payments=[(method, -qty * price)],
        )
        result = self.env["pos.order"].sync_from_ui([data])
        self.env.flush_all()
        self.env.cr.postcommit.run()  # the online refund is asked once the return is committed
        self.env.invalidate_all()  # ... in its own cursor
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def test_found_at_the_counter_as_returnable(self):
        data = self.env["sale.order"].o2o_pos_pickup_find(self.order.o2o_pickup_code, self.config.id)[
            "orders"
        ][0]
        self.assertIn("already collected", data["refusal"])
        self.assertTrue(data["returnable"])
        self.assertEqual(
            data["return_lines"], [{"sale_line_id": self.sale_line.id, "product": "Shirt", "qty": 2.0}]
        )
        self.assertEqual(data["refund_online_method_id"], self.refund_online.id, "paid online: refund there")
        by_phone = self.env["sale.order"].o2o_pos_pickup_find("0986 555 444", self.config.id)
        self.assertEqual([o["id"] for o in by_phone["orders"]], self.order.ids, "found by phone for 30 days")
        other_store = self.env["pos.config"].create({"name": "HN counter", "warehouse_id": self.store_2.id})
        self.assertFalse(
            self.order._o2o_pickup_return_data(other_store)["returnable"], "only where it was collected"
        )

    def test_partial_return_restocks_and_refunds_the_online_payment(self):
        self.assertEqual(self._on_hand(), 8)
        pos_order = self._return(1, self.refund_online)
        self.assertEqual(pos_order.state, "paid")
        self.assertEqual(self._on_hand(), 9, "back in store 1's stock")
        self.assertEqual(self.sale_line.qty_delivered, 1)
        refund = self.tx.child_transaction_ids.filtered(lambda tx: tx.operation == "refund")
        self.assertEqual(refund.amount, -self.sale_line.price_unit)
        self.assertTrue(any("Returned at" in body for body in self.order.message_ids.mapped("body")))
        data = self.order._o2o_pickup_return_data(self.config)
        self.assertEqual(data["return_lines"][0]["qty"], 1.0, "one left to bring back")
        self._return(1, self.refund_online)
        self.assertEqual(self._on_hand(), 10)
        self.assertFalse(self.order._o2o_pickup_return_data(self.config)["returnable"])
        refunds = self.tx.child_transaction_ids.filtered(lambda tx: tx.operation == "refund")
        self.assertEqual(sum(refunds.mapped("amount")), -self.tx.amount, "never more than was paid online")

    def test_store_credit_or_cash_do_not_touch_the_online_payment(self):
        self._return(1, self.store_credit)
        self._return(1, self.cash_pm1)
        self.assertFalse(self.tx.child_transaction_ids, "refunded at the counter")
        self.assertEqual(self._on_hand(), 10)
        notes = " ".join(self.order.message_ids.mapped("body"))
        self.assertIn("Customer Account", notes)

    def test_synced_twice_refunded_once(self):
        data_order = self._return(1, self.refund_online)
        data = self.create_ui_order_data([], customer=self.customer)
        data.update({"uuid": data_order.uuid, "name": data_order.pos_reference})
        self.env["pos.order"].sync_from_ui([data])
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()
        refunds = self.tx.child_transaction_ids.filtered(lambda tx: tx.operation == "refund")
        self.assertEqual(len(refunds), 1, "a POS resending the order does not refund again")

    def test_provider_down_leaves_a_task(self):
        self.provider.state = "disabled"
        pos_order = self._return(1, self.refund_online)
        self.assertEqual(pos_order.state, "paid", "the register is never blocked by the provider")
        self.assertFalse(self.tx.child_transaction_ids)
        self.assertEqual(self.order.activity_ids.summary, "Refund the customer")

    def test_provider_without_refunds_leaves_a_task(self):
        self.no_refunds = True
        self._return(2, self.refund_online)
        self.assertFalse(self.tx.child_transaction_ids)
        activity = self.order.activity_ids
        self.assertEqual(activity.summary, "Refund the customer")

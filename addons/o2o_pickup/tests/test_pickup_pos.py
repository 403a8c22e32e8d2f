from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupPos(O2oPickupCommon):
    def setUp(self):
        super().setUp()
        self.open_new_session()
        self.order = self._pickup_order([(self.product_a, 2)])
        self.Sale = self.env["sale.order"]

    def _find(self, query, config=None):
        return self.Sale.o2o_pos_pickup_find(query, (config or self.config).id)

    def test_find_by_code_qr_or_phone(self):
        self.order.action_o2o_pickup_ready()
        code = self.order.o2o_pickup_code
        for query in (code, code.lower().replace("-", " "), self.order._o2o_pickup_token(), "0986 555 444"):
            with self.subTest(query=query):
                result = self._find(query)
                self.assertEqual([o["id"] for o in result["orders"]], self.order.ids)
        data = self._find(code)["orders"][0]
        self.assertEqual(data["state"], "ready")
        self.assertFalse(data["refusal"])
        self.assertFalse(data["prepaid"])
        self.assertEqual(data["lines"], [{"product": "Shirt", "qty": 2.0}])
        self.assertEqual(data["slot_label"], "Mon 02/03 11:00-12:00", "in the store's time zone")

    def test_forged_qr_refused(self):
        token = self.order._o2o_pickup_token()
        forged = token[:-1] + ("0" if token[-1] != "0" else "1")
        self.assertIn("Unknown pickup code", self._find(forged)["error"])
        other = self._pickup_order([(self.product_a, 1)])
        prefix, _order_id, exp, signature = token.split(":")
        swapped = ":".join([prefix, str(other.id), exp, signature])
        self.assertIn("Unknown pickup code", self._find(swapped)["error"])

    def test_refusals(self):
        self.assertIn("Unknown pickup code", self._find("ZZZZZ-99999")["error"])
        self.assertIn("not ready yet", self._find(self.order.o2o_pickup_code)["orders"][0]["refusal"])
        with self.assertRaisesRegex(UserError, "not ready yet"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        self.order.action_o2o_pickup_ready()
        other_store = self._pickup_order([(self.product_b, 1)], store=self.store_2)
        other_store.action_o2o_pickup_ready()
        with self.assertRaisesRegex(UserError, "collected at Store HN, not here"):
            self.Sale.o2o_pos_pickup_collect(other_store.id, self.config.id, other_store.o2o_pickup_code)
        with self.assertRaisesRegex(UserError, "still to pay"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        cancelled = self._pickup_order([(self.product_a, 1)])
        cancelled.action_o2o_pickup_cancel()
        self.assertIn("was cancelled", self._find(cancelled.o2o_pickup_code)["orders"][0]["refusal"])
        expired = self._pickup_order([(self.product_a, 1)])
        expired.action_o2o_pickup_no_show()
        self.assertIn("expired", self._find(expired.o2o_pickup_code)["orders"][0]["refusal"])
        self.assertIn("No pickup waiting", self._find("0909 000 000")["error"])

    def test_prepaid_handed_over_once(self):
        self.order.action_o2o_pickup_ready()
        self._pay_online(self.order)
        self.assertTrue(self._find(self.order.o2o_pickup_code)["orders"][0]["prepaid"])
        picking = self.order.picking_ids
        result = self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        self.assertEqual(result["state"], "collected")
        self.assertEqual(self.order.o2o_pickup_state, "collected")
        self.assertEqual(self.order.o2o_pickup_collected_pos_id, self.config)
        self.assertEqual(picking.state, "done")
        on_hand = self.product_a.with_context(warehouse_id=self.store_1.id).qty_available
        self.assertEqual(on_hand, 8)
        with self.assertRaisesRegex(UserError, "already collected"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        self.assertEqual(self.product_a.with_context(warehouse_id=self.store_1.id).qty_available, 8, "once")

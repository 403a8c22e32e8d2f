from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestNewcomerJourney(HttpCase):
    """Click & collect as a newcomer meets it on the demo of `./o2o run`.

    The database of these tests is made as `./o2o run` makes it, and nothing is prepared here:
    no delivery method published, no payment provider enabled, no store, product, stock,
    opening hours or phone written in a setUp. What the tours need, the demo holds.
    """

    def _pickups(self):
        return self.env["sale.order"].search([("o2o_pickup_state", "!=", False)])

    def _on_hand(self, product, store):
        return product.with_context(warehouse_id=store.id).qty_available

    def test_shopper_pays_online_guest_pays_at_the_store_cashier_hands_both_over(self):
        store = self.env.ref("o2o_base.store_hcm_q1")
        counter = self.env.ref("o2o_base.pos_config_hcm_q1")
        shopper = self.env.ref("o2o_base.user_shopper").partner_id
        tshirt = self.env.ref("o2o_base.product_tshirt")
        cap = self.env.ref("o2o_base.product_cap")
        known = self._pickups()
        second_slot = store.o2o_get_pickup_slots(days=7)[1]["start"]

        # The demo shopper picks Quận 1 and a slot and pays online; a guest pays at the store.
        self.start_tour("/vi/shop", "o2o_newcomer_shopper_pays_online", login="shopper")
        self.start_tour("/vi/shop", "o2o_newcomer_guest_pays_at_store")
        new = self._pickups() - known
        prepaid = new.filtered(lambda o: o.partner_id == shopper)
        at_store = new - prepaid
        self.assertEqual((len(prepaid), len(at_store)), (1, 1), new.mapped("partner_id.name"))
        for order, product in ((prepaid, tshirt), (at_store, cap)):
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.o2o_pickup_state, "confirmed")
            self.assertEqual(order.o2o_pickup_store_id, store)
            self.assertTrue(order.o2o_pickup_slot_id, "a pickup time was chosen at checkout")
            self.assertTrue(order.o2o_pickup_code)
            self.assertEqual(order.order_line.filtered(lambda line: not line.is_delivery).product_id, product)
        self.assertEqual(prepaid.o2o_pickup_slot_id.start, second_slot, "the shopper's choice")
        self.assertEqual(
            prepaid.transaction_ids.provider_id, self.env.ref("o2o_base.payment_provider_demo_vn")
        )
        self.assertTrue(prepaid.currency_id.is_zero(prepaid.amount_unpaid), "paid online")
        self.assertEqual(at_store.amount_unpaid, at_store.amount_total, "to pay at the store")
        self.assertEqual(at_store.partner_id.phone_sanitized, "+84938777888")
        self.assertEqual(at_store.partner_id.name, "Đỗ Thị Hoa")

        # The store prepares both in the back office, then the demo cashier opens the Quận 1
        # counter, hands the prepaid order over on the shopper's ID and charges the guest once.
        new.with_user(self.env.ref("base.user_admin")).action_o2o_pickup_ready()
        before = {product: self._on_hand(product, store) for product in (tshirt, cap)}
        self.start_tour(f"/pos/ui?config_id={counter.id}", "o2o_newcomer_cashier_hands_over", login="cashier")

        self.assertEqual(new.mapped("o2o_pickup_state"), ["collected", "collected"])
        self.assertEqual(new.o2o_pickup_collected_pos_id, counter)
        charged = self.env["pos.order"].search([("lines.sale_order_origin_id", "in", new.ids)])
        self.assertEqual(charged.lines.sale_order_origin_id, at_store, "only the guest was charged")
        self.assertEqual(len(charged), 1, "once")
        self.assertAlmostEqual(charged.amount_paid, at_store.amount_total)
        self.assertEqual(
            charged.payment_ids.payment_method_id, self.env.ref("o2o_base.payment_method_cash_hcm_q1")
        )
        self.assertTrue(at_store.currency_id.is_zero(at_store.amount_unpaid))
        self.assertTrue(prepaid.currency_id.is_zero(prepaid.amount_unpaid))
        id_note = prepaid.message_ids.filtered(lambda m: "checked the customer's ID" in (m.body or ""))
        self.assertEqual(len(id_note), 1)
        self.assertIn(self.env.ref("o2o_base.user_cashier").name, id_note.body)
        self.assertIn("Citizen ID card", id_note.body)
        self.assertEqual(self._on_hand(tshirt, store), before[tshirt] - 1, "the T-shirt left Quận 1 once")
        self.assertEqual(self._on_hand(cap, store), before[cap] - 1, "the cap left Quận 1 once")

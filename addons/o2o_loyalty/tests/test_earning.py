from odoo import Command
from odoo.tests import tagged

from .common import O2oLoyaltyCommon


@tagged("post_install", "-at_install", "o2o")
class TestEarning(O2oLoyaltyCommon):
    """Sale orders earn member points when paid (or delivered), once, at the channel's rate."""

    def _order(self, partner=None, team=None, qty=10, website=None, confirm=True):
        return self._sale_order(
            partner or self.member, [(self.product_a, qty, 10.0)], team=team, website=website, confirm=confirm
        )

    def test_confirmation_does_not_earn_payment_does(self):
        order = self._order()
        self.assertEqual(self.card.points, 0, "a confirmed but unpaid order earns nothing")
        self.assertEqual(order.o2o_loyalty_state, "pending")
        self._paid(order)
        self.assertEqual(order.o2o_loyalty_state, "earned")
        self.assertEqual(self.card.points, 100)
        lot = self.card.o2o_lot_ids
        self.assertEqual((lot.points, lot.remaining, lot.channel_type), (100, 100, "backoffice"))
        self.assertEqual(lot.expiry_date, lot.date.replace(year=lot.date.year + 1))
        earn = self._history(self.card, "earn")
        self.assertEqual((earn.issued, earn.order_id), (100, order.id))

    def test_partial_payment_does_not_earn(self):
        order = self._order()
        self._paid(order, amount=40)
        self.assertEqual(self.card.points, 0)
        self._paid(order, amount=60)
        self.assertEqual(self.card.points, 100)

    def test_earns_once_under_retries(self):
        order = self._order()
        self._paid(order)
        order.o2o_loyalty_state = "pending"  # as if a retried job did not see the first run
        order._o2o_loyalty_check()
        self.env["sale.order"]._cron_o2o_loyalty_earn()
        self.assertEqual(self.card.points, 100)
        self.assertEqual(len(self._history(self.card, "earn")), 1)
        self.assertEqual(len(self.card.o2o_lot_ids), 1)

    def test_cancelled_orders_never_earn_and_cancel_reverses(self):
        unpaid = self._order()
        unpaid._action_cancel()
        self.env["sale.order"]._cron_o2o_loyalty_earn()
        self.assertEqual(self.card.points, 0)
        order = self._order()
        self._paid(order)
        self.assertEqual(self.card.points, 100)
        order._action_cancel()
        self.assertEqual(self.card.points, 0)
        self.assertEqual(order.o2o_loyalty_state, "reversed")
        self.assertEqual(self._history(self.card, "reverse").used, 100)
        self.assertEqual(self._history(self.card, "earn").issued, 100, "the history keeps what was earned")

    def test_delivered_moment_waits_for_delivery(self):
        self.program.o2o_earn_moment = "delivered"
        self.env["stock.quant"]._update_available_quantity(self.product_a, self.store_1.lot_stock_id, 50)
        order = self._sale_order(self.member, [(self.product_a, 10, 10.0)], confirm=False)
        order.warehouse_id = self.store_1
        order.action_confirm()
        self._paid(order)
        self.assertEqual(self.card.points, 0, "paid but not delivered")
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        picking.button_validate()
        self.assertEqual(self.card.points, 100)

    def test_marketplace_earns_half_and_enrolls_buyer(self):
        buyer = self._customer("Phạm Minh", phone="0977 000 111")
        order = self._order(partner=buyer, team=self.shopee_team)
        card = buyer._o2o_member_card()
        self.assertTrue(card, "an identified marketplace buyer is enrolled")
        self.assertEqual(card.points, 50, "marketplace orders earn at 50%")
        self.assertEqual(card.o2o_last_channel_type, "marketplace")
        self.assertFalse(
            order.order_line.filtered("is_reward_line"), "no promotion touches marketplace prices"
        )

    def test_non_member_does_not_earn_unless_joining(self):
        guest = self._customer("Khách lẻ", email="guest@example.com")
        order = self._order(partner=guest)
        self._paid(order)
        self.assertFalse(guest._o2o_member_card())
        joined = self._order(partner=guest, confirm=False)
        joined.o2o_loyalty_join = True
        joined.action_confirm()
        self._paid(joined)
        self.assertEqual(guest._o2o_member_card().points, 100)

    def _guest_checkout_joining(self, name, phone):
        """A guest checks out on the website, typing ``phone``, and ticks "become a member"."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.website.user_id.partner_id.id,
                "company_id": self.company.id,
                "website_id": self.website.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_a.id, "product_uom_qty": 10, "price_unit": 10.0}
                    )
                ],
            }
        )
        guest = (
            self.env["res.partner"]
            .with_user(self.website.user_id)
            .sudo()
            .create({"name": name, "phone": phone, "country_id": self.vn.id})
        )
        order.write({"partner_id": guest.id, "o2o_loyalty_join": True})
        order.action_confirm()
        self._paid(order)
        return guest

    def test_matching_guest_phone_does_not_enroll_someone_else(self):
        someone = self._customer("Võ Thị Lan", phone="0988 222 333", company_id=self.company.id)
        guest = self._guest_checkout_joining("Guest", "0988 222 333")
        self.assertEqual(guest.parent_id, someone, "the order still counts for the customer")
        self.assertFalse(someone._o2o_member_card(), "the guest's opt-in does not enroll someone else")

    def test_matching_guest_opt_in_enrolls_new_customer(self):
        guest = self._guest_checkout_joining("New guest", "0988 444 555")
        self.assertEqual(guest._o2o_member_card().points, 100)

    def test_tier_multiplier(self):
        self._give_points(self.card, 600)
        self.card._o2o_update_tier()
        self.assertEqual(self.card.o2o_tier_id, self.silver)
        order = self._order()
        self._paid(order)
        self.assertEqual(self.card.points, 600 + 150, "Silver earns 1.5 points per point")

    def test_credit_note_reverses_proportionally(self):
        order = self._order()
        self._paid(order)
        self.assertEqual(self.card.points, 100)
        order._create_invoices().action_post()
        refund = order.invoice_ids._reverse_moves()
        refund.invoice_line_ids.quantity = 3
        refund.action_post()
        self.assertEqual(self.card.points, 70, "30% refunded takes back 30% of the points")
        refund.button_draft()
        refund.action_post()
        self.assertEqual(self.card.points, 70, "posting the same credit note again takes nothing more")

    def test_partial_redemption_spends_chosen_points(self):
        self._give_points(self.card, 200)
        order = self._order(confirm=False)
        order._update_programs_and_rewards()
        order._o2o_spend_points(50)
        reward_line = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(reward_line.price_unit, -5.0, msg="50 points x 0.1")
        self.assertAlmostEqual(reward_line.points_cost, 50)
        order.action_confirm()
        self.assertEqual(self.card.points, 150)
        spend = self.card.history_ids.filtered(lambda h: h.used and h.order_id == order.id)
        self.assertEqual(spend.used, 50)

    def test_cannot_spend_more_than_balance_or_unearned_points(self):
        self._give_points(self.card, 20)
        order = self._order(confirm=False)
        order._update_programs_and_rewards()
        with self.assertRaisesRegex(Exception, "cannot spend 80"):
            order._o2o_spend_points(80)

    def test_tier_only_reward(self):
        gold_reward = self.env["loyalty.reward"].create(
            {
                "program_id": self.program.id,
                "reward_type": "discount",
                "discount_mode": "percent",
                "discount": 20,
                "required_points": 10,
                "description": "Gold 20%",
                "o2o_tier_ids": [Command.set(self.gold.ids)],
            }
        )
        self._give_points(self.card, 100)
        self.card._o2o_update_tier()
        order = self._order(confirm=False)
        order._update_programs_and_rewards()
        self.assertNotIn(
            gold_reward, order._get_claimable_rewards().get(self.card, self.env["loyalty.reward"])
        )
        self._give_points(self.card, 2000)
        self.card._o2o_update_tier()
        self.assertEqual(self.card.o2o_tier_id, self.gold)
        self.assertIn(gold_reward, order._get_claimable_rewards()[self.card])

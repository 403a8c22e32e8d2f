from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestNewcomerMember(HttpCase):
    """The demo's own O2O Member programme and rates, as `./o2o run` installs them: nothing is
    prepared here (no program of the test's own, no balance written, no provider enabled)."""

    def test_demo_shopper_sees_her_points_spends_some_and_earns_on_the_rest(self):
        card = self.env.ref("o2o_loyalty.card_binh")
        program = self.env.ref("o2o_loyalty.program_o2o_member")
        shopper = self.env.ref("o2o_base.user_shopper").partner_id
        self.assertEqual(card.partner_id, shopper)
        self.assertEqual(card.points, 245, "the demo history: store, website and Shopee")
        self.assertEqual(card.o2o_tier_id.name, "Member")
        self.assertEqual(
            self.env["loyalty.program"].search([("program_type", "=", "loyalty")]),
            program,
            "one loyalty programme: no second card or balance beside the membership",
        )
        self.assertEqual(program.currency_id.name, "VND", "the demo retailer's programme, in dong")
        before = self.env["sale.order"].search([("partner_id", "=", shopper.id)])

        self.start_tour("/vi/my", "o2o_newcomer_member", login="shopper")

        order = self.env["sale.order"].search([("partner_id", "=", shopper.id)]) - before
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.currency_id.is_zero(order.amount_unpaid), "paid online")
        reward = order.order_line.filtered("is_reward_line")
        self.assertAlmostEqual(sum(reward.mapped("points_cost")), 40)
        # The demo's value of a point, in the company's currency (0.05, or 500 ₫ in dong).
        point_value = program.reward_ids.filtered(lambda r: r.discount_mode == "per_point").discount
        self.assertAlmostEqual(-sum(reward.mapped("price_total")), 40 * point_value, places=2)
        # Earned once paid, at the demo's rate and the Member tier's multiplier (1).
        rate = program.rule_ids.filtered(lambda r: r.reward_point_mode == "money").reward_point_amount
        self.assertEqual(order.o2o_loyalty_state, "earned")
        earned = card.history_ids.filtered(
            lambda h: h.issued and h.order_model == "sale.order" and h.order_id == order.id
        )
        self.assertEqual(len(earned), 1, "earned once")
        self.assertGreater(earned.issued, 0)
        # As Odoo's loyalty counts it: on the goods bought, before points paid part of them.
        bought = order.order_line.filtered(lambda line: not line.is_reward_line and not line.is_delivery)
        self.assertAlmostEqual(earned.issued, sum(bought.mapped("price_total")) * rate, places=2)
        self.assertAlmostEqual(card.points, 245 - 40 + earned.issued, places=2)

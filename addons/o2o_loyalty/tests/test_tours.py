from odoo import Command
from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged

from .common import make_membership, make_voucher_program

VOUCHER = "044O2OTOURVOUCHER01"


@tagged("post_install", "-at_install", "o2o")
class TestLoyaltyTours(TestPointOfSaleHttpCommon):
    """What a cashier and a shopper click through, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        company = cls.env.company
        company.country_id = cls.env.ref("base.vn")
        Program = cls.env["loyalty.program"].sudo().with_context(active_test=False)
        Program.search([("o2o_is_membership", "=", True)]).write({"o2o_is_membership": False})
        Program.search([]).write({"active": False})
        # The point of sale sells for the test company, the website for its own company.
        cls.web_company = cls.env.ref("website.default_website").company_id
        cls.program = make_membership(cls.env, company)
        cls.web_program = cls.program
        if cls.web_company != company:
            cls.web_program = make_membership(cls.env(su=True), cls.web_company)
        cls.store = cls.main_pos_config.warehouse_id
        cls.store.name = "o2o Tour Store"
        cls.product = cls.env["product.product"].create(
            {
                "name": "o2o Loyalty Tee",
                "list_price": 50.0,
                "available_in_pos": True,
                "taxes_id": [Command.clear()],
                "is_published": True,
                "sale_ok": True,
            }
        )
        cls.portal_group = cls.env.ref("base.group_portal")

    def _portal_user(self, partner, login):
        return self.env["res.users"].create(
            {
                "login": login,
                "password": login,
                "partner_id": partner.id,
                "groups_id": [Command.set(self.portal_group.ids)],
            }
        )

    def test_cashier_enrolls_by_phone_then_member_sees_points_in_portal(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_loyalty_cashier_enroll")
        self.env.invalidate_all()
        partner = self.env["res.partner"].search([("phone_sanitized", "=", "+84934567890")])
        self.assertEqual(len(partner), 1)
        card = partner._o2o_member_card()
        self.assertEqual(card.points, 50)
        self.assertEqual(card.o2o_lot_ids.store_id, self.store)
        self.assertEqual(len(card.history_ids.filtered(lambda h: h.issued)), 1, "earned once")
        self._portal_user(partner, "lan_member")
        self.start_tour("/my", "o2o_loyalty_portal", login="lan_member")

    def test_cashier_spends_the_points_the_member_chooses(self):
        partner = self.env["res.partner"].create({"name": "Spending Member"})
        card = partner._o2o_member_card(create=True, channel="store")
        card._o2o_adjust(200, "Tour balance")
        silver = self.program.o2o_tier_ids.filtered(lambda t: t.name == "Silver")
        card.o2o_tier_id = silver
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_loyalty_cashier_spend_points")
        self.env.invalidate_all()
        order = self.env["pos.order"].search([("partner_id", "=", partner.id)])
        self.assertAlmostEqual(sum(order.lines.mapped("points_cost")), 30)
        self.assertEqual(
            card.points, 200 - 30 + 75, "30 spent, 50 x 1.5 earned on the tee, as the screen said"
        )
        self.assertEqual(self._history_kinds(card), ["adjust", "spend", "earn"])

    def _history_kinds(self, card):
        return card.history_ids.sorted("id").mapped("o2o_kind")

    def test_shopper_spends_part_of_points_online(self):
        partner = self.env["res.partner"].create({"name": "Online Spender", "email": "spender@example.com"})
        card = partner._o2o_member_card(company=self.web_company, create=True, channel="website")
        card._o2o_adjust(200, "Tour balance")
        self._portal_user(partner, "spender")
        self.start_tour("/shop", "o2o_loyalty_spend_online", login="spender")
        self.env.invalidate_all()
        # The website sells for its own company: read its order as the website does.
        lines = self.env["sale.order.line"].sudo().search([("order_id.partner_id", "=", partner.id)])
        reward_line = lines.filtered("is_reward_line")
        self.assertAlmostEqual(sum(reward_line.mapped("points_cost")), 30, msg=reward_line.mapped("name"))
        self.assertAlmostEqual(
            sum(reward_line.mapped("price_total")),
            -3.0,
            msg=[(ln.name, ln.price_unit, ln.price_total, ln.product_id.name) for ln in reward_line],
        )

    def test_voucher_redeemed_in_store_is_refused_online(self):
        # Shared by the test company (the point of sale) and the website's company.
        program = make_voucher_program(
            self.env,
            "E-mail voucher",
            discount=10,
            company_id=False,
            currency_id=self.env.company.currency_id.id,
        )
        voucher = self.env["loyalty.card"].create({"program_id": program.id, "code": VOUCHER, "points": 1})
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_loyalty_cashier_voucher")
        self.env.invalidate_all()
        self.assertEqual(voucher.points, 0, "used once, at the counter")
        self.assertEqual(voucher.history_ids.o2o_kind, "spend")
        partner = self.env["res.partner"].create({"name": "Voucher Shopper", "email": "voucher@example.com"})
        self._portal_user(partner, "voucher_shopper")
        self.start_tour("/shop", "o2o_loyalty_voucher_refused_online", login="voucher_shopper")
        self.env.invalidate_all()
        order = self.env["sale.order"].sudo().search([("partner_id", "=", partner.id)], limit=1)
        self.assertFalse(order.order_line.filtered("is_reward_line"), "the website did not take it")

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestPickupCashierRights(TransactionCase):
    """A cashier (Point of Sale user, no sales or inventory rights) settles click & collect
    orders through pos_sale, which reads them with the cashier's rights: those orders only."""

    def setUp(self):
        super().setUp()
        self.cashier = self.env.ref("o2o_base.user_cashier")
        self.assertTrue(self.cashier.has_group("point_of_sale.group_pos_user"))
        for group in (
            "sales_team.group_sale_salesman",
            "stock.group_stock_user",
            "account.group_account_invoice",
        ):
            self.assertFalse(self.cashier.has_group(group), f"the demo cashier is not in {group}")
        self.pickup = self.env.ref("o2o_pickup.sale_order_pickup_binh")
        self.other = self.env.ref("o2o_base.sale_order_web_an")

    def test_cashier_reads_pickup_orders_and_their_lines(self):
        as_cashier = self.pickup.with_user(self.cashier)
        self.assertEqual(as_cashier.read(["name", "amount_total"])[0]["name"], self.pickup.name)
        self.assertTrue(as_cashier.order_line.read(["product_id", "product_uom_qty"]))

    def test_cashier_reads_no_other_sale_order(self):
        with self.assertRaises(AccessError):
            self.other.with_user(self.cashier).read(["name"])
        with self.assertRaises(AccessError):
            self.other.order_line.with_user(self.cashier).read(["name"])
        visible = self.env["sale.order"].with_user(self.cashier).search([])
        self.assertIn(self.pickup, visible)
        self.assertNotIn(self.other, visible)

    def test_cashier_changes_no_pickup_order_directly(self):
        with self.assertRaises(AccessError):
            self.pickup.with_user(self.cashier).write({"o2o_pickup_state": "collected"})
        with self.assertRaises(AccessError):
            self.pickup.order_line[:1].with_user(self.cashier).write({"product_uom_qty": 5})

    def _pos_user(self, *groups):
        """A user of the demo retailer's company, as its cashier is."""
        company = self.pickup.company_id
        return self.env["res.users"].create(
            {
                "name": "Counter",
                "login": f"counter_{len(groups)}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [self.env.ref(group).id for group in ("base.group_user", *groups)])],
            }
        )

    def test_cashier_with_inventory_rights_still_reads_every_sale_order(self):
        # Odoo's own POS users settle any quotation with pos_sale: the rule narrows nothing.
        user = self._pos_user("point_of_sale.group_pos_user", "stock.group_stock_user")
        visible = self.env["sale.order"].with_user(user).search([])
        self.assertEqual(
            visible, self.env["sale.order"].search([("company_id", "=", self.pickup.company_id.id)])
        )

    def test_salesperson_at_the_counter_reads_own_orders_and_pickups(self):
        user = self._pos_user("point_of_sale.group_pos_user", "sales_team.group_sale_salesman")
        own = self.other.copy({"user_id": user.id})
        self.other.user_id = self.env.ref("base.user_admin")  # another salesperson's order
        visible = self.env["sale.order"].with_user(user).search([])
        self.assertIn(own, visible)
        self.assertIn(self.pickup, visible)
        self.assertNotIn(self.other, visible)

from odoo import Command
from odoo.tests import tagged

from .common import O2oLoyaltyCommon


@tagged("post_install", "-at_install", "o2o")
class TestStockRights(O2oLoyaltyCommon):
    """Odoo's own stock flows keep working for the people Odoo lets run them."""

    def test_warehouse_staff_validates_delivery_of_someone_elses_order(self):
        """Issue 11, point 11: as Odoo's sale_stock test_inventory_admin_no_backorder_not_own_sale_order.

        A stock manager whose sales right is "own documents only" validates the delivery of a
        sale order of another salesperson: the delivery is done and the member earns the points
        of a delivered-moment program, although that user cannot read the order.
        """
        self.program.o2o_earn_moment = "delivered"
        self.env["stock.quant"]._update_available_quantity(self.product_a, self.store_1.lot_stock_id, 50)
        order = self._sale_order(self.member, [(self.product_a, 10, 10.0)], confirm=False)
        order.warehouse_id = self.store_1
        order.action_confirm()
        self._paid(order)
        stock_user = self.env["res.users"].create(
            {
                "name": "Kho Quận 1",
                "login": "stock_own_docs",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("stock.group_stock_manager").id,
                            self.env.ref("sales_team.group_sale_salesman").id,
                        ]
                    )
                ],
            }
        )
        self.assertFalse(order.with_user(stock_user).has_access("read"), "the order is not theirs")
        picking = order.picking_ids.with_user(stock_user)
        picking.move_ids.quantity = 10
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.card.points, 100)

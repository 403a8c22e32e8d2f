from odoo.tests import tagged

from .common import O2oCommon


@tagged("post_install", "-at_install", "o2o")
class TestStoresAndChannels(O2oCommon):
    def test_store_gets_its_channel_and_pos(self):
        self.assertEqual(self.store_1.o2o_team_id.o2o_channel_type, "store")
        self.assertEqual(self.store_1.o2o_team_id.o2o_store_id, self.store_1)
        self.assertEqual(self.store_1.o2o_team_id.name, "Store Q1")
        # The POS of the store ships from it and sells through its channel.
        self.assertEqual(self.config.picking_type_id, self.store_1.pos_type_id)
        self.assertEqual(self.config.crm_team_id, self.store_1.o2o_team_id)
        self.assertEqual(self.store_1.o2o_pos_config_count, 1)
        # Renaming the store renames its channel; making a warehouse a store later works too.
        self.store_1.name = "Store Q1 Lê Thánh Tôn"
        self.assertEqual(self.store_1.o2o_team_id.name, "Store Q1 Lê Thánh Tôn")
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Depot", "code": "TDP", "company_id": self.company.id}
        )
        self.assertFalse(warehouse.o2o_team_id)
        warehouse.o2o_is_store = True
        self.assertEqual(warehouse.o2o_team_id.o2o_channel_type, "store")

    def test_store_address_coordinates_phone_hours(self):
        calendar = self.env["resource.calendar"].create({"name": "08-22", "company_id": self.company.id})
        self.store_1.partner_id = self._customer(
            "Store Q1 address", street="72 Lê Thánh Tôn", city="Hồ Chí Minh"
        )
        self.store_1.write(
            {
                "o2o_phone": "028 3822 1234",
                "o2o_latitude": 10.7769,
                "o2o_longitude": 106.7009,
                "opening_hours": calendar.id,
            }
        )
        self.assertEqual(self.store_1.partner_id.phone, "028 3822 1234")
        self.assertAlmostEqual(self.store_1.partner_id.partner_latitude, 10.7769)
        self.assertIn("mlat=10.7769", self.store_1.action_o2o_open_map()["url"])
        self.store_1.o2o_latitude = self.store_1.o2o_longitude = 0.0
        self.assertIn("search?query=72+L", self.store_1._o2o_map_url())

    def test_pickup_enabled_is_the_click_and_collect_carrier(self):
        carrier = self.env.ref("website_sale_collect.carrier_pick_up_in_store")
        self.assertFalse(self.store_1.o2o_pickup_enabled)
        self.store_1.o2o_pickup_enabled = True
        self.assertIn(self.store_1, carrier.warehouse_ids)
        self.assertIn(self.store_1, self.env["stock.warehouse"].search([("o2o_pickup_enabled", "=", True)]))
        self.store_1.o2o_pickup_enabled = False
        self.assertNotIn(self.store_1, carrier.warehouse_ids)

    def test_backoffice_order_channel(self):
        customer = self._customer("Bình", mobile="0986 555 444")
        order = self._sale_order(customer, [(self.product_a, 1, 10.0)])
        self.assertEqual(order.o2o_channel_type, "backoffice")
        # A team without an explicit type (Odoo's default) is back office.
        order_default = self.env["sale.order"].create(
            {"partner_id": customer.id, "company_id": self.company.id}
        )
        self.assertEqual(
            order_default.o2o_channel_type, order_default.team_id.o2o_channel_type or "backoffice"
        )

    def test_website_order_channel(self):
        customer = self._customer("An", mobile="0938 111 222")
        # Website orders are website channel whatever their team.
        order = self._sale_order(
            customer, [(self.product_a, 1, 10.0)], team=self.phone_team, website=self.website
        )
        self.assertEqual(order.o2o_channel_type, "website")

    def test_marketplace_order_channel(self):
        customer = self._customer("Buyer")
        order = self._sale_order(customer, [(self.product_a, 1, 10.0)], team=self.shopee_team)
        self.assertEqual(order.o2o_channel_type, "marketplace")
        self.shopee_team.o2o_channel_type = "backoffice"
        self.assertEqual(order.o2o_channel_type, "backoffice")

    def test_store_order_from_sales_goes_to_store(self):
        customer = self._customer("Walk-in")
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "company_id": self.company.id, "warehouse_id": self.store_2.id}
        )
        self.assertEqual(order.o2o_store_id, self.store_2)

    def test_pos_order_channel_and_store(self):
        customer = self._customer("Cường", mobile="0909 777 888")
        order = self._pos_order(customer, [(self.product_a, 2)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.o2o_channel_type, "store")
        self.assertEqual(order.o2o_store_id, self.store_1)
        self.assertEqual(order.crm_team_id, self.store_1.o2o_team_id)
        # Moving the POS to another store later does not rewrite history.
        self.config.current_session_id.action_pos_session_closing_control()
        self.config.warehouse_id = self.store_2
        self.assertEqual(order.o2o_store_id, self.store_1)

    def test_pos_without_team_falls_back_to_store_channel(self):
        self.config.crm_team_id = False
        order = self._pos_order(False, [(self.product_b, 1)])
        self.assertEqual(order.crm_team_id, self.store_1.o2o_team_id)

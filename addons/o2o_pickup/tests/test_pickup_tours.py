from odoo import Command
from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.tests import HttpCase, tagged

from .common import always_open_calendar, put_in_stock


@tagged("post_install", "-at_install", "o2o")
class TestPickupShopperTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        calendar = always_open_calendar(cls.env)
        address = {
            "street": "1 Tour Street",
            "city": "Hồ Chí Minh",
            "zip": "700000",
            "country_id": cls.env.ref("base.vn").id,
        }
        cls.store = cls.env["stock.warehouse"].create(
            {
                "name": "Tour Store",
                "code": "TTS",
                "o2o_is_store": True,
                "opening_hours": calendar.id,
                "o2o_pickup_slot_minutes": 60,
                "o2o_pickup_lead_hours": 1.0,
                "partner_id": cls.env["res.partner"]
                .create({"name": "Shop 1", "partner_latitude": 1.0, "partner_longitude": 2.0, **address})
                .id,
            }
        )
        carrier = cls.env.ref("website_sale_collect.carrier_pick_up_in_store")
        # Odoo's own method, published for this shop of the test's own (the demo publishes its
        # retailer's); shoppers may pay at the store (the demo enables it in Odoo's company too).
        carrier.write({"warehouse_ids": [Command.set(cls.store.ids)], "is_published": True})
        cls.product = cls.env["product.product"].create(
            {"name": "o2o Pickup Product", "is_storable": True, "list_price": 20.0, "website_published": True}
        )
        put_in_stock(cls.env, cls.product, cls.store, 10)
        cls.shopper = cls.env.ref("base.demo_user0")
        cls.shopper.partner_id.write({"phone": "+84 938 000 111", **address})

    def test_shopper_chooses_store_and_slot_and_sees_qr(self):
        second_slot = self.store.o2o_get_pickup_slots()[1]["start"]
        self.start_tour("/", "o2o_pickup_shopper", login=self.shopper.login)
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.shopper.partner_id.id), ("o2o_pickup_state", "!=", False)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.o2o_pickup_state, "confirmed")
        self.assertEqual(order.o2o_pickup_store_id, self.store)
        self.assertEqual(order.o2o_pickup_slot_id.start, second_slot)
        self.assertTrue(order.o2o_pickup_code)

    def test_shopper_pays_online_and_collects_without_paying_again(self):
        # The demo instance (./o2o run, and the database of these tests) adds Odoo's demo
        # provider in test mode: a shopper can pay online without a real provider.
        demo = self.env.ref("payment.payment_provider_demo")
        self.assertEqual((demo.code, demo.state, demo.is_published), ("demo", "test", True))
        self.start_tour("/", "o2o_pickup_shopper_online", login=self.shopper.login)
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.shopper.partner_id.id), ("o2o_pickup_state", "!=", False)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.o2o_pickup_state, "confirmed")
        self.assertEqual(order.transaction_ids.provider_id, demo)
        self.assertEqual(order.transaction_ids.state, "done")
        self.assertTrue(order.currency_id.is_zero(order.amount_unpaid), "nothing left to pay at the counter")
        self.assertTrue(order.o2o_pickup_code)

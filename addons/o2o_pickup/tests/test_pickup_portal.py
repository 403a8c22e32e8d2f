from odoo import Command, http
from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.tests import HttpCase, new_test_user, tagged

from .common import always_open_calendar


@tagged("post_install", "-at_install", "o2o")
class TestPickupPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        calendar = always_open_calendar(cls.env)
        cls.store = cls.env.ref("stock.warehouse0")
        cls.store.write({"o2o_is_store": True, "opening_hours": calendar.id})
        cls.store.o2o_pickup_enabled = True
        cls.product = cls.env["product.product"].create({"name": "Portal pickup product", "list_price": 10})
        cls.alice = new_test_user(
            cls.env, login="o2o_alice", groups="base.group_portal", password="o2o_alice_pw"
        )
        cls.bob = new_test_user(cls.env, login="o2o_bob", groups="base.group_portal", password="o2o_bob_pw")
        cls.order_alice = cls._order(cls.alice)
        cls.order_bob = cls._order(cls.bob)

    @classmethod
    def _order(cls, user):
        order = cls.env["sale.order"].create(
            {
                "partner_id": user.partner_id.id,
                "carrier_id": cls.env.ref("website_sale_collect.carrier_pick_up_in_store").id,
                "warehouse_id": cls.store.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        return order

    def test_my_pickups_shows_only_mine(self):
        self.authenticate("o2o_alice", "o2o_alice_pw")
        page = self.url_open("/my/pickups").text
        self.assertIn(self.order_alice.name, page)
        self.assertIn(self.order_alice.o2o_pickup_code, page)
        self.assertNotIn(self.order_bob.name, page)
        self.assertNotIn(self.order_bob.o2o_pickup_code, page)
        order_page = self.url_open(self.order_alice.get_portal_url()).text
        self.assertIn("o_o2o_pickup_card", order_page)
        self.assertIn("data:image/png;base64,", order_page)
        self.assertEqual(self.url_open(f"/my/orders/{self.order_bob.id}").url.split("?")[0][-3:], "/my")

    def test_cancel_own_pickup_only(self):
        self.authenticate("o2o_alice", "o2o_alice_pw")
        csrf = http.Request.csrf_token(self)
        self.url_open(f"/my/pickups/{self.order_bob.id}/cancel", data={"csrf_token": csrf})
        self.assertEqual(
            self.order_bob.o2o_pickup_state, "confirmed", "another customer's pickup is untouched"
        )
        self.url_open(f"/my/pickups/{self.order_alice.id}/cancel", data={"csrf_token": csrf})
        self.assertEqual(self.order_alice.o2o_pickup_state, "cancelled")

    def test_no_cancel_once_prepared(self):
        self.order_alice.action_o2o_pickup_prepare()
        self.authenticate("o2o_alice", "o2o_alice_pw")
        self.url_open(
            f"/my/pickups/{self.order_alice.id}/cancel", data={"csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(self.order_alice.o2o_pickup_state, "preparing")

    def test_anonymous_sees_no_pickup(self):
        response = self.url_open("/my/pickups")
        self.assertIn("/web/login", response.url)

from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        cls.env.company.country_id = cls.env.ref("base.vn")
        cls.an = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "phone": "0938 111 222", "email": "an@example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "o2o Tour Gift Card", "type": "service", "list_price": 20.0, "website_published": True}
        )
        transfer = cls.env.ref("payment.payment_provider_transfer")
        transfer.write({"state": "enabled", "is_published": True})
        transfer._transfer_ensure_pending_msg_is_set()

    def test_guest_checkout_links_existing_customer(self):
        partners_before = self.env["res.partner"].search_count([("parent_id", "=", False)])
        self.start_tour("/", "o2o_guest_checkout_links_customer")
        order = self.env["sale.order"].search([("order_line.product_id", "=", self.product.id)])
        self.assertEqual(len(order), 1)
        guest = order.partner_id
        self.assertEqual(guest.phone_sanitized, "+84938111222")
        # Staff confirm the order once the transfer arrives.
        order.action_confirm()
        self.assertEqual(order.o2o_channel_type, "website")
        self.assertEqual(guest.parent_id, self.an)
        self.assertEqual(order.partner_id.commercial_partner_id, self.an)
        self.assertEqual(
            self.env["res.partner"].search_count([("parent_id", "=", False)]),
            partners_before,
            "no new top-level customer",
        )

    def test_dashboard_tour(self):
        self.env["sale.order"].create(
            {
                "partner_id": self.an.id,
                "website_id": self.env.ref("website.default_website").id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        ).action_confirm()
        self.start_tour("/odoo", "o2o_dashboard_tour", login="admin")

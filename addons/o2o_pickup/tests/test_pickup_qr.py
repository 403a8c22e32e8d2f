import calendar
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.o2o_base.utils import qr_image
from odoo.tests import HttpCase, new_test_user, tagged

from .common import pay_online, put_in_stock


@tagged("post_install", "-at_install", "o2o")
class TestPickupQr(HttpCase):
    """The e-mailed QR: no code in any URL, an image nobody caches, a token that expires."""

    def setUp(self):
        super().setUp()
        self.store = self.env.ref("stock.warehouse0")
        self.product = self.env["product.product"].create(
            {"name": "o2o QR bag", "is_storable": True, "list_price": 10.0}
        )
        put_in_stock(self.env, self.product, self.store, 5)
        self.customer = self.env["res.partner"].create({"name": "QR customer", "email": "qr@example.com"})
        self.order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "carrier_id": self.env.ref("website_sale_collect.carrier_pick_up_in_store").id,
                "warehouse_id": self.store.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        self.order.action_confirm()
        self.order.action_o2o_pickup_ready()

    def _ready_mail(self):
        return self.order.message_ids.filtered(lambda m: "ready for pickup" in (m.subject or ""))

    def test_qr_mail_image_link_holds_no_code(self):
        mail = self._ready_mail()
        self.assertEqual(len(mail), 1)
        body = str(mail.body)
        self.assertIn(self.order.o2o_pickup_code, body, "the code is in the text of the e-mail")
        url = self.order.o2o_pickup_qr_url
        self.assertIn(url.replace("&", "&amp;"), body)
        self.assertNotIn(self.order.o2o_pickup_code, url)
        self.assertNotIn(self.order.o2o_pickup_code.replace("-", ""), url)
        self.assertNotIn("O2OPU", url)
        self.assertNotIn("/o2o/qr/", body, "no public renderer of the payload")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        self.assertEqual(response.content, qr_image(self.order._o2o_pickup_token(), box_size=6))

    def test_qr_image_link_forged_or_expired_refused(self):
        url = self.order.o2o_pickup_qr_url
        forged = url[:-1] + ("0" if url[-1] != "0" else "1")
        self.assertEqual(self.url_open(forged).status_code, 404)
        past = calendar.timegm((fields.Datetime.now() - timedelta(minutes=1)).timetuple())
        signature = self.order._o2o_pickup_sign("o2o_pickup_qr_image", f"{self.order.id}:{past}")
        expired = f"/o2o/pickup/qr/{self.order.id}/{past}/{signature}"
        self.assertEqual(self.url_open(expired).status_code, 404)
        self.assertEqual(self.url_open(url).status_code, 200)
        self.order.with_context(o2o_pickup_no_notify=True).action_o2o_pickup_no_show()
        self.assertEqual(self.url_open(url).status_code, 404, "only open pickups")

    def test_qr_token_proves_the_order_and_expires(self):
        config = self.env["pos.config"].create({"name": "o2o QR register", "warehouse_id": self.store.id})
        config.open_ui()
        config.current_session_id.set_opening_control(0, None)
        cashier = new_test_user(
            self.env, login="o2o_qr_cashier", groups="base.group_user,point_of_sale.group_pos_user"
        )
        Sale = self.env["sale.order"].with_user(cashier)
        token = self.order._o2o_pickup_token()
        self.assertNotIn(self.order.o2o_pickup_code, token)
        self.assertNotIn(self.order.o2o_pickup_code.replace("-", ""), token)
        prefix, order_id, exp, signature = token.split(":")
        later = ":".join([prefix, order_id, str(int(exp) + 86400), signature])
        self.assertIn("Unknown pickup code", Sale.o2o_pos_pickup_find(later, config.id)["error"], "forged")
        with freeze_time(self.order.o2o_pickup_deadline + timedelta(minutes=1)):
            self.assertIn("QR expired", Sale.o2o_pos_pickup_find(token, config.id)["error"])
            self.assertIn(
                "not the pickup code", Sale.o2o_pos_pickup_collect(self.order.id, config.id, token)["error"]
            )
        self.assertEqual(self.order.o2o_pickup_state, "ready")
        found = Sale.o2o_pos_pickup_find(token, config.id)["orders"]
        self.assertTrue(found[0]["proven"])
        pay_online(self.env, self.order)
        result = Sale.o2o_pos_pickup_collect(self.order.id, config.id, token)
        self.assertEqual(result["state"], "collected", "the QR alone proves the order")

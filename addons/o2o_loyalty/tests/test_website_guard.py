import re

from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.tests import HttpCase, new_test_user, tagged

from ..utils import code_guess_key, parse_points
from .common import membership_program


@tagged("post_install", "-at_install", "o2o")
class TestWebsiteGuard(HttpCase):
    """What a shopper's browser sends to the loyalty routes is checked, never a server error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        odoo_demo_website(cls.env)
        cls.program = membership_program(cls.env, cls.env.company)
        cls.user = new_test_user(cls.env, login="spender", groups="base.group_portal", name="Spender")
        cls.card = cls.user.partner_id._o2o_member_card(create=True, channel="website")
        cls.card._o2o_adjust(500, "test balance")
        cls.website = cls.env.ref("website.default_website")
        product = cls.env["product.product"].create(
            {
                "name": "Guard shirt",
                "list_price": 100000,
                "taxes_id": [],
                "sale_ok": True,
                "is_published": True,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.user.partner_id.id,
                "website_id": cls.website.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )

    def test_spend_points_refuses_unusable_numbers(self):
        self.authenticate("spender", "spender")
        page = self.url_open("/my/account").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for points in ("nan", "inf", "-inf", "-1", "0", "1e308", "1e400", "abc", ""):
            response = self.url_open(
                "/shop/o2o_loyalty/spend", data={"csrf_token": token, "points": points}, allow_redirects=False
            )
            self.assertEqual(response.status_code, 303, f"points={points!r}")
        self.assertFalse(self.order.order_line.filtered("is_reward_line"))
        self.card.invalidate_recordset()
        self.assertEqual(self.card.points, 500)

    def test_spend_points_parse(self):
        for value in ("nan", "inf", "-1", "0", "1e12", "abc", None, ""):
            self.assertIsNone(parse_points(value), value)
        self.assertEqual(parse_points("120"), 120.0)

    def test_code_guess_key_per_visitor(self):
        """Behind a proxy every visitor has the same address: sessions keep their counts apart."""
        self.assertNotEqual(code_guess_key("10.0.0.1", "session-a"), code_guess_key("10.0.0.1", "session-b"))
        self.assertNotIn("session-a", code_guess_key("10.0.0.1", "session-a"))

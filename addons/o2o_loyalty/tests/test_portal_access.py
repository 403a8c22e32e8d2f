import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import make_membership


@tagged("post_install", "-at_install", "o2o")
class TestPortalLoyalty(HttpCase):
    """My Loyalty shows the logged-in member's own card, history and QR, and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["loyalty.program"]._o2o_membership(cls.env.company) or make_membership(
            cls.env, cls.env.company
        )
        cls.user_a = new_test_user(cls.env, login="member_a", groups="base.group_portal", name="Member A")
        cls.user_b = new_test_user(cls.env, login="member_b", groups="base.group_portal", name="Member B")
        cls.card_a = cls.user_a.partner_id._o2o_member_card(create=True, channel="website")
        cls.card_b = cls.user_b.partner_id._o2o_member_card(create=True, channel="store")
        cls.card_a._o2o_adjust(120, "Welcome gift for A")
        cls.card_b._o2o_adjust(999, "Secret gift for B")

    def test_member_sees_own_card_only(self):
        self.authenticate("member_a", "member_a")
        page = self.url_open("/my/loyalty").text
        self.assertIn(self.card_a.code, page)
        self.assertIn("Welcome gift for A", page)
        self.assertIn("Member QR", page)
        self.assertNotIn(self.card_b.code, page)
        self.assertNotIn("Secret gift for B", page)
        # Odoo's own history page of another member's card sends back to the portal.
        other = self.url_open(f"/my/loyalty_card/{self.card_b.id}/history")
        self.assertNotIn("Secret gift for B", other.text)

    def test_non_member_can_join(self):
        user_c = new_test_user(self.env, login="member_c", groups="base.group_portal", name="Member C")
        self.authenticate("member_c", "member_c")
        page = self.url_open("/my/loyalty").text
        self.assertIn("not a member yet", page)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.url_open("/my/loyalty/join", data={"csrf_token": token})
        self.assertTrue(user_c.partner_id._o2o_member_card())

    def test_public_is_sent_to_login(self):
        response = self.url_open("/my/loyalty", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

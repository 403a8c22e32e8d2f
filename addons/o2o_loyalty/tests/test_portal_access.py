import re

from odoo import http
from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.tests import HttpCase, new_test_user, tagged

from .common import membership_program


@tagged("post_install", "-at_install", "o2o")
class TestPortalLoyalty(HttpCase):
    """My Loyalty shows the logged-in member's own card, history and QR, and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        cls.program = membership_program(cls.env, cls.env.company)
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
        self.assertIn(f"+{self.card_a._format_points(120)}", page, "points shown as the program names them")
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


@tagged("post_install", "-at_install", "o2o")
class TestSignupLoyalty(HttpCase):
    """The sign-up form offers the membership; only a ticked box enrolls the new customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of the test's own, in Odoo's demo company: Odoo's website answers.
        cls.website = odoo_demo_website(cls.env)
        cls.program = membership_program(cls.env, cls.env.company)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")

    def _sign_up(self, login, **extra):
        self.authenticate(None, None)
        payload = {
            "login": login,
            "name": login.split("@")[0].title(),
            "password": "a-long-password-1",
            "confirm_password": "a-long-password-1",
            "csrf_token": http.Request.csrf_token(self),
            **extra,
        }
        self.url_open("/web/signup", data=payload)
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertTrue(user, "the account is created")
        return user

    def test_signup_form_offers_the_membership_unticked(self):
        self.authenticate(None, None)
        page = self.url_open("/web/signup").text
        self.assertIn('name="o2o_loyalty_join"', page)
        self.assertIn(self.program.name, page)
        self.assertIn("Become a member", page)
        self.assertNotRegex(page, r'name="o2o_loyalty_join"[^>]*checked')

    def test_ticked_box_enrolls_the_new_customer(self):
        user = self._sign_up("an.member@example.com", o2o_loyalty_join="1")
        card = user.partner_id._o2o_member_card()
        self.assertTrue(card, "the new customer is a member")
        self.assertEqual(card.program_id, self.program)
        self.assertEqual(card.o2o_last_channel_type, "website")
        self.authenticate("an.member@example.com", "a-long-password-1")
        self.assertIn(card.code, self.url_open("/my/loyalty").text)

    def test_unticked_box_enrolls_nobody(self):
        user = self._sign_up("no.member@example.com")
        self.assertFalse(user.partner_id._o2o_member_card())

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

# (typed number, country of the customer or None for the company's Vietnam, E.164 or False)
PHONE_TABLE = [
    ("0938 111 222", None, "+84938111222"),
    ("0938111222", None, "+84938111222"),
    ("+84 938 111 222", None, "+84938111222"),
    ("84938111222", None, "+84938111222"),
    ("0084 938 111 222", None, "+84938111222"),
    ("(+84) 938-111-222", None, "+84938111222"),
    ("938.111.222", None, "+84938111222"),
    ("028 3822 1234", None, "+842838221234"),
    ("+84 24 3825 4321", None, "+842438254321"),
    ("081 234 5678", "th", "+66812345678"),
    ("+66 81 234 5678", None, "+66812345678"),
    ("02 123 4567", "th", "+6621234567"),
    ("+65 6123 4567", None, "+6561234567"),
    ("+1 415 555 2671", None, "+14155552671"),
    ("+44 20 7946 0958", None, "+442079460958"),
    ("12345", None, False),
    ("0912", None, False),
    ("+84 12 345", None, False),
    ("not a phone", None, False),
    ("+999 123 456 789", None, False),
]


@tagged("post_install", "-at_install", "o2o")
class TestPhoneNormalisation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.vn")

    def test_phone_table(self):
        """Every way of typing the same number gives one E.164 key; bad numbers are flagged."""
        self.assertGreaterEqual(len(PHONE_TABLE), 15)
        for typed, country_code, expected in PHONE_TABLE:
            with self.subTest(phone=typed, country=country_code):
                vals = {"name": f"Customer {typed}", "phone": typed}
                if country_code:
                    vals["country_id"] = self.env.ref(f"base.{country_code}").id
                partner = self.env["res.partner"].create(vals)
                self.assertEqual(partner.phone_sanitized, expected)
                self.assertEqual(partner.o2o_phone_invalid, not expected)
                # Flagged, never silently dropped: what the user typed stays.
                self.assertEqual(partner.phone, typed)

    def test_same_customer_three_spellings(self):
        partners = self.env["res.partner"].create(
            [{"name": "An", "phone": p} for p in ("0938 111 222", "+84 938 111 222", "84938111222")]
        )
        self.assertEqual(set(partners.mapped("phone_sanitized")), {"+84938111222"})

    def test_partner_company_country_before_current_company(self):
        thai_company = self.env["res.company"].create(
            {"name": "o2o Thailand", "country_id": self.env.ref("base.th").id}
        )
        partner = self.env["res.partner"].create(
            {"name": "Somchai", "mobile": "081 234 5678", "company_id": thai_company.id}
        )
        self.assertEqual(partner.phone_sanitized, "+66812345678")

    def test_invalid_phone_flag_follows_edits(self):
        partner = self.env["res.partner"].create({"name": "Typo", "mobile": "0912"})
        self.assertTrue(partner.o2o_phone_invalid)
        partner.mobile = "0938 111 222"
        self.assertFalse(partner.o2o_phone_invalid)
        self.assertEqual(partner.phone_sanitized, "+84938111222")
        # A valid mobile does not hide an invalid landline.
        partner.phone = "12"
        self.assertTrue(partner.o2o_phone_invalid)

    def test_required_phone_refused_with_reason(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._o2o_phone_e164("0938 111 222", raise_exception=True), "+84938111222")
        with self.assertRaisesRegex(UserError, "12345 is not a valid phone number for Vietnam"):
            Partner._o2o_phone_e164("12345", raise_exception=True)
        with self.assertRaisesRegex(UserError, "A phone number is required"):
            Partner._o2o_phone_e164("  ", raise_exception=True)
        self.assertFalse(Partner._o2o_phone_e164("12345"))

    def test_phone_lookup_uses_index(self):
        """The E.164 key is indexed, so finding a customer does not scan the table."""
        self.env.cr.execute(
            """SELECT indexdef FROM pg_indexes
                WHERE tablename = 'res_partner' AND indexdef ILIKE '%%(phone_sanitized)%%'"""
        )
        self.assertTrue(self.env.cr.fetchall())

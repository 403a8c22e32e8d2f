from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..utils import validate_tax_id


@tagged("post_install", "-at_install", "o2o")
class TestTaxId(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vn = cls.env.ref("base.vn")
        cls.th = cls.env.ref("base.th")

    def test_pure_validator(self):
        self.assertEqual(validate_tax_id("vn", "0100233488"), "0100233488")
        self.assertEqual(validate_tax_id("VN", "0312687878-001"), "0312687878001")
        self.assertEqual(validate_tax_id("th", "3101700145405"), "3101700145405")
        self.assertEqual(validate_tax_id("fr", "anything"), "anything")
        for country, number in (("vn", "0100233487"), ("vn", "12345"), ("th", "3101700145406")):
            with self.subTest(country=country, number=number), self.assertRaises(ValueError):
                validate_tax_id(country, number)

    def test_valid_tax_ids_accepted(self):
        Partner = self.env["res.partner"]
        for vat, country in (
            ("0100233488", self.vn),
            ("0312687878-001", self.vn),
            ("3101700145405", self.th),
        ):
            with self.subTest(vat=vat):
                partner = Partner.create(
                    {"name": "Shop", "is_company": True, "vat": vat, "country_id": country.id}
                )
                self.assertEqual(partner.vat, vat)

    def test_invalid_tax_id_refused_without_partial_record(self):
        Partner = self.env["res.partner"]
        before = Partner.search_count([])
        for vat, country, example in (
            ("0100233487", self.vn, "0100233488"),
            ("3101700145406", self.th, "3101700145405"),
        ):
            with self.subTest(vat=vat), self.assertRaises(ValidationError) as error:
                with self.env.cr.savepoint():
                    Partner.create({"name": "Shop", "is_company": True, "vat": vat, "country_id": country.id})
            self.assertIn(vat, str(error.exception))
            self.assertIn(example, str(error.exception), "the error shows the expected format")
        self.assertEqual(Partner.search_count([]), before)

    def test_import_reports_bad_rows_and_creates_nothing(self):
        """A customer import with a bad tax id or a malformed value creates no record."""
        Partner = self.env["res.partner"]
        before = Partner.search_count([])
        result = Partner.load(
            ["name", "vat", "country_id/id", "is_company"],
            [
                ["Good Shop", "0100233488", "base.vn", "1"],
                ["Bad Shop", "0100233487", "base.vn", "1"],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("0100233487" in message["message"] for message in result["messages"]))
        self.assertEqual(Partner.search_count([]), before)

        result = self.env["stock.warehouse"].load(
            ["name", "code", "o2o_is_store", "o2o_latitude"],
            [["Store X", "SX1", "1", "not a number"]],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["stock.warehouse"].search([("code", "=", "SX1")]))

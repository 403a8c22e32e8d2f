import math

from odoo.tests import BaseCase, tagged

from ..const import CODE_ALPHABET, CODE_LENGTH
from ..utils import new_pickup_code, normalize_code


@tagged("post_install", "-at_install", "o2o")
class TestPickupCodes(BaseCase):
    def test_codes_are_random_enough(self):
        self.assertGreaterEqual(CODE_LENGTH * math.log2(len(CODE_ALPHABET)), 40)
        codes = {new_pickup_code() for _i in range(2000)}
        self.assertEqual(len(codes), 2000)
        for code in list(codes)[:50]:
            self.assertRegex(code, r"^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")

    def test_typed_codes(self):
        self.assertEqual(normalize_code("abcde 12345"), "ABCDE-12345")
        self.assertEqual(normalize_code(" abcde-12345 "), "ABCDE-12345")
        self.assertEqual(normalize_code("ABCDE-1234O"), "ABCDE-12340", "O is read as zero")
        self.assertEqual(normalize_code("ABCDE-I2345"), "ABCDE-12345", "I is read as one")
        for bad in ("", None, "ABCDE", "ABCDE-123456", "ABCDU-12345", "0912345678"):
            self.assertIsNone(normalize_code(bad), bad)

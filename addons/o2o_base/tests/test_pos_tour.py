from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "o2o")
class TestPosCustomerTour(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.vn")
        cls.an = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "phone": "0938 111 222", "email": "an@example.com"}
        )

    def test_cashier_creating_known_customer_selects_it(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("o2o_pos_create_known_customer")
        same_phone = self.env["res.partner"].search([("phone_sanitized", "=", "+84938111222")])
        self.assertEqual(same_phone, self.an, "no duplicate customer")
        self.assertIn("point of sale", self.an.message_ids[0].body)

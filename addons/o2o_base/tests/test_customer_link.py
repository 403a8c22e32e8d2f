from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2oCommon


@tagged("post_install", "-at_install", "o2o")
class TestCustomerLink(O2oCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.an = cls._customer(
            "Nguyễn Văn An", phone="0938 111 222", email="an@example.com", company_id=cls.company.id
        )
        cls.Partner = cls.env["res.partner"]

    def _pos_form_save(self, vals, user=None):
        """What the POS customer form does: web_save with the action's context."""
        env = self.env(user=user) if user else self.env
        action = self.env.ref("point_of_sale.res_partner_action_edit_pos")
        context = literal_eval(action.context)
        return env["res.partner"].with_context(**context).web_save(vals, {"id": {}, "name": {}})

    # POS customer creation --------------------------------------------------------

    def test_pos_creation_links_existing_customer_by_phone(self):
        before = self.Partner.search_count([])
        result = self._pos_form_save(
            {"name": "An Nguyen", "mobile": "+84 938 111 222", "street": "5 Lý Tự Trọng"}
        )
        self.assertEqual(result[0]["id"], self.an.id)
        self.assertEqual(self.Partner.search_count([]), before, "no duplicate customer")
        # Empty fields are completed, existing ones never overwritten.
        self.assertEqual(self.an.street, "5 Lý Tự Trọng")
        self.assertEqual(self.an.name, "Nguyễn Văn An")
        self.assertEqual(self.an.mobile, "+84 938 111 222")
        self.assertIn("instead of creating a duplicate", self.an.message_ids[0].body)

    def test_pos_creation_links_by_email(self):
        result = self._pos_form_save({"name": "Anh", "email": " AN@example.com "})
        self.assertEqual(result[0]["id"], self.an.id)

    def test_pos_creation_of_new_customer(self):
        result = self._pos_form_save({"name": "Trần Thị Bình", "mobile": "0986 555 444"})
        binh = self.Partner.browse(result[0]["id"])
        self.assertNotEqual(binh, self.an)
        self.assertEqual(binh.phone_sanitized, "+84986555444")

    def test_pos_creation_refuses_invalid_phone(self):
        before = self.Partner.search_count([])
        with self.assertRaisesRegex(UserError, "0912 is not a valid phone number"):
            self._pos_form_save({"name": "Typo", "mobile": "0912"})
        self.assertEqual(self.Partner.search_count([]), before, "no partial record")

    def test_pos_creation_as_cashier(self):
        cashier = self.env["res.users"].create(
            {
                "name": "Cashier",
                "login": "o2o_cashier",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [self.env.ref("base.group_user").id, self.env.ref("point_of_sale.group_pos_user").id],
                    )
                ],
            }
        )
        result = self._pos_form_save({"name": "An", "phone": "84938111222"}, user=cashier)
        self.assertEqual(result[0]["id"], self.an.id)

    def test_other_company_customer_not_linked(self):
        other = self.env["res.company"].create({"name": "Other retailer", "country_id": self.vn.id})
        self.an.company_id = other
        result = self._pos_form_save({"name": "An", "mobile": "0938 111 222"})
        self.assertNotEqual(result[0]["id"], self.an.id)

    def test_plain_creation_is_unchanged(self):
        """Outside the linking flows Odoo creates what it is asked to (and flags the duplicate)."""
        twin = self.Partner.create({"name": "An again", "phone": "0938111222"})
        self.assertNotEqual(twin, self.an)
        duplicates = (
            self.env["o2o.partner.duplicate"]
            .with_user(self.o2o_manager)
            .search([("key", "=", "+84938111222")])
        )
        self.assertEqual(duplicates.partner_ids, self.an | twin)

    # Website checkout -----------------------------------------------------------------

    def _guest_order(self, **guest_vals):
        """A cart, then the partner the checkout creates from the address form."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.website.user_id.partner_id.id,
                "company_id": self.company.id,
                "website_id": self.website.id,
                "order_line": [(0, 0, {"product_id": self.product_a.id, "product_uom_qty": 1})],
            }
        )
        # The checkout creates the address as the website's public user (sudo).
        guest = (
            self.Partner.with_user(self.website.user_id)
            .sudo()
            .create({"name": "Guest", "country_id": self.vn.id, **guest_vals})
        )
        order.partner_id = guest
        return order, guest

    def test_guest_checkout_linked_by_phone(self):
        order, guest = self._guest_order(
            phone="(+84) 938-111-222", email="an.new@example.com", street="1 Hai Bà Trưng"
        )
        order.action_confirm()
        self.assertEqual(order.partner_id, guest, "the order keeps the address the shopper typed")
        self.assertEqual(guest.parent_id, self.an)
        self.assertEqual(guest.type, "other")
        self.assertEqual(order.partner_id.commercial_partner_id, self.an)
        self.assertEqual(guest.street, "1 Hai Bà Trưng")
        self.assertEqual(self.an.email, "an@example.com", "the shopper cannot change the customer")
        self.assertIn(order.name, self.an.message_ids[0].body)
        self.assertEqual(self.an.o2o_order_count, 1)

    def test_guest_checkout_linked_by_email(self):
        order, guest = self._guest_order(email="An@Example.com")
        order.action_confirm()
        self.assertEqual(guest.parent_id, self.an)

    def test_guest_checkout_new_customer_stays(self):
        order, guest = self._guest_order(phone="0986 555 444", email="new@example.com")
        order.action_confirm()
        self.assertFalse(guest.parent_id)
        self.assertEqual(guest.type, "contact")

    def test_logged_in_customer_not_relinked(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal An",
                "login": "portal_an",
                "phone": "0938 111 222",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        order = self._sale_order(portal.partner_id, [(self.product_a, 1, 10.0)], website=self.website)
        self.assertEqual(order.partner_id, portal.partner_id)
        self.assertFalse(portal.partner_id.parent_id)

    def test_staff_created_customer_not_relinked(self):
        twin = self._customer("An twin", phone="0938 111 222")
        order = self._sale_order(twin, [(self.product_a, 1, 10.0)], website=self.website)
        self.assertEqual(order.partner_id, twin)
        self.assertFalse(twin.parent_id, "customers created by staff are not guests")

    # Matching never writes onto someone else's account -------------------------------

    def _employee(self):
        employee = self.env["res.users"].create(
            {
                "name": "Store Manager",
                "login": "o2o_store_manager",
                "email": "store.manager@o2o.example.com",
                "phone": "0909 777 888",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        return employee.partner_id

    def test_matching_guest_checkout_skips_employee(self):
        employee = self._employee()
        order, guest = self._guest_order(phone="0909 777 888", email="store.manager@o2o.example.com")
        order.action_confirm()
        self.assertFalse(guest.parent_id, "a guest is never attached to an employee's contact")
        self.assertEqual(order.partner_id.commercial_partner_id, guest)
        self.assertFalse(employee.child_ids)
        self.assertEqual(self.Partner._o2o_find_customer(phone="+84909777888", company=self.company), guest)
        self.assertFalse(
            self.Partner._o2o_find_customer(
                email="store.manager@o2o.example.com", company=self.company, exclude=guest
            )
        )

    def test_matching_pos_form_skips_employee(self):
        employee = self._employee()
        result = self._pos_form_save({"name": "Someone", "mobile": "0909 777 888", "street": "9 Lê Lợi"})
        self.assertNotEqual(result[0]["id"], employee.id)
        self.assertFalse(employee.street)

    def test_matching_marketplace_buyer_does_not_fill_email(self):
        """A buyer's e-mail or phone is what they typed: it never completes an existing customer."""
        self.an.email = False
        found = self.Partner._o2o_find_or_create_customer(
            {"name": "Buyer", "phone": "84938111222", "email": "buyer@example.com", "street": "3 Lê Lợi"},
            company=self.company,
            channel_label="Shopee",
            complete=True,
        )
        self.assertEqual(found, self.an)
        self.assertFalse(self.an.email, "a password reset must not go to the buyer")
        self.assertEqual(self.an.street, "3 Lê Lợi", "the address is still completed")

    def test_matching_cashier_completes_email(self):
        self.an.email = False
        result = self._pos_form_save({"name": "An", "mobile": "0938 111 222", "email": "an.new@example.com"})
        self.assertEqual(result[0]["id"], self.an.id)
        self.assertEqual(self.an.email, "an.new@example.com", "the cashier has the customer in front of them")

    def test_find_or_create_api(self):
        """The API marketplace imports use."""
        found = self.Partner._o2o_find_or_create_customer(
            {"name": "Shopee buyer", "phone": "84938111222"}, company=self.company, channel_label="Shopee"
        )
        self.assertEqual(found, self.an)
        self.assertIn("Shopee", self.an.message_ids[0].body)
        created = self.Partner._o2o_find_or_create_customer({"name": "New buyer", "phone": "0903 000 111"})
        self.assertEqual(created.phone_sanitized, "+84903000111")
        self.assertEqual(
            self.Partner._o2o_find_or_create_customer({"name": "Again", "phone": "+84 903 000 111"}), created
        )

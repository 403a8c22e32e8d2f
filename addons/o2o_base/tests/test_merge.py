from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import O2oCommon


@tagged("post_install", "-at_install", "o2o")
class TestMerge(O2oCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.an_web = cls._customer(
            "Nguyễn Văn An", phone="0938 111 222", email="an@example.com", company_id=cls.company.id
        )
        cls.an_store = cls._customer(
            "An Nguyen", mobile="+84 938 111 222", email="an.shop@example.com", company_id=cls.company.id
        )

    def _group(self):
        return (
            self.env["o2o.partner.duplicate"]
            .with_user(self.o2o_manager)
            .search([("key_type", "=", "phone"), ("key", "=", "+84938111222")])
        )

    def test_duplicates_view_lists_same_phone(self):
        group = self._group()
        self.assertEqual(len(group), 1)
        self.assertEqual(group.partner_count, 2)
        self.assertEqual(group.partner_ids, self.an_web | self.an_store)

    def test_merge_keeps_history(self):
        web_order = self._sale_order(self.an_web, [(self.product_a, 1, 10.0)], website=self.website)
        pos_order = self._pos_order(self.an_store, [(self.product_b, 2)])
        self.assertEqual(self.an_web.o2o_order_count, 1)

        action = self._group().action_merge()
        wizard = self.env[action["res_model"]].with_user(self.o2o_manager).browse(action["res_id"])
        self.assertEqual(wizard.partner_ids, self.an_web | self.an_store)
        self.assertEqual(wizard.dst_partner_id, self.an_web, "the oldest customer is kept by default")
        # Different e-mails: Odoo allows only administrators; an O2O manager may merge
        # customers that share one phone number.
        wizard.action_merge()

        self.assertFalse(self.an_store.exists())
        self.assertEqual(web_order.partner_id, self.an_web)
        self.assertEqual(pos_order.partner_id, self.an_web, "store history follows the surviving customer")
        self.an_web.invalidate_recordset()
        self.assertEqual(self.an_web.o2o_order_count, 2)
        self.assertEqual(self.an_web.o2o_channel_count, 2)
        self.assertIn("Merged with", self.an_web.message_ids[0].body)
        self.assertFalse(self._group())

    def test_merge_different_emails_without_shared_phone_still_protected(self):
        other = self._customer("Other", email="other@example.com", company_id=self.company.id)
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.o2o_manager)
            .with_context(active_model="res.partner", active_ids=(self.an_web | other).ids)
            .create({})
        )
        with self.assertRaisesRegex(UserError, "same email"):
            wizard.action_merge()

    def test_merge_needs_manager(self):
        group = (
            self.env["o2o.partner.duplicate"].with_user(self.o2o_user).search([("key", "=", "+84938111222")])
        )
        self.assertEqual(len(group), 1, "users see the possible duplicates")
        with self.assertRaises(AccessError):
            group.action_merge()

    def test_too_many_duplicates_explained(self):
        self._customer("An 3", phone="84938111222", company_id=self.company.id)
        self._customer("An 4", phone="0938111222", company_id=self.company.id)
        with self.assertRaisesRegex(UserError, "at most 3"):
            self._group().action_merge()


@tagged("post_install", "-at_install", "o2o")
class TestMergeLogins(O2oCommon):
    """Merging a contact moves its user: the kept contact's e-mail receives the password resets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.partner_id.write({"phone": "0903 555 666", "email": "admin@o2o.example.com"})
        cls.o2o_manager.partner_id.email = "manager@o2o.example.com"
        cls.portal_user = new_test_user(
            cls.env, login="o2o_portal_an", groups="base.group_portal", email="an.portal@example.com"
        )

    def _wizard(self, user, partners, dst):
        return (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"dst_partner_id": dst.id})
        )

    def test_merge_logins_manager_cannot_take_over_admin(self):
        trap = (
            self.env["res.partner"]
            .with_user(self.o2o_manager)
            .create({"name": "Trap", "phone": "+84903555666", "email": "manager@o2o.example.com"})
        )
        wizard = self._wizard(self.o2o_manager, trap | self.admin.partner_id, trap)
        with self.assertRaisesRegex(AccessError, "only be merged by an administrator"):
            wizard.action_merge()
        self.assertEqual(self.admin.partner_id.email, "admin@o2o.example.com")
        self.assertTrue(trap.exists())

    def test_merge_logins_manager_cannot_merge_portal_customer(self):
        duplicate = self._customer("An", email="an.portal@example.com")
        wizard = self._wizard(self.o2o_manager, duplicate | self.portal_user.partner_id, duplicate)
        with self.assertRaises(AccessError):
            wizard.action_merge()
        self.assertEqual(self.portal_user.partner_id.email, "an.portal@example.com")

    def test_merge_logins_admin_keeps_email_rule(self):
        other = self._customer("An elsewhere", email="someone.else@example.com")
        wizard = self._wizard(self.admin, other | self.portal_user.partner_id, other)
        with self.assertRaisesRegex(UserError, "same email"):
            wizard.action_merge()
        self.assertEqual(self.portal_user.email, "an.portal@example.com")

    def test_merge_logins_admin_merges_same_email(self):
        duplicate = self._customer("An (shop)", email="an.portal@example.com")
        order = self._sale_order(duplicate, [(self.product_a, 1, 10.0)], website=self.website)
        portal_partner = self.portal_user.partner_id
        self._wizard(self.admin, duplicate | portal_partner, portal_partner).action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(order.partner_id, portal_partner)
        self.assertEqual(self.portal_user.partner_id, portal_partner)

    def test_merge_logins_manager_merges_with_own_rights(self):
        """Customers without users: the manager merges them as himself, not as the superuser."""
        first = self._customer("Bình", phone="0912 000 111", email="binh@example.com")
        second = self._customer("Binh", phone="+84912000111", email="binh.shop@example.com")
        self._wizard(self.o2o_manager, first | second, first).action_merge()
        self.assertFalse(second.exists())
        self.assertEqual(first.message_ids[0].author_id, self.o2o_manager.partner_id)
        self.assertEqual(first.write_uid, self.o2o_manager)

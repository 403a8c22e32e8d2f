from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import O2oCommon


@tagged("post_install", "-at_install", "o2o")
class TestAccess(O2oCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.an = cls._customer("An", mobile="0938 111 222", email="an@example.com")
        cls.portal = new_test_user(
            cls.env,
            login="o2o_portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other retailer", "country_id": cls.vn.id})
        cls.other_user = new_test_user(
            cls.env,
            login="o2o_other",
            groups="base.group_user,o2o_base.group_o2o_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def setUp(self):
        super().setUp()
        self.order = self._sale_order(self.an, [(self.product_a, 1, 10.0)], website=self.website)

    def test_user_reads_reports_and_stores(self):
        Report = self.env["o2o.order.report"].with_user(self.o2o_user)
        self.assertIn(self.order, Report.search([]).sale_order_id)
        self.assertTrue(Report.get_dashboard_data()["kpis"])
        stores = self.env["stock.warehouse"].with_user(self.o2o_user).search([("o2o_is_store", "=", True)])
        self.assertIn(self.store_1, stores)
        self.assertEqual(self.an.with_user(self.o2o_user).o2o_order_count, 1)

    def test_only_managers_configure_channels_and_stores(self):
        with self.assertRaises(AccessError):
            self.website_team.with_user(self.o2o_user).o2o_channel_type = "store"
        with self.assertRaises(AccessError):
            self.store_1.with_user(self.o2o_user).o2o_is_store = False
        self.website_team.with_user(self.o2o_manager).o2o_channel_type = "website"
        self.store_2.with_user(self.o2o_manager).o2o_phone = "024 3825 4321"

    def test_portal_sees_no_o2o_data(self):
        for model in ("o2o.order.report", "o2o.partner.duplicate"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.an.with_user(self.portal).read(["o2o_revenue"])
        with self.assertRaises(AccessError):
            self.env["o2o.order.report"].with_user(self.portal).get_dashboard_data()

    def test_multi_company(self):
        Report = self.env["o2o.order.report"].with_user(self.other_user)
        self.assertNotIn(self.order, Report.search([]).sale_order_id)
        self.assertEqual(Report.get_dashboard_data(store_ids=[self.store_1.id])["kpis"][0]["value"], 0)
        own = self.env["o2o.order.report"].with_user(self.o2o_manager)
        self.assertIn(self.order, own.search([]).sale_order_id)

    def test_o2o_menu_for_o2o_groups_only(self):
        menu = self.env.ref("o2o_base.menu_o2o_root")
        self.assertEqual(menu.groups_id, self.env.ref("o2o_base.group_o2o_user"))
        visible = self.env["ir.ui.menu"].with_user(self.o2o_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertFalse(self.portal.has_group("o2o_base.group_o2o_user"))

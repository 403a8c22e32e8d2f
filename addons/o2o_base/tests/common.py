from datetime import datetime

from odoo import Command, fields
from odoo.addons.point_of_sale.tests.common import TestPoSCommon
from odoo.tests import new_test_user
from odoo.tests.common import HOST


def odoo_demo_website(env):
    """Odoo's own demo website (in Odoo's demo company), answering this test's browser.

    The demo retailer's website ("o2o Việt Nam") is the one served at any address. Tests
    that build a shop of their own in Odoo's demo company reach Odoo's website by its address
    instead: the address of the browser of Odoo's tests.
    """
    website = env.ref("website.default_website")
    website.domain = f"http://{HOST}"
    return website


class O2oCommon(TestPoSCommon):
    """A Vietnamese retailer with two stores, a website and a point of sale in store 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vn = cls.env.ref("base.vn")
        cls.company.country_id = cls.vn
        cls.store_1 = cls.env["stock.warehouse"].create(
            {"name": "Store Q1", "code": "TQ1", "o2o_is_store": True, "company_id": cls.company.id}
        )
        cls.store_2 = cls.env["stock.warehouse"].create(
            {"name": "Store HN", "code": "THN", "o2o_is_store": True, "company_id": cls.company.id}
        )
        cls.config = cls.basic_config
        cls.config.warehouse_id = cls.store_1
        cls.website = cls.env["website"].create({"name": "o2o test shop", "company_id": cls.company.id})
        cls.website_team = cls.env["crm.team"].create(
            {"name": "Web", "o2o_channel_type": "website", "company_id": cls.company.id}
        )
        cls.phone_team = cls.env["crm.team"].create(
            {"name": "Hotline", "o2o_channel_type": "backoffice", "company_id": cls.company.id}
        )
        cls.shopee_team = cls.env["crm.team"].create(
            {"name": "Shopee shop", "o2o_channel_type": "marketplace", "company_id": cls.company.id}
        )
        cls.product_a = cls.create_product("Shirt", cls.categ_basic, 10.0)
        cls.product_b = cls.create_product("Cap", cls.categ_basic, 25.0)
        cls.o2o_manager = new_test_user(
            cls.env,
            login="o2o_manager",
            groups="base.group_user,o2o_base.group_o2o_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.o2o_user = new_test_user(
            cls.env,
            login="o2o_user",
            groups="base.group_user,o2o_base.group_o2o_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create({"name": name, **vals})

    def _sale_order(self, partner, lines, team=None, website=None, date=None, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "team_id": (team or self.phone_team).id,
                "website_id": website.id if website else False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                    for product, qty, price in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        if date:
            order.date_order = date
        return order

    def _pos_order(self, partner, lines, date=None):
        """A paid POS order synced the way the POS front end sends it."""
        if not self.config.current_session_id:
            self.open_new_session()
        data = self.create_ui_order_data(lines, customer=partner)
        if date:
            data["date_order"] = fields.Datetime.to_string(date)
        result = self.env["pos.order"].sync_from_ui([data])
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        if date:
            order.date_order = date
        return order

    @staticmethod
    def _dt(day, hour=10):
        return datetime(2026, 3, day, hour, 0, 0)

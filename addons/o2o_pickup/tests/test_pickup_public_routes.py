import json

from odoo import Command
from odoo.addons.o2o_base.tests.common import odoo_demo_website
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..const import MAX_EARLIEST_STORES, MAX_SLOT_DAYS
from .common import always_open_calendar


@tagged("post_install", "-at_install", "o2o")
class TestPickupPublicRoutes(HttpCase):
    """The earliest-pickup route answers for this website's published products and its stores."""

    def setUp(self):
        super().setUp()
        odoo_demo_website(self.env)
        self.website = self.env.ref("website.default_website")
        self.store = self.env["stock.warehouse"].search(
            [("company_id", "=", self.website.company_id.id)], limit=1
        )
        self.store.write({"opening_hours": always_open_calendar(self.env).id, "o2o_pickup_enabled": True})
        self.carrier = self.env.ref("website_sale_collect.carrier_pick_up_in_store")
        self.carrier.write({"is_published": True, "warehouse_ids": [Command.link(self.store.id)]})
        self.product = self.env["product.product"].create(
            {"name": "o2o route bag", "type": "service", "is_published": True, "website_id": self.website.id}
        )

    def _earliest(self, **params):
        response = self.url_open(
            "/o2o/pickup/earliest",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response

    def test_public_routes_earliest_published_products_only(self):
        response = self._earliest(warehouse_ids=[self.store.id], product_id=self.product.id)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["result"][str(self.store.id)], "a published product: answered")
        self.product.is_published = False
        self.assertEqual(
            self._earliest(warehouse_ids=[self.store.id], product_id=self.product.id).json()["result"], {}
        )
        other_company = self.env["res.company"].create({"name": "Other retailer"})
        foreign = self.env["product.product"].create(
            {
                "name": "o2o foreign bag",
                "type": "service",
                "is_published": True,
                "company_id": other_company.id,
            }
        )
        self.assertEqual(
            self._earliest(warehouse_ids=[self.store.id], product_id=foreign.id).json()["result"], {}
        )

    def test_public_routes_earliest_bounded_and_bad_input(self):
        ids = [0] * MAX_EARLIEST_STORES + [self.store.id]
        self.assertEqual(self._earliest(warehouse_ids=ids, product_id=self.product.id).json()["result"], {})
        for params, message in (
            ({"warehouse_ids": "1,2"}, "list of ids"),
            ({"warehouse_ids": [self.store.id], "product_id": "x"}, "by its id"),
            ({}, "list of ids"),
        ):
            with self.subTest(params=params):
                response = self._earliest(**params)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["error"])

    def test_public_routes_slot_days_bounded(self):
        self.assertTrue(self.store.o2o_get_pickup_slots(days=MAX_SLOT_DAYS))
        for days in (MAX_SLOT_DAYS + 1, 100000, 0, "7"):
            with self.subTest(days=days), self.assertRaisesRegex(UserError, "days ahead"):
                self.store.o2o_get_pickup_slots(days=days)

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.addons.o2o_base.tests.concurrency import run_concurrently
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestCollectConcurrency(HttpCase):
    """Two cashiers hand over the same order at the same moment, each in its own
    transaction retried as Odoo retries a request: one succeeds, the other is told why not."""

    def setUp(self):
        super().setUp()
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"o2o_pickup_no_notify": True})
            store = env.ref("stock.warehouse0")
            product = env["product.product"].create(
                {"name": "o2o free gift", "type": "service", "list_price": 0}
            )
            partner = env["res.partner"].create({"name": "Concurrent pickup customer"})
            config = env["pos.config"].create({"name": "o2o concurrency register", "warehouse_id": store.id})
            config.open_ui()
            config.current_session_id.set_opening_control(0, None)
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "carrier_id": env.ref("website_sale_collect.carrier_pick_up_in_store").id,
                    "warehouse_id": store.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            order.action_confirm()
            order.action_o2o_pickup_ready()
            self.ids = {"order": order.id, "config": config.id, "product": product.id, "partner": partner.id}
            self.code = order.o2o_pickup_code
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"disable_cancel_warning": True})
            order = env["sale.order"].browse(self.ids["order"])
            order._action_cancel()
            order.unlink()
            config = env["pos.config"].browse(self.ids["config"])
            config.session_ids.unlink()
            config.unlink()
            env["product.product"].browse(self.ids["product"]).product_tmpl_id.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def test_one_hand_over(self):
        def collect(env):
            return env["sale.order"].o2o_pos_pickup_collect(self.ids["order"], self.ids["config"], self.code)[
                "state"
            ]

        results = run_concurrently(self.env.cr.dbname, collect)
        outcomes = sorted(result for result, _attempts in results.values())
        self.assertIn("already collected", outcomes[0], results)
        self.assertEqual(outcomes[1], "collected", results)
        with self._cursor() as cr:
            cr.execute("SELECT o2o_pickup_state FROM sale_order WHERE id = %s", [self.ids["order"]])
            self.assertEqual(cr.fetchone()[0], "collected")

from datetime import datetime

from odoo import sql_db
from odoo.addons.o2o_base.tests.concurrency import run_concurrently
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestSlotConcurrency(HttpCase):
    """Two checkouts take the last place of a slot at the same moment, each in its own
    transaction retried as Odoo retries a request: one gets it, the other is told it is full."""

    START = datetime(2031, 1, 6, 3, 0)

    def setUp(self):
        super().setUp()
        self.store_id = self.env.ref("stock.warehouse0").id
        with self._cursor() as cr:
            cr.execute(
                """INSERT INTO o2o_pickup_slot (store_id, company_id, start, "end", capacity, booked)
                   SELECT id, company_id, %s, %s, 1, 0 FROM stock_warehouse WHERE id = %s""",
                [self.START, datetime(2031, 1, 6, 4, 0), self.store_id],
            )
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            cr.execute(
                "DELETE FROM o2o_pickup_slot WHERE store_id = %s AND start = %s", [self.store_id, self.START]
            )

    def test_last_place_taken_once(self):
        def reserve(env):
            store = env["stock.warehouse"].browse(self.store_id)
            return env["o2o.pickup.slot"]._o2o_reserve(store, self.START, datetime(2031, 1, 6, 4, 0)).id

        results = run_concurrently(self.env.cr.dbname, reserve)
        outcomes = sorted((result for result, _attempts in results.values()), key=str)
        self.assertIsInstance(outcomes[0], int, results)
        self.assertIn("is now full", outcomes[1])
        with self._cursor() as cr:
            cr.execute(
                "SELECT booked FROM o2o_pickup_slot WHERE store_id = %s AND start = %s",
                [self.store_id, self.START],
            )
            self.assertEqual(cr.fetchone()[0], 1)

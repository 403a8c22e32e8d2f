import threading
from datetime import datetime

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


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

    def _checkout(self, name, barrier, results):
        try:
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                store = env["stock.warehouse"].browse(self.store_id)
                first = []

                def reserve():
                    if not first:
                        first.append(1)
                        cr.execute("SELECT 1")
                        barrier.wait(timeout=30)
                    return (
                        env["o2o.pickup.slot"]._o2o_reserve(store, self.START, datetime(2031, 1, 6, 4, 0)).id
                    )

                results[name] = retrying(reserve, env)
        except UserError as error:
            results[name] = str(error)

    def test_last_place_taken_once(self):
        barrier = threading.Barrier(2)
        results = {}
        threads = [threading.Thread(target=self._checkout, args=(n, barrier, results)) for n in ("a", "b")]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertEqual(len(results), 2, results)
        outcomes = sorted(results.values(), key=str)
        self.assertIsInstance(outcomes[0], int, results)
        self.assertIn("is now full", outcomes[1])
        with self._cursor() as cr:
            cr.execute(
                "SELECT booked FROM o2o_pickup_slot WHERE store_id = %s AND start = %s",
                [self.store_id, self.START],
            )
            self.assertEqual(cr.fetchone()[0], 1)

import threading
from functools import partial

from odoo import SUPERUSER_ID, api, sql_db
from odoo.service.model import retrying
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "o2o")
class TestCustomerConcurrency(HttpCase):
    """Two cashiers create the same new customer at the same moment, each in its own
    transaction, retried the way Odoo retries an RPC request: one customer results.

    An HttpCase because its test mode lets other threads use the registry, as the HTTP
    workers of a server do; the cashiers' cursors are real ones, committed."""

    PHONE = "+84 912 000 777"
    E164 = "+84912000777"

    def setUp(self):
        super().setUp()
        self.addCleanup(self._cleanup_committed)

    def _cleanup_committed(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].with_context(active_test=False).search(
                [("phone_sanitized", "=", self.E164)]
            ).unlink()
            cr.execute("DELETE FROM o2o_customer_claim WHERE key = %s", ["phone:" + self.E164])

    def _cashier(self, name, barrier, results, errors):
        try:
            with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"o2o_link_existing_customer": True})
                attempts = []

                def create_customer():
                    if not attempts:
                        # Both transactions take their snapshot before either creates anything.
                        cr.execute("SELECT 1")
                        barrier.wait(timeout=30)
                    attempts.append(1)
                    result = env["res.partner"].web_save({"name": name, "mobile": self.PHONE}, {"id": {}})
                    return result[0]["id"]

                results[name] = (retrying(partial(create_customer), env), len(attempts))
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)

    def test_two_concurrent_pos_creations_yield_one_customer(self):
        barrier = threading.Barrier(2)
        results, errors = {}, []
        threads = [
            threading.Thread(target=self._cashier, args=(name, barrier, results, errors))
            for name in ("Cashier A's customer", "Cashier B's customer")
        ]
        # The losing transaction's serialization failure is logged by odoo.sql_db, as in production.
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(errors, errors)
        self.assertEqual(len(results), 2)
        (id_a, tries_a), (id_b, tries_b) = results.values()
        self.assertEqual(id_a, id_b, "both cashiers get the same customer")
        self.assertEqual(sorted([tries_a, tries_b]), [1, 2], "exactly one transaction was retried")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE phone_sanitized = %s", [self.E164])
            self.assertEqual(cr.fetchone()[0], 1)

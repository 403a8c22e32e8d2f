from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import HttpCase, tagged

from .concurrency import run_concurrently


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

    def test_two_concurrent_pos_creations_yield_one_customer(self):
        def create_customer(env):
            result = env["res.partner"].web_save(
                {"name": "Walk-in customer", "mobile": self.PHONE}, {"id": {}}
            )
            return result[0]["id"]

        results = run_concurrently(
            self.env.cr.dbname, create_customer, context={"o2o_link_existing_customer": True}
        )
        (id_a, tries_a), (id_b, tries_b) = results.values()
        self.assertEqual(id_a, id_b, "both cashiers get the same customer")
        self.assertEqual(sorted([tries_a, tries_b]), [1, 2], "exactly one transaction was retried")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE phone_sanitized = %s", [self.E164])
            self.assertEqual(cr.fetchone()[0], 1)

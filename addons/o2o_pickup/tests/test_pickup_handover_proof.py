from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.addons.o2o_base.tests.concurrency import run_concurrently
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..const import PHONE_SEARCH_LIMIT, THROTTLE_MAX_FAILURES
from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupHandoverProof(O2oPickupCommon):
    """A pickup is handed over on its code or QR, or on an ID check the cashier signs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env,
            login="o2o_pickup_cashier",
            name="Lê Văn Thu",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_cashier = new_test_user(
            cls.env,
            login="o2o_pickup_cashier_2",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        self.open_new_session()
        self.order = self._pickup_order([(self.product_a, 2)])
        self.order.action_o2o_pickup_ready()
        self._pay_online(self.order)
        self.Sale = self.env["sale.order"].with_user(self.cashier)

    def test_handover_proof_phone_search_needs_code_or_id_check(self):
        found = self.Sale.o2o_pos_pickup_find("0986 555 444", self.config.id)["orders"]
        self.assertEqual([o["id"] for o in found], self.order.ids)
        self.assertFalse(found[0]["proven"], "a phone number proves nothing")
        with self.assertRaisesRegex(UserError, "Ask for the pickup code"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id)
        with self.assertRaisesRegex(UserError, "Ask for the pickup code"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, None, "   ")
        other = self._pickup_order([(self.product_a, 1)])
        result = self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, other.o2o_pickup_code)
        self.assertIn("not the pickup code", result["error"])
        self.assertEqual(self.order.o2o_pickup_state, "ready")
        by_code = self.Sale.o2o_pos_pickup_find(self.order.o2o_pickup_code, self.config.id)["orders"]
        self.assertTrue(by_code[0]["proven"])
        result = self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        self.assertEqual(result["state"], "collected")

    def test_handover_proof_qr_token(self):
        token = self.order._o2o_pickup_token()
        result = self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, token)
        self.assertEqual(result["state"], "collected")

    def test_handover_proof_id_checked_is_audited(self):
        result = self.Sale.o2o_pos_pickup_collect(
            self.order.id, self.config.id, None, "Phone lost; national ID card shown"
        )
        self.assertEqual(result["state"], "collected")
        note = self.order.message_ids.filtered(lambda m: "without the pickup code" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Lê Văn Thu checked the customer's ID", note.body)
        self.assertIn("Phone lost; national ID card shown", note.body)
        self.assertEqual(note.author_id, self.cashier.partner_id)

    def test_handover_proof_register_is_the_callers_open_session(self):
        other_company = self.env["res.company"].create({"name": "Other retailer"})
        foreign_cashier = new_test_user(
            self.env,
            login="o2o_pickup_foreign_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        Foreign = self.env["sale.order"].with_user(foreign_cashier)
        with self.assertRaises(AccessError):
            Foreign.o2o_pos_pickup_collect(self.order.id, self.config.id, self.order.o2o_pickup_code)
        with self.assertRaises(AccessError):
            Foreign.o2o_pos_pickup_find(self.order.o2o_pickup_code, self.config.id)
        closed = self.env["pos.config"].create({"name": "Closed register", "warehouse_id": self.store_1.id})
        with self.assertRaisesRegex(UserError, "Open the register first"):
            self.Sale.o2o_pos_pickup_collect(self.order.id, closed.id, self.order.o2o_pickup_code)
        self.assertIn("Open the register", self.Sale.o2o_pos_pickup_find("0986 555 444", closed.id)["error"])
        clerk = new_test_user(self.env, login="o2o_pickup_clerk", groups="base.group_user")
        with self.assertRaises(AccessError, msg="not a point of sale user"):
            self.env["sale.order"].with_user(clerk).o2o_pos_pickup_collect(
                self.order.id, self.config.id, self.order.o2o_pickup_code
            )
        self.assertEqual(self.order.o2o_pickup_state, "ready")

    def test_handover_proof_phone_search_bounded(self):
        for _i in range(PHONE_SEARCH_LIMIT + 2):
            self._pickup_order([(self.product_a, 1)]).action_o2o_pickup_ready()
        found = self.Sale.o2o_pos_pickup_find("0986 555 444", self.config.id)["orders"]
        self.assertEqual(len(found), PHONE_SEARCH_LIMIT)

    def test_handover_proof_wrong_codes_throttled_per_user_and_store(self):
        for _i in range(THROTTLE_MAX_FAILURES - 1):
            self.assertIn(
                "Unknown pickup code", self.Sale.o2o_pos_pickup_find("ZZZZZ-99999", self.config.id)["error"]
            )
        wrong = self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, "ZZZZZ-99999")
        self.assertIn("not the pickup code", wrong["error"], "wrong proofs at the hand-over count too")
        code = self.order.o2o_pickup_code
        self.assertIn(
            "Too many wrong pickup codes", self.Sale.o2o_pos_pickup_find(code, self.config.id)["error"]
        )
        self.assertIn(
            "Too many wrong pickup codes",
            self.Sale.o2o_pos_pickup_collect(self.order.id, self.config.id, code)["error"],
        )
        # Phone searches are no guesses at a code; another cashier has their own count.
        self.assertTrue(self.Sale.o2o_pos_pickup_find("0986 555 444", self.config.id)["orders"])
        other = self.env["sale.order"].with_user(self.other_cashier)
        self.assertTrue(other.o2o_pos_pickup_find(code, self.config.id)["orders"])
        # the window is counted in the database's time: ten minutes pass there
        self.env.cr.execute(
            "UPDATE o2o_rate_limit SET window_start = window_start - INTERVAL '10 minutes' WHERE key = %s",
            [self.Sale._o2o_pickup_guess_key(self.config)],
        )
        self.assertTrue(self.Sale.o2o_pos_pickup_find(code, self.config.id)["orders"], "the wait is over")


@tagged("post_install", "-at_install", "o2o")
class TestPickupHandoverProofConcurrency(HttpCase):
    """Parallel wrong codes of one cashier cannot all pass the check before one is counted."""

    def setUp(self):
        super().setUp()
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            store = env.ref("stock.warehouse0")
            config = env["pos.config"].create({"name": "o2o throttle register", "warehouse_id": store.id})
            config.open_ui()
            config.current_session_id.set_opening_control(0, None)
            self.ids = {"config": config.id, "store": store.id}
            self.key = env["sale.order"]._o2o_pickup_guess_key(config)
            for _i in range(THROTTLE_MAX_FAILURES - 1):
                env["o2o.rate.limit"]._o2o_hit(self.key, THROTTLE_MAX_FAILURES, 600)
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            config = env["pos.config"].browse(self.ids["config"])
            config.session_ids.unlink()
            config.unlink()
            env["o2o.rate.limit"].search([("key", "=", self.key)]).unlink()

    def test_handover_proof_throttle_is_atomic(self):
        def guess(env):
            return env["sale.order"].o2o_pos_pickup_find("ZZZZZ-99999", self.ids["config"])["error"]

        results = run_concurrently(self.env.cr.dbname, guess)
        outcomes = sorted(result for result, _attempts in results.values())
        self.assertIn("Too many wrong pickup codes", outcomes[0], results)
        self.assertIn("Unknown pickup code", outcomes[1], results)
        with self._cursor() as cr:
            cr.execute("SELECT hits FROM o2o_rate_limit WHERE key = %s", [self.key])
            self.assertEqual(cr.fetchone()[0], THROTTLE_MAX_FAILURES + 1, "both counted, one past the limit")

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.addons.o2o_base.tests.concurrency import run_concurrently
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..models.loyalty_card import CODE_ATTEMPTS
from .common import make_membership, make_voucher_program


@tagged("post_install", "-at_install", "o2o")
class TestSpendOnce(HttpCase):
    """Two channels spend the same coupon or the same points at the same moment, each in its
    own committed transaction retried as Odoo retries a request: one wins, the other is refused."""

    def setUp(self):
        super().setUp()
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            program = env["loyalty.program"]._o2o_membership(company)
            self.created_program = not program
            if not program:
                program = make_membership(env, company)
            partner = env["res.partner"].create(
                {"name": "Concurrent member", "email": "cc-member@example.com"}
            )
            card = partner._o2o_member_card(create=True, channel="store")
            card._o2o_adjust(100, "test balance")
            coupons = make_voucher_program(
                env, "Single-use voucher (concurrency test)", company_id=company.id
            )
            coupon = env["loyalty.card"].create({"program_id": coupons.id, "points": 1})
            # Only the programs under test apply to these orders.
            self.archived = env["loyalty.program"].search(
                [("id", "not in", (program | coupons).ids), ("active", "=", True)]
            )
            self.archived.active = False
            product = env["product.product"].create(
                {"name": "Concurrency shirt", "list_price": 100000, "taxes_id": []}
            )
            self.ids = {
                "program": program.id,
                "partner": partner.id,
                "card": card.id,
                "coupons": coupons.id,
                "coupon": coupon.id,
                "product": product.id,
                "reward": program.reward_ids.filtered(lambda r: r.discount_mode == "per_point")[:1].id,
            }
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["loyalty.program"].browse(self.ids["coupons"]).active = False
            env["loyalty.program"].browse(self.archived.ids).active = True
            if self.created_program:
                env["loyalty.program"].browse(self.ids["program"]).write(
                    {"active": False, "o2o_is_membership": False}
                )

    def _order(self, env):
        return env["sale.order"].create(
            {
                "partner_id": self.ids["partner"],
                "order_line": [Command.create({"product_id": self.ids["product"], "product_uom_qty": 1})],
            }
        )

    def _read_write(self, query, args):
        with self._cursor() as cr:
            cr.execute(query, args)

    def _read(self, query, args):
        with self._cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall()

    def test_single_use_coupon_spent_once(self):
        def redeem(env):
            order = self._order(env)
            coupon = env["loyalty.card"].browse(self.ids["coupon"])
            result = order._try_apply_code(coupon.code)
            if "error" in result:
                raise UserError(result["error"])
            result = order._apply_program_reward(coupon.program_id.reward_ids, coupon)
            if "error" in result:
                raise UserError(result["error"])
            order.action_confirm()
            return order.id

        results = run_concurrently(self.env.cr.dbname, redeem)
        outcomes = [result for result, _attempts in results.values()]
        winners = [o for o in outcomes if isinstance(o, int)]
        self.assertEqual(len(winners), 1, results)
        self.assertEqual(
            self._read("SELECT points FROM loyalty_card WHERE id = %s", [self.ids["coupon"]]), [(0.0,)]
        )
        used = self._read(
            "SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id "
            "WHERE l.coupon_id = %s AND o.state = 'sale'",
            [self.ids["coupon"]],
        )
        self.assertEqual(used, [(1,)])

    def test_points_spent_once(self):
        def spend(env):
            order = self._order(env)
            order._update_programs_and_rewards()
            order._o2o_spend_points(80)
            order.action_confirm()
            return order.id

        results = run_concurrently(self.env.cr.dbname, spend)
        outcomes = [result for result, _attempts in results.values()]
        self.assertEqual(len([o for o in outcomes if isinstance(o, int)]), 1, results)
        self.assertEqual(
            self._read("SELECT points FROM loyalty_card WHERE id = %s", [self.ids["card"]]), [(20.0,)]
        )
        lots = self._read("SELECT sum(remaining) FROM o2o_loyalty_lot WHERE card_id = %s", [self.ids["card"]])
        self.assertEqual(lots, [(20.0,)], "the lots still add up to the balance")

    def test_concurrent_enrollment_gives_one_card(self):
        def enroll(env):
            return env["res.partner"].o2o_loyalty_enroll("Twice", "+84 933 444 555")["card_id"]

        results = run_concurrently(self.env.cr.dbname, enroll)
        cards = {result for result, _attempts in results.values()}
        self.assertEqual(len(cards), 1, results)

    def test_concurrent_enrollment_of_a_known_customer_gives_one_card(self):
        """The customer exists (no card yet) and two registers enroll them at the same moment."""
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].create({"name": "Known twice", "phone": "+84 933 444 666"})

        def enroll(env):
            return env["res.partner"].o2o_loyalty_enroll("Known twice", "+84 933 444 666")["card_id"]

        results = run_concurrently(self.env.cr.dbname, enroll)
        cards = {result for result, _attempts in results.values()}
        self.assertEqual(len(cards), 1, results)
        self.assertTrue(all(isinstance(card, int) for card in cards), results)

    def test_code_guesses_counted_atomically(self):
        """Parallel wrong guesses of one visitor: the last allowed attempt passes once."""
        key = "web:test-throttle"
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for _i in range(CODE_ATTEMPTS[0] - 1):
                env["loyalty.card"]._o2o_code_attempt(key)
        self.addCleanup(self._read_write, "DELETE FROM o2o_rate_limit WHERE key = %s", [key])

        results = run_concurrently(self.env.cr.dbname, lambda env: env["loyalty.card"]._o2o_code_attempt(key))
        allowed = [result for result, _attempts in results.values()]
        self.assertEqual(sorted(allowed), [False, True], results)

    def test_payment_confirmed_twice_earns_once(self):
        """The provider's notification and the shopper's return confirm one payment at once."""
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            website = env["website"].search([("company_id", "=", env.company.id)], limit=1)
            provider = (
                env.ref("payment.payment_provider_transfer")
                .sudo()
                .copy(
                    {
                        "company_id": env.company.id,
                        "state": "test",
                        "journal_id": env["account.journal"]
                        .search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
                        .id,
                    }
                )
            )
            order = self._order(env)
            order.website_id = website
            tx = env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env.ref("payment_custom.payment_method_wire_transfer").id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": f"{order.name}-concurrent",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
            tx._set_pending()
            ids = {"order": order.id, "tx": tx.id, "provider": provider.id}
        self.addCleanup(
            self._read_write,
            "UPDATE payment_provider SET state = 'disabled' WHERE id = %s",
            [ids["provider"]],
        )

        def confirm(env):
            tx = env["payment.transaction"].browse(ids["tx"])
            tx._set_done()
            tx._check_amount_and_confirm_order()  # sale's post-processing of a done payment
            return tx.sale_order_ids.state

        results = run_concurrently(self.env.cr.dbname, confirm)
        self.assertEqual({result for result, _attempts in results.values()}, {"sale"}, results)
        self.assertEqual(
            self._read("SELECT count(*) FROM sale_order WHERE id = %s AND state = 'sale'", [ids["order"]]),
            [(1,)],
        )
        lots = self._read(
            "SELECT points FROM o2o_loyalty_lot WHERE card_id = %s AND origin_model = 'sale.order' AND origin_id = %s",
            [self.ids["card"], ids["order"]],
        )
        self.assertEqual(len(lots), 1, "the order earned once")
        earned = lots[0][0]
        self.assertGreater(earned, 0)
        self.assertEqual(
            self._read("SELECT points FROM loyalty_card WHERE id = %s", [self.ids["card"]]),
            [(100.0 + earned,)],
        )
        self.assertEqual(
            self._read(
                "SELECT count(*) FROM loyalty_history WHERE card_id = %s AND o2o_kind = 'earn'",
                [self.ids["card"]],
            ),
            [(1,)],
        )

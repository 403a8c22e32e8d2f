from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import O2oLoyaltyCommon, make_voucher_program, membership_program

# What an RPC client may put in its context: none of it may switch a check off.
CLIENT_CONTEXT = {"o2o_loyalty_ledger": True, "o2o_loyalty_allow_negative": True}


def cashier_of(env, company):
    """The demo cashier when demo data is installed, else a cashier like it."""
    cashier = env.ref("o2o_base.user_cashier", raise_if_not_found=False)
    if cashier:
        cashier.company_ids = [Command.link(company.id)]
        return cashier
    return new_test_user(
        env, login="cashier", password="cashier", groups="base.group_user,point_of_sale.group_pos_user"
    )


@tagged("post_install", "-at_install", "o2o")
class TestLedgerOnly(O2oLoyaltyCommon):
    """Member balances change through the ledger only, whatever the user's rights on cards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = cashier_of(cls.env, cls.company)
        cls.salesman = new_test_user(
            cls.env,
            login="o2o_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.card._o2o_adjust(200, "opening")

    def test_ledger_only_cashier_cannot_write_points(self):
        for context in ({}, CLIENT_CONTEXT):
            with self.assertRaisesRegex(AccessError, "only through the loyalty ledger"):
                self.card.with_user(self.cashier).with_context(**context).write({"points": 1000245})
        self.assertEqual(self.card.points, 200)
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 200)

    def test_ledger_only_salesman_cannot_write_points_or_owner(self):
        thief = self._customer("Thief")
        for vals in ({"points": 5000}, {"partner_id": thief.id}):
            with self.assertRaises(AccessError):
                self.card.with_user(self.salesman).with_context(**CLIENT_CONTEXT).write(vals)
        self.assertEqual((self.card.points, self.card.partner_id), (200, self.member))

    def test_ledger_only_cashier_cannot_create_member_card_with_points(self):
        someone = self._customer("Someone")
        with self.assertRaises(AccessError):
            self.env["loyalty.card"].with_user(self.cashier).with_context(**CLIENT_CONTEXT).create(
                {"program_id": self.program.id, "partner_id": someone.id, "points": 1000}
            )

    def test_ledger_only_context_does_not_skip_bookkeeping(self):
        """Server code writing points (as Odoo's flows do) is booked in lots, whatever the context."""
        self.card.sudo().with_context(**CLIENT_CONTEXT).points = 250
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 250)
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.card.sudo().with_context(**CLIENT_CONTEXT).points = -10

    def test_ledger_only_coupon_guard_not_switched_off(self):
        voucher = self.env["loyalty.card"].create(
            {"program_id": make_voucher_program(self.env, "Voucher").id, "points": 1}
        )
        with self.assertRaisesRegex(ValidationError, "already used"):
            voucher.with_user(self.cashier).with_context(**CLIENT_CONTEXT).write({"points": -1})

    def test_ledger_only_update_balance_wizard(self):
        """Odoo's "Update balance" on a member card is an O2O manager's adjustment, audited."""
        Wizard = self.env["loyalty.card.update.balance"]
        wizard = Wizard.with_user(self.cashier).create(
            {"card_id": self.card.id, "new_balance": 5000, "description": "free points"}
        )
        with self.assertRaises(AccessError):
            wizard.action_update_card_point()
        self.assertEqual(self.card.points, 200)
        wizard = Wizard.with_user(self.o2o_manager).create(
            {"card_id": self.card.id, "new_balance": 260, "description": "goodwill"}
        )
        wizard.action_update_card_point()
        self.assertEqual(self.card.points, 260)
        adjust = self._history(self.card, "adjust").filtered(lambda h: "goodwill" in h.description)
        self.assertEqual(adjust.issued, 60)
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 260)

    def test_ledger_only_salesman_order_spends_points(self):
        """sale_loyalty's own booking, as the salesperson: it goes through the lots."""
        order = self._sale_order(self.member, [(self.product_a, 10, 10.0)], confirm=False)
        order.user_id = self.salesman
        order = order.with_user(self.salesman)
        order._o2o_spend_points(50)
        order.action_confirm()
        self.assertEqual(self.card.points, 150)
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 150)
        # Odoo lets sales managers cancel (they may delete the order's coupon points).
        order.with_user(self.env.user)._action_cancel()
        self.assertEqual(self.card.points, 200, "cancelling the order gives the points back")
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 200)


@tagged("post_install", "-at_install", "o2o")
class TestLedgerOnlyRpc(HttpCase):
    """The same write over JSON-RPC, as the cashier's browser could send it."""

    def setUp(self):
        super().setUp()
        company = self.env.company
        self.cashier = cashier_of(self.env, company)
        self.cashier.password = "cashier"
        membership_program(self.env, company)
        partner = self.env["res.partner"].create({"name": "RPC member", "email": "rpc-member@example.com"})
        self.card = partner._o2o_member_card(create=True, channel="store")
        self.card._o2o_adjust(100, "opening")

    def _rpc_write(self, vals):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/loyalty.card/write",
            {
                "model": "loyalty.card",
                "method": "write",
                "args": [self.card.ids, vals],
                "kwargs": {"context": CLIENT_CONTEXT},
            },
        )

    def test_ledger_only_rpc_write_refused(self):
        self.authenticate(self.cashier.login, "cashier")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._rpc_write({"points": 1000245})
        self.card.invalidate_recordset()
        self.assertEqual(self.card.points, 100)
        self.assertEqual(sum(self.card.o2o_lot_ids.mapped("remaining")), 100)

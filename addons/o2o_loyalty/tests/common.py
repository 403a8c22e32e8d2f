from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.o2o_base.tests.common import O2oCommon


def make_membership(env, company, **vals):
    """A membership program: 1 point per currency unit, 1 point = 0.1 off, tiers at 0/500/2000."""
    program = env["loyalty.program"].create(
        {
            "name": "O2O Member",
            "program_type": "loyalty",
            "applies_on": "both",
            "trigger": "auto",
            "company_id": company.id,
            "portal_visible": True,
            "pos_ok": True,
            "sale_ok": True,
            "o2o_is_membership": True,
            "o2o_validity_months": 12,
            "rule_ids": [
                Command.create({"reward_point_mode": "money", "reward_point_amount": 1, "minimum_amount": 0})
            ],
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_point",
                        "discount": 0.1,
                        "discount_applicability": "order",
                        "required_points": 10,
                        "description": "Pay with points",
                    }
                )
            ],
            "o2o_channel_rate_ids": [Command.create({"channel_type": "marketplace", "rate": 50})],
            "o2o_tier_ids": [
                Command.create({"name": "Member", "threshold": 0, "earn_multiplier": 1}),
                Command.create({"name": "Silver", "threshold": 500, "earn_multiplier": 1.5}),
                Command.create({"name": "Gold", "threshold": 2000, "earn_multiplier": 2}),
            ],
            **vals,
        }
    )
    return program


def membership_program(env, company):
    """The membership program of ``company``: the demo's when demo data is installed, else a new one."""
    return env["loyalty.program"]._o2o_membership(company) or make_membership(env, company)


def make_voucher_program(env, name, discount=5, **vals):
    """A coupon program as Odoo makes one (no rule): each card is a voucher worth one use."""
    return env["loyalty.program"].create(
        {
            "name": name,
            "program_type": "coupons",
            "pos_ok": True,
            "sale_ok": True,
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_order",
                        "discount": discount,
                        "required_points": 1,
                    }
                )
            ],
            **vals,
        }
    )


class O2oLoyaltyCommon(O2oCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's demo programs (promotions, coupons) stay out of these orders.
        cls.env["loyalty.program"].search([("company_id", "in", [cls.company.id, False])]).active = False
        cls.program = make_membership(cls.env, cls.company)
        cls.member_tier, cls.silver, cls.gold = cls.program.o2o_tier_ids.sorted("threshold")
        cls.reward = cls.program.reward_ids
        cls.member = cls._customer("Lê Thị Hoa", mobile="0903 123 456", email="hoa@example.com")
        cls.card = cls.member._o2o_member_card(create=True, channel="store")
        # An online payment provider of the test company, whose payments go to its bank journal.
        cls.provider = (
            cls.env.ref("payment.payment_provider_transfer")
            .sudo()
            .copy(
                {
                    "company_id": cls.company.id,
                    "state": "test",
                    "journal_id": cls.company_data["default_journal_bank"].id,
                }
            )
        )

    def _pay_online(self, order, amount=None):
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_custom.payment_method_wire_transfer").id,
                    "amount": order.amount_total if amount is None else amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": f"{order.name}-tx-{len(order.transaction_ids) + 1}",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )

    def _paid(self, order, amount=None):
        """The payment provider confirms an online payment of ``order``."""
        tx = self._pay_online(order, amount)
        tx._set_done()
        return tx

    def _give_points(self, card, points, months_ago=0, origin="test"):
        """An earned lot of ``points``, credited ``months_ago`` months ago."""
        date = fields.Date.today() - relativedelta(months=months_ago)
        lot = card._o2o_open_lot(points, origin=origin, amount=points, date=date)
        card._o2o_set_points(card.points + points)
        return lot

    def _history(self, card, kind):
        return card.history_ids.filtered(lambda h: h.o2o_kind == kind)

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import O2oLoyaltyCommon


@tagged("post_install", "-at_install", "o2o")
class TestExpiryTiers(O2oLoyaltyCommon):
    def test_spending_takes_oldest_lots_first(self):
        old = self._give_points(self.card, 100, months_ago=11)
        mid = self._give_points(self.card, 100, months_ago=6)
        new = self._give_points(self.card, 100, months_ago=1)
        # Odoo's own balance wizard (or any flow) lowering points spends the oldest lots.
        self.card.points = 150
        self.assertEqual((old.remaining, mid.remaining, new.remaining), (0, 50, 100))

    def test_nightly_job_expires_lots_once_with_history(self):
        old = self._give_points(self.card, 100, months_ago=13)
        new = self._give_points(self.card, 40, months_ago=2)
        self.card.points = 120  # 20 spent: from the old lot
        self.assertEqual(old.remaining, 80)
        Card = self.env["loyalty.card"]
        self.assertEqual(Card._cron_o2o_expire_points(), 1)
        self.assertEqual(self.card.points, 40)
        self.assertEqual((old.remaining, new.remaining), (0, 40))
        expired = self._history(self.card, "expire")
        self.assertEqual(expired.used, 80)
        self.assertEqual(Card._cron_o2o_expire_points(), 0, "a second run expires nothing")
        self.assertEqual(self.card.points, 40)

    def test_reminder_before_expiry_once(self):
        lot = self._give_points(self.card, 70, months_ago=12)
        lot.expiry_date = fields.Date.today() + timedelta(days=10)
        Card = self.env["loyalty.card"]
        mails_before = self.env["mail.mail"].search_count([])
        self.assertEqual(Card._cron_o2o_expiry_reminder(), 1)
        self.assertTrue(lot.reminded)
        self.assertGreater(self.env["mail.mail"].search_count([]), mails_before)
        self.assertEqual(self.card.o2o_expiring_points, 70)
        self.assertEqual(Card._cron_o2o_expiry_reminder(), 0, "reminded once")

    def test_upgrade_at_once_downgrade_at_review(self):
        order = self._sale_order(self.member, [(self.product_a, 60, 10.0)])
        self._paid(order)
        self.assertEqual(self.card.o2o_tier_id, self.silver, "600 spent: Silver at once")
        review = self.card.o2o_tier_review_date
        self.assertEqual(review, fields.Date.today() + relativedelta(months=12))
        # The order is refunded: the 12-month spend drops, but the tier stays until the review.
        order._action_cancel()
        self.assertEqual(self.card.o2o_tier_value, 0)
        self.assertEqual(self.card.o2o_tier_id, self.silver)
        Card = self.env["loyalty.card"]
        self.assertEqual(Card._cron_o2o_review_tiers(), 0, "not yet due")
        with freeze_time(review + timedelta(days=1)):
            self.assertEqual(Card._cron_o2o_review_tiers(), 1)
        self.assertEqual(self.card.o2o_tier_id, self.member_tier)

    def test_tier_pricelist_follows_the_tier(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "Gold prices", "company_id": self.company.id}
        )
        self.gold.pricelist_id = pricelist
        self._give_points(self.card, 2500)
        self.card._o2o_update_tier()
        self.assertEqual(self.member.property_product_pricelist, pricelist)

    def test_progress_to_next_tier(self):
        self._give_points(self.card, 200)
        self.card._o2o_update_tier()
        self.assertEqual(self.card.o2o_next_tier_id, self.silver)
        self.assertEqual(self.card.o2o_to_next_tier, 300)
        self.assertEqual(self.card.o2o_tier_progress, 40)

    def test_manual_adjustment_is_audited_and_for_managers_only(self):
        wizard = (
            self.env["o2o.loyalty.adjust"]
            .with_user(self.o2o_manager)
            .create({"card_id": self.card.id, "points": 25, "reason": "Late pickup"})
        )
        wizard.action_apply()
        self.assertEqual(self.card.points, 25)
        line = self._history(self.card, "adjust")
        self.assertIn("Late pickup", line.description)
        self.assertEqual(line.create_uid, self.o2o_manager)
        with self.assertRaises(AccessError):
            self.env["o2o.loyalty.adjust"].with_user(self.o2o_user).create(
                {"card_id": self.card.id, "points": 25, "reason": "x"}
            ).action_apply()
        with self.assertRaisesRegex(Exception, "holds"):
            self.env["o2o.loyalty.adjust"].with_user(self.o2o_manager).create(
                {"card_id": self.card.id, "points": -100, "reason": "typo"}
            ).action_apply()

    def test_one_member_card_per_customer(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["loyalty.card"].create({"program_id": self.program.id, "partner_id": self.member.id})

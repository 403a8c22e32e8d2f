"""Member tiers: the rolling spend or points that place a card, upgrades, the tier pricelist."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import fields, models

from ..const import TIER_WINDOW_MONTHS
from ..utils import tier_for


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    # ------------------------------------------------------------------
    # Tiers
    # ------------------------------------------------------------------

    def _o2o_tier_values(self, today=None):
        """{card id: spend or points earned over the last 12 months} of member cards ``self``."""
        today = today or fields.Date.context_today(self)
        since = today - relativedelta(months=TIER_WINDOW_MONTHS)
        values = dict.fromkeys(self.ids, 0.0)
        if not self.ids:
            return values
        self.env["o2o.loyalty.lot"].flush_model()
        self.env.cr.execute(
            """
            SELECT l.card_id,
                   COALESCE(SUM(CASE WHEN p.o2o_tier_basis = 'points'
                                     THEN l.points - COALESCE(l.reversed_points, 0)
                                     ELSE COALESCE(l.amount, 0) - COALESCE(l.reversed_amount, 0) END), 0)
            FROM o2o_loyalty_lot l
            JOIN loyalty_program p ON p.id = l.program_id
            WHERE l.card_id = ANY(%s) AND l.kind = 'earn' AND l.date > %s
            GROUP BY l.card_id
            """,
            [self.ids, since],
        )
        values.update(dict(self.env.cr.fetchall()))
        return values

    def _o2o_update_tier(self, upgrade_only=False, today=None):
        """Move member cards to the tier their 12-month value reaches.

        Upgrades apply at once and restart the review period; a lower tier applies only
        from the review date on (``upgrade_only`` keeps the tier until then). Written in a
        few grouped updates, whatever the number of cards (the nightly review).
        """
        today = today or fields.Date.context_today(self)
        members = self.filtered(lambda c: c.o2o_is_member and c.program_id.o2o_tier_ids)
        values = members._o2o_tier_values(today)
        review = today + relativedelta(months=TIER_WINDOW_MONTHS)
        groups = defaultdict(list)
        changed = []
        tiers_of = {}
        for card in members:
            program = card.program_id
            if program not in tiers_of:
                tiers = program.o2o_tier_ids
                tiers_of[program] = (tiers, [(t.id, t.threshold) for t in tiers])
            tiers, thresholds = tiers_of[program]
            target = tiers.browse(tier_for(values[card.id], thresholds))
            current = card.o2o_tier_id
            upgrade = target != current and (not current or (target and target.threshold > current.threshold))
            if upgrade or (target != current and not upgrade_only):
                groups[(target.id, review)].append(card.id)
                changed.append(card.id)
            elif not upgrade_only:
                groups[(current.id, review)].append(card.id)
        if members:
            self.env.cr.execute(
                """
                UPDATE loyalty_card c SET o2o_tier_value = v.value
                FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float8[]) AS value) v
                WHERE c.id = v.id AND c.o2o_tier_value IS DISTINCT FROM v.value
                """,
                [list(values), list(values.values())],
            )
            members.invalidate_recordset(["o2o_tier_value"])
        for (tier_id, review_date), card_ids in groups.items():
            self.browse(card_ids).sudo().write(
                {"o2o_tier_id": tier_id or False, "o2o_tier_review_date": review_date}
            )
        changed = self.browse(changed)
        changed._o2o_apply_tier_pricelist()
        return changed

    def _o2o_apply_tier_pricelist(self):
        if not self.program_id.o2o_tier_ids.pricelist_id:
            return
        for card in self.filtered("partner_id"):
            pricelists = card.program_id.o2o_tier_ids.pricelist_id
            partner = card.partner_id.sudo().with_company(card.company_id or self.env.company)
            if card.o2o_tier_id.pricelist_id:
                partner.property_product_pricelist = card.o2o_tier_id.pricelist_id
            elif partner.property_product_pricelist in pricelists:
                # Back to the default pricelist when the tier no longer gives one.
                partner.property_product_pricelist = False

    def _o2o_member_summary(self):
        """What the POS shows of a member."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_id.name,
            "card_id": self.id,
            "program_id": self.program_id.id,
            "code": self.code,
            "points": self.points,
            "tier": self.o2o_tier_id.name or "",
        }

    def _o2o_earn_multiplier(self):
        self.ensure_one()
        return self.o2o_tier_id.earn_multiplier if self.o2o_tier_id else 1.0

from odoo import fields, models


class LoyaltyReward(models.Model):
    _inherit = "loyalty.reward"

    o2o_tier_ids = fields.Many2many(
        "o2o.loyalty.tier",
        string="Only for Tiers",
        help="Members of these tiers (or higher) can claim the reward; empty: every member.",
    )

    def _o2o_unlocked_by(self, tier):
        self.ensure_one()
        if not self.o2o_tier_ids:
            return True
        if not tier:
            return False
        return tier.threshold >= min(self.o2o_tier_ids.mapped("threshold"))

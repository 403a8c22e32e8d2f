from odoo import api, fields, models


class O2oLoyaltyTier(models.Model):
    """A membership tier (Member, Silver, Gold): reached by spend or points over 12 months."""

    _name = "o2o.loyalty.tier"
    _description = "Membership tier"
    _order = "program_id, threshold, id"

    name = fields.Char(required=True, translate=True)
    program_id = fields.Many2one(
        "loyalty.program",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('o2o_is_membership', '=', True)]",
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    threshold = fields.Float(
        required=True,
        default=0.0,
        help="Spend (in the program's currency) or points earned over the last 12 months "
        "that reach this tier.",
    )
    earn_multiplier = fields.Float(
        default=1.0,
        required=True,
        help="Points earned by members of this tier are multiplied by this factor.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Member Pricelist",
        help="Members of this tier buy at this pricelist on every channel.",
    )
    color = fields.Integer()
    member_count = fields.Integer(string="Members", compute="_compute_member_count")

    _sql_constraints = [
        ("threshold_positive", "CHECK(threshold >= 0)", "A tier threshold cannot be negative."),
        ("multiplier_positive", "CHECK(earn_multiplier >= 0)", "An earn multiplier cannot be negative."),
        (
            "threshold_unique",
            "UNIQUE(program_id, threshold)",
            "Two tiers of a program cannot share a threshold.",
        ),
    ]

    @api.depends("program_id")
    def _compute_member_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("o2o_tier_id", "in", self.ids)], ["o2o_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    def _o2o_next(self):
        """The tier above this one in its program, or an empty recordset."""
        self.ensure_one()
        return self.program_id.o2o_tier_ids.filtered(lambda t: t.threshold > self.threshold).sorted(
            "threshold"
        )[:1]

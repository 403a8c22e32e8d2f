from odoo import fields, models
from odoo.addons.o2o_base.const import CHANNEL_TYPES


class O2oLoyaltyChannelRate(models.Model):
    _name = "o2o.loyalty.channel.rate"
    _description = "Loyalty earn rate per sales channel"
    _order = "program_id, channel_type"

    program_id = fields.Many2one("loyalty.program", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    channel_type = fields.Selection(CHANNEL_TYPES, string="Channel", required=True)
    rate = fields.Float(
        string="Earn Rate (%)",
        default=100.0,
        required=True,
        help="Share of the points an order would earn on this channel: 50 earns half, 0 nothing.",
    )

    _sql_constraints = [
        ("channel_unique", "UNIQUE(program_id, channel_type)", "One earn rate per channel and program."),
        ("rate_range", "CHECK(rate >= 0 AND rate <= 1000)", "An earn rate lies between 0% and 1000%."),
    ]

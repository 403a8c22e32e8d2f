from odoo import fields, models
from odoo.addons.o2o_base.const import CHANNEL_TYPES

from ..const import HISTORY_KINDS


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    o2o_kind = fields.Selection(HISTORY_KINDS, string="Kind", readonly=True, index="btree_not_null")
    o2o_channel_type = fields.Selection(CHANNEL_TYPES, string="Channel", readonly=True)
    o2o_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    o2o_key = fields.Char(
        readonly=True, copy=False, help="Makes each earning, reversal and expiry happen once."
    )
    partner_id = fields.Many2one(related="card_id.partner_id", string="Member")
    program_id = fields.Many2one(related="card_id.program_id", string="Program")
    create_date = fields.Datetime(string="Date", readonly=True)
    create_uid = fields.Many2one("res.users", string="By", readonly=True)

    _sql_constraints = [
        ("o2o_key_unique", "UNIQUE(o2o_key)", "This loyalty operation was already recorded."),
    ]

    def unlink(self):
        # Earnings, reversals, expiries and adjustments are the member's audit trail: Odoo
        # deletes an order's history lines when it is cancelled, ours stay (the reversal follows).
        kept = self.filtered("o2o_key")
        return super(LoyaltyHistory, self - kept).unlink()

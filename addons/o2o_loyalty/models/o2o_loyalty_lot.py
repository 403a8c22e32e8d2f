from odoo import fields, models
from odoo.addons.o2o_base.const import CHANNEL_TYPES


class O2oLoyaltyLot(models.Model):
    """Points credited to a member card at one time, spent oldest first and expiring as a whole.

    The lots of a card add up to its balance: ``loyalty.card`` keeps them in step with every
    change of points, whichever flow (POS, website, back office) made it.
    """

    _name = "o2o.loyalty.lot"
    _description = "Loyalty points lot"
    _order = "expiry_date asc nulls last, id"
    _rec_name = "origin"

    card_id = fields.Many2one("loyalty.card", required=True, ondelete="cascade", index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True, index=True)
    partner_id = fields.Many2one(related="card_id.partner_id")
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    kind = fields.Selection(
        [("earn", "Earned on an order"), ("adjust", "Adjustment")], required=True, default="earn"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    expiry_date = fields.Date(string="Expires On", index=True)
    points = fields.Float(string="Points Credited", required=True, readonly=True)
    remaining = fields.Float(string="Points Left", readonly=True)
    reversed_points = fields.Float(string="Points Reversed", readonly=True, default=0.0)
    amount = fields.Monetary(
        string="Spend",
        currency_field="currency_id",
        readonly=True,
        default=0.0,
        help="What the order that earned these points cost.",
    )
    reversed_amount = fields.Monetary(currency_field="currency_id", readonly=True, default=0.0)
    currency_id = fields.Many2one(related="card_id.currency_id")
    origin = fields.Char(readonly=True)
    origin_model = fields.Char(readonly=True)
    origin_id = fields.Many2oneReference(string="Origin Record", model_field="origin_model", readonly=True)
    channel_type = fields.Selection(CHANNEL_TYPES, string="Channel", readonly=True)
    store_id = fields.Many2one("stock.warehouse", readonly=True)
    reminded = fields.Boolean(readonly=True, help="The member was told these points expire soon.")

    _sql_constraints = [
        (
            "remaining_range",
            "CHECK(remaining >= 0 AND remaining <= points)",
            "A lot cannot hold more than it was credited.",
        ),
        # One earning per order and card: the database refuses a second one, also under retries.
        (
            "origin_unique",
            "UNIQUE(card_id, kind, origin_model, origin_id)",
            "This order already earned points.",
        ),
    ]

    def init(self):
        # Lots still holding points, by card and age: what spending and expiry read.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS o2o_loyalty_lot_open_idx
            ON o2o_loyalty_lot (card_id, expiry_date, id) WHERE remaining > 0
            """
        )
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS o2o_loyalty_lot_expiring_idx
            ON o2o_loyalty_lot (expiry_date) WHERE remaining > 0
            """
        )

from odoo import fields, models


class O2oMarketplaceToken(models.Model):
    """Access and refresh tokens of a shop: readable by O2O managers only.

    Apart from the shop so that a token refresh (its own short transaction, row-locked) never
    waits for a long sync that is updating the shop's figures.
    """

    _name = "o2o.marketplace.token"
    _description = "Marketplace Shop Tokens"
    _rec_name = "shop_id"

    shop_id = fields.Many2one("o2o.marketplace.shop", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shop_id.company_id", store=True)
    access_token = fields.Char(copy=False)
    refresh_token = fields.Char(copy=False)
    access_expires_at = fields.Datetime()
    refresh_expires_at = fields.Datetime()

    _sql_constraints = [("shop_unique", "unique(shop_id)", "A shop has one set of tokens.")]

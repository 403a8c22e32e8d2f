from odoo import api, models

from .loyalty_card import ODOO_FLOW, transaction_flag


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # sale_loyalty books the points of reward lines added to, changed on or removed from a
    # confirmed order on their card, as the salesperson: the card books it in its lots.

    @api.model_create_multi
    def create(self, vals_list):
        with transaction_flag(self.env.cr, ODOO_FLOW):
            return super().create(vals_list)

    def write(self, vals):
        if "points_cost" not in vals:
            return super().write(vals)
        with transaction_flag(self.env.cr, ODOO_FLOW):
            return super().write(vals)

    def unlink(self):
        with transaction_flag(self.env.cr, ODOO_FLOW):
            return super().unlink()

from collections import defaultdict

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self.invoice_line_ids.sale_line_ids.order_id._o2o_loyalty_check()
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A credit note of a sale order takes back the points of what it refunds.
        for refund in posted.filtered(lambda m: m.move_type == "out_refund"):
            amounts = defaultdict(float)
            for line in refund.invoice_line_ids:
                for sale_line in line.sale_line_ids:
                    amounts[sale_line.order_id] += line.price_total
            for order, amount in amounts.items():
                order._o2o_loyalty_refunded(amount, refund)
        return posted

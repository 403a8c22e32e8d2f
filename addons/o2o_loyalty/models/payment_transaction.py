from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _set_done(self, **kwargs):
        """An online payment completes the order: its member points are credited (orders still
        to confirm earn when Odoo confirms them after the payment)."""
        txs = super()._set_done(**kwargs)
        txs.sale_order_ids._o2o_loyalty_check()
        return txs

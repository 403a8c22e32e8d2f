from collections import defaultdict

from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # Whoever validates the transfer (a stock user who may not read the sale order, as in
        # Odoo's own "own documents only" salesman right) triggers the ledger, not a sales
        # action of theirs: the member's points are booked with the rights the ledger needs.
        pickings = self.sudo()
        pickings.sale_id._o2o_loyalty_check()
        # Returned goods take back their points when no credit note will (orders never invoiced,
        # such as marketplace orders); invoiced orders are reversed by their credit note.
        for picking in pickings.filtered(lambda p: p.picking_type_code == "incoming" and p.sale_id):
            order = picking.sale_id
            if order.invoice_ids.filtered(lambda m: m.state == "posted"):
                continue
            amounts = defaultdict(float)
            for move in picking.move_ids.filtered(lambda m: m.origin_returned_move_id and m.sale_line_id):
                line = move.sale_line_id
                if line.product_uom_qty:
                    amounts[order] += line.price_total * move.quantity / line.product_uom_qty
            for order, amount in amounts.items():
                order._o2o_loyalty_refunded(amount, picking)
        return res

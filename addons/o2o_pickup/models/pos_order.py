from odoo import api, fields, models

from ..const import OPEN_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    o2o_pickup_return_done = fields.Boolean(
        copy=False, help="Goods of a web order returned with this order were recorded on it (once)."
    )

    @api.model
    def sync_from_ui(self, orders):
        """A pickup paid at the counter (settled through pos_sale) is collected once paid.

        pos_sale delivers the goods with the POS order and cancels what the sale order still
        held in the store, so the stock leaves the store once. The pickup's state follows the
        POS order just saved, not what the client sends, so it is written whatever the
        cashier's rights on sale orders (a cashier reads click & collect orders, no more).
        """
        result = super().sync_from_ui(orders)
        pos_orders = self.browse([data["id"] for data in result.get("pos.order", [])]).filtered(
            lambda order: order.state in ("paid", "done", "invoiced")
        )
        for pos_order in pos_orders:
            pickups = pos_order.lines.sale_order_origin_id.filtered(
                lambda so: so.o2o_pickup_state in OPEN_STATES
            )
            for sale_order in pickups:
                sale_order.sudo()._o2o_pickup_collected_at_pos(pos_order)
            returns = pos_order.lines.filtered(
                lambda line: line.qty < 0 and line.sale_order_origin_id.o2o_pickup_state == "collected"
            )
            if returns and not pos_order.o2o_pickup_return_done:
                # A POS resending an order (offline, retry) must not refund twice.
                pos_order.o2o_pickup_return_done = True
                for sale_order, lines in returns.grouped("sale_order_origin_id").items():
                    sale_order.sudo()._o2o_pickup_returned_at_pos(pos_order, lines)
        return result

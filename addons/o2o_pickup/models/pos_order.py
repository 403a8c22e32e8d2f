from odoo import api, models

from ..const import OPEN_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    @api.model
    def sync_from_ui(self, orders):
        """A pickup paid at the counter (settled through pos_sale) is collected once paid.

        pos_sale delivers the goods with the POS order and cancels what the sale order still
        held in the store, so the stock leaves the store once.
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
                sale_order._o2o_pickup_collected_at_pos(pos_order)
        return result

from odoo import models
from odoo.exceptions import UserError

from ..adapters import MarketplaceError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        for picking in self:
            order = picking.sale_id
            shop = order.o2o_marketplace_shop_id
            # Told only while the marketplace waits for the seller to ship: a delivery validated
            # because the marketplace reported the parcel shipped (or delivered) is not pushed back.
            if (
                shop
                and shop.sync_shipment
                and picking.picking_type_code == "outgoing"
                and order.o2o_marketplace_status == "ready_to_ship"
            ):
                shop._o2o_enqueue(
                    "_o2o_job_push_shipment",
                    picking.id,
                    identity=("shipment", picking.id),
                    description=self.env._(
                        "%(shop)s: shipment %(picking)s", shop=shop.name, picking=picking.name
                    ),
                )
        return result

    def _o2o_marketplace_push_shipment(self, job):
        """Tell the marketplace the order left with this tracking number (queued job or retry)."""
        self.ensure_one()
        order = self.sale_id
        shop = order.o2o_marketplace_shop_id
        Job = self.env["o2o.marketplace.job"]
        tracking = self.carrier_tracking_ref or self.name
        carrier = self.carrier_id.name if self.carrier_id else None
        try:
            shop._o2o_with_adapter(
                lambda adapter: adapter.ship_order(order.o2o_marketplace_ref, tracking, carrier)
            )
        except (MarketplaceError, UserError) as error:
            Job._o2o_item_failed(shop, "shipment", str(self.id), error)
            return False
        job._done(
            self.env._(
                "Shipment %(picking)s pushed with tracking %(tracking)s.",
                picking=self.name,
                tracking=tracking,
            )
        )
        order.message_post(
            body=self.env._(
                "Shipment pushed to %(marketplace)s, tracking %(tracking)s.",
                marketplace=shop._marketplace_label(),
                tracking=tracking,
            )
        )
        return True

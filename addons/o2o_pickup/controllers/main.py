from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request


class O2oPickupController(http.Controller):
    @http.route("/o2o/pickup/slot", type="json", auth="public", website=True, methods=["POST"])
    def o2o_pickup_set_slot(self, start=None):
        """The shopper chose a pickup slot at checkout; checked against the store's slots."""
        order = request.website.sale_get_order()
        if not order or not order.o2o_is_pickup:
            return {"error": request.env._("Your cart is not set for pickup in a store.")}
        try:
            start = fields.Datetime.to_datetime(start) if start else False
        except ValueError:
            return {"error": request.env._("This pickup slot is not valid.")}
        previous = order.o2o_pickup_requested_start
        order.sudo().o2o_pickup_requested_start = start
        try:
            order._o2o_pickup_check_slot()
        except UserError as error:
            order.sudo().o2o_pickup_requested_start = previous
            return {"error": error.args[0]}
        return {"ok": True}

    @http.route("/o2o/pickup/earliest", type="json", auth="public", website=True, methods=["POST"])
    def o2o_pickup_earliest(self, warehouse_ids=None, product_id=None):
        """Earliest pickup time per store for Odoo's store selector: for one product on the
        product page, for the cart at checkout. Only stores offered for pickup are answered."""
        Warehouse = request.env["stock.warehouse"].sudo()
        offered = (
            request.env["delivery.carrier"]
            .sudo()
            .search([("delivery_type", "=", "in_store"), ("is_published", "=", True)])
            .warehouse_ids
        )
        try:
            stores = Warehouse.browse([int(i) for i in warehouse_ids or []]) & offered
            product = (
                request.env["product.product"].sudo().browse(int(product_id)).exists() if product_id else None
            )
        except (TypeError, ValueError):
            return {}
        if product:
            products_qty = {product: 1.0}
        else:
            order = request.website.sale_get_order()
            products_qty = order._o2o_pickup_products_qty() if order else {}
        return {store.id: store._o2o_earliest_pickup_label(products_qty) for store in stores}

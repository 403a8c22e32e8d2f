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

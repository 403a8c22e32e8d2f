from werkzeug.exceptions import abort

from odoo import fields, http
from odoo.addons.o2o_base.utils import qr_image
from odoo.exceptions import UserError
from odoo.http import request

from ..const import MAX_EARLIEST_STORES


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
        product page, for the cart at checkout. Only stores of the website's company offered
        for pickup, for products published on this website, at most MAX_EARLIEST_STORES."""
        website = request.website

        def bad_request(message):
            abort(request.make_json_response({"error": message}, status=400))

        if not isinstance(warehouse_ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in warehouse_ids
        ):
            bad_request(request.env._("Stores are given as a list of ids."))
        if product_id is not None and (not isinstance(product_id, int) or isinstance(product_id, bool)):
            bad_request(request.env._("The product is given by its id."))
        offered = (
            request.env["delivery.carrier"]
            .sudo()
            .search(
                [
                    ("delivery_type", "=", "in_store"),
                    ("is_published", "=", True),
                    ("website_id", "in", [False, website.id]),
                    ("company_id", "in", [False, website.company_id.id]),
                ]
            )
            .warehouse_ids.filtered(lambda w: w.company_id == website.company_id)
        )
        stores = request.env["stock.warehouse"].sudo().browse(warehouse_ids[:MAX_EARLIEST_STORES]) & offered
        if product_id:
            product = request.env["product.product"].sudo().browse(product_id).exists()
            template = product.product_tmpl_id
            if (
                not product
                or not template.is_published
                or not template.with_context(website_id=website.id).can_access_from_current_website()
                or template.company_id not in (website.company_id, website.company_id.browse())
            ):
                return {}
            products_qty = {product: 1.0}
        else:
            order = website.sale_get_order()
            products_qty = order._o2o_pickup_products_qty() if order else {}
        return {store.id: store._o2o_earliest_pickup_label(products_qty) for store in stores}

    @http.route(
        "/o2o/pickup/qr/<int:order_id>/<int:exp>/<string:signature>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def o2o_pickup_qr_image(self, order_id, exp, signature, **kwargs):
        """The QR of an open pickup, for the e-mails' image link (see _o2o_pickup_qr_image_url).

        The QR proves the order at the counter: never kept by a browser, proxy or mail cache.
        """
        order = request.env["sale.order"]._o2o_pickup_from_qr_image_link(order_id, exp, signature)
        if not order:
            return request.make_json_response(
                {"error": request.env._("This pickup QR is not valid any more.")}, status=404
            )
        return request.make_response(
            qr_image(order._o2o_pickup_token(), box_size=6),
            headers=[("Content-Type", "image/png"), ("Cache-Control", "private, no-store")],
        )

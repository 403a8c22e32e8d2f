from odoo.addons.website_sale.controllers.main import WebsiteSale
from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route


class O2oLoyaltyWebsiteSale(WebsiteSale):
    @route("/shop/o2o_loyalty/join", type="json", auth="public", website=True)
    def o2o_loyalty_join(self, join=True, **kw):
        """Opt in to the membership from the cart or checkout: the order earns points when paid."""
        order = request.website.sale_get_order()
        if not order:
            return {"error": request.env._("Your cart is empty.")}
        order.sudo().o2o_loyalty_join = bool(join)
        order.sudo()._update_programs_and_rewards()
        return {"joined": order.o2o_loyalty_join}

    @route("/shop/o2o_loyalty/spend", type="http", auth="user", website=True, methods=["POST"])
    def o2o_loyalty_spend(self, points=None, **kw):
        """Spend the number of points the shopper chose (partial redemption)."""
        order = request.website.sale_get_order()
        if not order or order.partner_id != request.env.user.partner_id:
            return request.redirect("/shop/cart")
        try:
            wanted = float(points or 0)
        except ValueError:
            wanted = 0.0
        try:
            order.sudo()._o2o_spend_points(wanted)
        except (UserError, ValidationError) as error:
            request.session["o2o_loyalty_error"] = error.args[0]
        return request.redirect("/shop/cart")

from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.website_sale.controllers.main import WebsiteSale
from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route

from ..utils import parse_points


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
        wanted = parse_points(points)
        try:
            if wanted is None:
                raise UserError(request.env._("Choose how many points to spend."))
            order.sudo()._o2o_spend_points(wanted)
        except (UserError, ValidationError) as error:
            request.session["o2o_loyalty_error"] = error.args[0]
        return request.redirect("/shop/cart")


class O2oLoyaltySignup(AuthSignupHome):
    """The sign-up form offers the membership (unticked): a ticked box enrolls the new customer."""

    def get_auth_signup_qcontext(self):
        qcontext = super().get_auth_signup_qcontext()
        program = request.env["loyalty.program"]._o2o_membership(request.website.company_id)
        # Not offered to an invited user: the invitation's partner may already be a member.
        if program and not qcontext.get("token"):
            qcontext["o2o_loyalty_program"] = program
            qcontext["o2o_loyalty_join"] = bool(request.params.get("o2o_loyalty_join"))
        return qcontext

    def do_signup(self, qcontext):
        # Odoo's returns nothing today; an override in between may return something: pass it on.
        result = super().do_signup(qcontext)  # pylint: disable=assignment-from-no-return
        program = qcontext.get("o2o_loyalty_program")
        if program and qcontext.get("o2o_loyalty_join"):
            Users = request.env["res.users"].sudo()
            login = qcontext.get("login")
            user = Users.search(Users._get_login_domain(login), order=Users._get_login_order(), limit=1)
            if user:
                partner = user.partner_id
                partner._o2o_member_card(company=program.company_id or None, create=True, channel="website")
        return result

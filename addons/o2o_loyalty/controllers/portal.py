from odoo import fields
from odoo.addons.o2o_base.utils import qr_data_uri
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.http import request, route

HISTORY_PER_PAGE = 20


class O2oLoyaltyPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "o2o_member_count" in counters:
            card = request.env.user.partner_id._o2o_member_card()
            values["o2o_member_count"] = 1 if card else 0
        return values

    @route(["/my/loyalty", "/my/loyalty/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_o2o_loyalty(self, page=1, **kw):
        """The member page: balance, tier and progress, expiring points, history, member QR.

        Only the logged-in customer's own card is ever read (sudo, filtered on their partner).
        """
        partner = request.env.user.partner_id
        card = partner._o2o_member_card()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "o2o_loyalty", "card": card})
        if card:
            History = request.env["loyalty.history"].sudo()
            domain = [("card_id", "=", card.id)]
            pager = portal_pager(
                url="/my/loyalty", total=History.search_count(domain), page=page, step=HISTORY_PER_PAGE
            )
            today = fields.Date.context_today(card)
            values.update(
                {
                    "history": History.search(
                        domain, limit=HISTORY_PER_PAGE, offset=pager["offset"], order="id desc"
                    ),
                    "pager": pager,
                    "member_qr": qr_data_uri(card.code, fmt="svg"),
                    "expiring_lots": card.o2o_lot_ids.filtered(
                        lambda lot: lot.remaining > 0 and lot.expiry_date and lot.expiry_date >= today
                    ).sorted("expiry_date")[:5],
                    "channels": dict(
                        request.env["loyalty.history"]
                        ._fields["o2o_channel_type"]
                        ._description_selection(request.env)
                    ),
                }
            )
        return request.render("o2o_loyalty.portal_my_loyalty", values)

    @route("/my/loyalty/join", type="http", auth="user", website=True, methods=["POST"])
    def portal_o2o_loyalty_join(self, **kw):
        request.env.user.partner_id._o2o_member_card(create=True, channel="website")
        return request.redirect("/my/loyalty")

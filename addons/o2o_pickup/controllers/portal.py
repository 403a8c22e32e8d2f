import logging

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..const import OPEN_STATES

_logger = logging.getLogger(__name__)


class O2oPickupPortal(CustomerPortal):
    def _o2o_pickup_domain(self):
        partner = request.env.user.partner_id
        return [
            ("o2o_pickup_state", "!=", False),
            ("message_partner_ids", "child_of", [partner.commercial_partner_id.id]),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "o2o_pickup_count" in counters:
            SaleOrder = request.env["sale.order"]
            values["o2o_pickup_count"] = (
                SaleOrder.search_count(self._o2o_pickup_domain()) if SaleOrder.has_access("read") else 0
            )
        return values

    @http.route(["/my/pickups", "/my/pickups/page/<int:page>"], type="http", auth="user", website=True)
    def o2o_portal_my_pickups(self, page=1, **kwargs):
        SaleOrder = request.env["sale.order"]
        domain = self._o2o_pickup_domain()
        count = SaleOrder.search_count(domain)
        pager = portal_pager(url="/my/pickups", total=count, page=page, step=self._items_per_page)
        orders = SaleOrder.search(domain, order="id desc", limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Searched with the customer's rights; read as sudo for the store names.
                "orders": orders.sudo(),
                "pager": pager,
                "page_name": "o2o_pickups",
                "default_url": "/my/pickups",
                "open_states": OPEN_STATES,
            }
        )
        return request.render("o2o_pickup.portal_my_pickups", values)

    @http.route(
        "/my/pickups/<int:order_id>/cancel", type="http", auth="public", website=True, methods=["POST"]
    )
    def o2o_portal_cancel_pickup(self, order_id, access_token=None, **kwargs):
        try:
            order = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if order.o2o_pickup_state == "confirmed":
            try:
                order.action_o2o_pickup_cancel()
            except UserError as error:
                # Prepared meanwhile: the order page shows the current status.
                _logger.info("Pickup %s not cancelled from the portal: %s", order.name, error)
        return request.redirect(order.get_portal_url())

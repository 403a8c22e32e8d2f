import json
import logging

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..adapters import MARKETPLACES, MarketplaceError, adapter_class

_logger = logging.getLogger(__name__)


class O2oMarketplaceController(http.Controller):
    @http.route(
        "/o2o/marketplace/<string:marketplace>/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def o2o_marketplace_webhook(self, marketplace, **_kwargs):
        """Push from a marketplace: verified on the raw body, then the order is fetched and imported.

        What the push says is only a hint: the order's current state is read from the API, so
        duplicated and out-of-order pushes converge on the same Odoo order.
        """
        if marketplace not in MARKETPLACES:
            raise NotFound()
        adapter = adapter_class(marketplace)
        body = request.httprequest.get_data(cache=True)
        try:
            if body.strip():
                json.loads(body)
            events = adapter.parse_webhook(body)
        except (ValueError, KeyError, TypeError) as error:
            raise BadRequest(request.env._("Unreadable push message.")) from error
        if not events:
            # e.g. the marketplace checking that the URL answers: acknowledge, nothing to do
            return self._o2o_ack(adapter)
        Shop = request.env["o2o.marketplace.shop"].sudo()
        shop_refs = {event.shop_external_id for event in events if event.shop_external_id}
        shops = Shop.search([("marketplace", "=", marketplace), ("shop_external_id", "in", list(shop_refs))])
        if not shops or len(shops) != len(shop_refs):
            raise NotFound(request.env._("Unknown shop."))
        headers = dict(request.httprequest.headers.items())
        urls = {request.httprequest.url, *shops.mapped("webhook_url")}
        for shop in shops:
            verified = any(
                adapter.verify_webhook(
                    url=url, body=body, headers=headers, app_key=shop.app_key, app_secret=shop.app_secret
                )
                for url in urls
            )
            if not verified:
                _logger.warning("marketplace push for shop %s refused: bad signature", shop.id)
                raise Forbidden(request.env._("Invalid signature."))
        by_ref = {shop.shop_external_id: shop for shop in shops}
        Job = request.env["o2o.marketplace.job"].sudo()
        for event in events:
            if event.kind != "order_status" or not event.order_external_id:
                continue
            shop = by_ref[event.shop_external_id]
            job = Job._o2o_item_pending(
                shop, "webhook", event.order_external_id, request.env._("Order push received.")
            )
            try:
                with request.env.cr.savepoint():
                    shop._o2o_fetch_and_import([event.order_external_id], job)
            except (MarketplaceError, UserError) as error:
                _logger.warning(
                    "marketplace push for order %s not processed: %s", event.order_external_id, error
                )
                # Kept as a failed item: the scheduler fetches the order again later.
                Job._o2o_item_failed(shop, "webhook", event.order_external_id, error)
            else:
                Job._o2o_item_succeeded(shop, "webhook", event.order_external_id)
        return self._o2o_ack(adapter)

    @staticmethod
    def _o2o_ack(adapter):
        status, answer, content_type = adapter.webhook_response()
        return request.make_response(answer, headers=[("Content-Type", content_type)], status=status)

    @http.route("/o2o/marketplace/oauth/<string:marketplace>", type="http", auth="user")
    def o2o_marketplace_oauth(self, marketplace, code=None, state=None, **params):
        """Return of the marketplace's consent page: exchange the code for the shop's tokens."""
        shop = request.env["o2o.marketplace.shop"]._o2o_shop_from_state(state)
        if not shop or shop.marketplace != marketplace:
            raise NotFound()
        if not request.env.user.has_group("o2o_base.group_o2o_manager"):
            raise Forbidden(request.env._("Only O2O managers can connect marketplace shops."))
        if not code:
            raise BadRequest(request.env._("The marketplace did not send an authorisation code."))
        extra = {k: v for k, v in params.items() if k in ("shop_id", "main_account_id", "seller_id")}
        try:
            shop._o2o_connect(code, **extra)
        except MarketplaceError as error:
            return request.render(
                "http_routing.http_error",
                {"status_code": request.env._("Not connected"), "status_message": str(error)},
                status=400,
            )
        return request.redirect(f"/odoo/action-o2o_marketplace.action_o2o_marketplace_shop/{shop.id}")

import json
import logging

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
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

    @http.route("/o2o/marketplace/oauth/<string:marketplace>", type="http", auth="user", methods=["GET"])
    def o2o_marketplace_oauth(self, marketplace, code=None, state=None, **params):
        """Return of the marketplace's consent page: exchange the code for the shop's tokens.

        The marketplace redirects here with a GET, so what protects the credentials is ``state``:
        a one-time nonce of this user's session. Every refusal is a page saying why (4xx)."""
        if marketplace not in MARKETPLACES:
            raise NotFound()
        States = request.env["o2o.marketplace.oauth.state"]
        try:
            shop = States._o2o_consume(state, marketplace, request.session.sid)
            if not code:
                raise UserError(request.env._("The marketplace did not send an authorisation code."))
            extra = {k: v for k, v in params.items() if k in ("shop_id", "main_account_id", "seller_id")}
            shop._o2o_connect(code, **extra)
        except AccessError as error:
            return self._o2o_oauth_refused(error, 403)
        except (UserError, MarketplaceError) as error:
            return self._o2o_oauth_refused(error, 400)
        return request.redirect(f"/odoo/action-o2o_marketplace.action_o2o_marketplace_shop/{shop.id}")

    @staticmethod
    def _o2o_oauth_refused(error, status):
        """A small page saying why (a response, not an exception: the consumed state stays consumed).

        Not ``http_routing.http_error``: outside a website page it fails to render (HTTP 500)."""
        message = error.args[0] if isinstance(error, (UserError, AccessError)) else str(error)
        title = request.env._("Not connected")
        back = request.env._("Back to the marketplace shops")
        page = Markup(
            '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>%s</title></head>'
            '<body><h1>%s</h1><p>%s</p><p><a href="/odoo/action-o2o_marketplace.action_o2o_marketplace_shop">'
            "%s</a></p></body></html>"
        ) % (title, title, message, back)
        return request.make_response(
            page, headers=[("Content-Type", "text/html; charset=utf-8")], status=status
        )

from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..adapters import MARKETPLACES, MarketplaceError, adapter_class
from ..models.o2o_marketplace_shop_webhook import MAX_WEBHOOK_BODY


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
        """Push from a marketplace: verified on the raw body and queued (see
        ``o2o.marketplace.shop._o2o_webhook_receive``); the order is fetched and imported by a job."""
        if marketplace not in MARKETPLACES:
            raise NotFound()
        httprequest = request.httprequest
        too_long = 413, request.env._("Push message too long.")
        if (httprequest.content_length or 0) > MAX_WEBHOOK_BODY:
            return self._o2o_answer(*too_long)  # refused before it is read
        body = httprequest.get_data(cache=True)
        if len(body) > MAX_WEBHOOK_BODY:
            return self._o2o_answer(*too_long)
        headers = dict(httprequest.headers.items())
        Shop = request.env["o2o.marketplace.shop"].sudo()
        urls = [httprequest.url, f"{Shop.get_base_url()}/o2o/marketplace/{marketplace}/webhook"]
        status, message = Shop._o2o_webhook_receive(marketplace, body, headers, list(dict.fromkeys(urls)))
        if status != 200:
            return self._o2o_answer(status, message)
        return self._o2o_ack(adapter_class(marketplace))

    @staticmethod
    def _o2o_answer(status, message):
        return request.make_response(
            message, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )

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

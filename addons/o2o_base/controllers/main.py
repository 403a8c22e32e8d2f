from odoo import http
from odoo.http import request

from ..const import QR_MAX_LENGTH, QR_RATE_LIMIT, QR_RATE_WINDOW
from ..utils import qr_check_signature, qr_image


class O2oQrController(http.Controller):
    @http.route("/o2o/qr/<string:fmt>", type="http", auth="public", methods=["GET"], sitemap=False)
    def o2o_qr(self, fmt, value="", size=6, sig="", **kwargs):
        """A QR image of ``value``, for e-mails and receipts (which do not show data: URIs).

        It renders only what this database signed (``sig``, see ``utils.qr_url``), so it is
        nobody's free QR service, and it is rate-limited per client address. A QR may hold
        a secret (a coupon code), so the image is never kept by a browser, proxy or cache.
        """

        def bad_request(message, status=400):
            return request.make_json_response({"error": message}, status=status)

        # Counted in the database: every worker and server of the shop shares the count.
        if (
            not request.env["o2o.rate.limit"]
            .sudo()
            ._o2o_hit(f"qr:{request.httprequest.remote_addr}", QR_RATE_LIMIT, QR_RATE_WINDOW)
        ):
            return bad_request(request.env._("Too many QR codes asked: try again in a minute."), status=429)
        if fmt not in ("png", "svg"):
            return bad_request(request.env._("The QR format must be png or svg."))
        if not isinstance(value, str) or not value or len(value.encode()) > QR_MAX_LENGTH:
            return bad_request(request.env._("The QR value must hold 1 to %s bytes.", QR_MAX_LENGTH))
        try:
            box_size = min(max(int(size), 1), 20)
        except (TypeError, ValueError):
            return bad_request(request.env._("The QR size must be a whole number."))
        if not qr_check_signature(request.env, value, sig):
            return bad_request(request.env._("This QR code is not signed by this website."), status=403)
        try:
            image = qr_image(value, fmt=fmt, box_size=box_size)
        except ValueError as error:
            return bad_request(str(error))
        mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
        return request.make_response(
            image,
            headers=[("Content-Type", mimetype), ("Cache-Control", "private, no-store")],
        )

from odoo import http
from odoo.http import request

from ..const import QR_MAX_LENGTH
from ..utils import qr_image


class O2oQrController(http.Controller):
    @http.route("/o2o/qr/<string:fmt>", type="http", auth="public", methods=["GET"], sitemap=False)
    def o2o_qr(self, fmt, value="", size=6, **kwargs):
        """A QR image of ``value``, for e-mails (which do not show data: URIs).

        Like Odoo's /report/barcode it renders what it is given, nothing stored.
        """
        if fmt not in ("png", "svg"):
            return request.make_json_response(
                {"error": request.env._("The QR format must be png or svg.")}, status=400
            )
        if not value or len(value) > QR_MAX_LENGTH:
            return request.make_json_response(
                {"error": request.env._("The QR value must hold 1 to %s characters.", QR_MAX_LENGTH)},
                status=400,
            )
        try:
            box_size = min(max(int(size), 1), 20)
        except ValueError:
            return request.make_json_response(
                {"error": request.env._("The QR size must be a whole number.")}, status=400
            )
        image = qr_image(value, fmt=fmt, box_size=box_size)
        mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
        return request.make_response(
            image,
            headers=[("Content-Type", mimetype), ("Cache-Control", "public, max-age=86400")],
        )

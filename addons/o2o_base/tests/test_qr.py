import base64

from odoo.tests import HttpCase, tagged

from ..utils import qr_data_uri, qr_image


@tagged("post_install", "-at_install", "o2o")
class TestQr(HttpCase):
    def test_png_and_svg(self):
        png = qr_image("O2O-PICKUP-ABC123")
        self.assertTrue(png.startswith(b"\x89PNG"))
        svg = qr_image("O2O-PICKUP-ABC123", fmt="svg")
        self.assertIn(b"<svg", svg)
        uri = qr_data_uri("hello")
        self.assertTrue(uri.startswith("data:image/png;base64,"))
        self.assertTrue(base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG"))
        for bad in ("", "x" * 5000):
            with self.subTest(length=len(bad)), self.assertRaises(ValueError):
                qr_image(bad)

    def test_qweb_helper(self):
        """Reports, e-mails and portal pages render a QR with o2o_qr_data_uri()."""
        view = self.env["ir.ui.view"].create(
            {
                "name": "o2o qr test",
                "type": "qweb",
                "arch": '<t t-name="o2o_qr_test"><img t-att-src="o2o_qr_data_uri(code)"/></t>',
            }
        )
        html = str(self.env["ir.qweb"]._render(view.id, {"code": "PICKUP-42"}))
        self.assertIn('src="data:image/png;base64,', html)

    def test_qr_route(self):
        response = self.url_open("/o2o/qr/png?value=PICKUP-42")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        response = self.url_open("/o2o/qr/svg?value=PICKUP-42&size=4")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"<svg", response.content)
        for url, message in (
            ("/o2o/qr/gif?value=x", "png or svg"),
            ("/o2o/qr/png?value=", "1 to"),
            ("/o2o/qr/png?value=x&size=big", "whole number"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["error"])

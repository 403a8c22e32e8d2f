import base64

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import hmac

from ..controllers import main as qr_main
from ..utils import RateLimiter, qr_data_uri, qr_image, qr_url


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
        response = self.url_open(qr_url(self.env, "PICKUP-42"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        response = self.url_open(qr_url(self.env, "PICKUP-42", fmt="svg", size=4))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"<svg", response.content)
        for url, message in (
            (qr_url(self.env, "x", fmt="gif"), "png or svg"),
            ("/o2o/qr/png?value=", "1 to"),
            (qr_url(self.env, "x", size="big"), "whole number"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["error"])

    def test_qr_route_renders_only_signed_values(self):
        for url in (
            "/o2o/qr/png?value=PICKUP-42",
            "/o2o/qr/png?value=PICKUP-42&sig=" + "0" * 64,
            qr_url(self.env, "PICKUP-42").replace("PICKUP-42", "PICKUP-43"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 403)
                self.assertIn("not signed", response.json()["error"])
        # the scope keeps other signatures of the database out
        other = hmac(self.env(su=True), "o2o_pickup", "PICKUP-42")
        self.assertEqual(self.url_open(f"/o2o/qr/png?value=PICKUP-42&sig={other}").status_code, 403)

    def test_qr_route_limits_bytes_not_characters(self):
        wide = "ệ" * 2000  # 6,000 bytes: more than a QR code holds
        response = self.url_open(qr_url(self.env, wide))
        self.assertEqual(response.status_code, 400)
        self.assertIn("bytes", response.json()["error"])
        with self.assertRaises(ValueError):
            qr_image(wide)
        fits = "ệ" * 600  # 1,800 bytes
        self.assertEqual(self.url_open(qr_url(self.env, fits)).status_code, 200)

    def test_qr_route_rate_limited(self):
        qr_main._qr_rate._hits.clear()
        self.addCleanup(qr_main._qr_rate._hits.clear)
        limit = qr_main._qr_rate.limit
        url = qr_url(self.env, "PICKUP-42")
        statuses = [self.url_open(url).status_code for _i in range(limit + 1)]
        self.assertEqual(statuses[:limit], [200] * limit)
        self.assertEqual(statuses[limit], 429)
        limiter = RateLimiter(limit=2, window=60)
        self.assertEqual([limiter.allow("a", now=t) for t in (0, 1, 2)], [True, True, False])
        self.assertTrue(limiter.allow("b", now=2), "per client")
        self.assertTrue(limiter.allow("a", now=61), "the window slides")

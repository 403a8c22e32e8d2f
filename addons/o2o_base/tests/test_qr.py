import base64

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import hmac

from ..const import QR_RATE_LIMIT
from ..utils import qr_data_uri, qr_image, qr_url


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
        """Issue 11, point 10: the public QR route answers 429 past its limit, per client address."""
        url = qr_url(self.env, "PICKUP-42")
        statuses = [self.url_open(url).status_code for _i in range(QR_RATE_LIMIT + 1)]
        self.assertEqual(statuses[:QR_RATE_LIMIT], [200] * QR_RATE_LIMIT)
        self.assertEqual(statuses[QR_RATE_LIMIT], 429)
        self.assertIn("Too many", self.url_open(url).json()["error"])

    def test_rate_limit_window_and_keys(self):
        """The count lives in the database (every worker and server shares it), per key and window."""
        Limit = self.env["o2o.rate.limit"]
        self.assertEqual([Limit._o2o_hit("test:a", 2, 60) for _i in range(3)], [True, True, False])
        self.assertTrue(Limit._o2o_hit("test:b", 2, 60), "per key")
        row = Limit.search([("key", "=", "test:a")])
        self.assertEqual(row.hits, 3)
        self.env.cr.execute(
            "UPDATE o2o_rate_limit SET window_start = window_start - INTERVAL '61 seconds' WHERE key = 'test:a'"
        )
        self.assertTrue(Limit._o2o_hit("test:a", 2, 60), "a new window starts afresh")
        Limit._gc_o2o_rate_limits()
        self.assertTrue(Limit.search_count([("key", "=", "test:a")]), "recent rows are kept")

import json

from odoo.tests import tagged

from .common import MARKETPLACES, MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestWebhook(MarketplaceCase):
    """Pushes reach /o2o/marketplace/<marketplace>/webhook over HTTP, signed by the simulator."""

    def _url(self, marketplace):
        return f"{self.base_url()}/o2o/marketplace/{marketplace}/webhook"

    def _post(self, marketplace, headers, body):
        return self.url_open(self._url(marketplace), data=body, headers=headers, allow_redirects=False)

    def test_signed_push_imports_once(self):
        for marketplace in MARKETPLACES:
            with self.subTest(marketplace=marketplace):
                self._read_listings(marketplace)
                sim_order = self._sim_order(marketplace)
                headers, body = self.sim.webhook_request(
                    marketplace, sim_order.external_id, self._url(marketplace)
                )
                for _duplicate in range(3):
                    response = self._post(marketplace, headers, body)
                    self.assertEqual(response.status_code, 200, response.text)
                self.assertFalse(self._odoo_order(marketplace, sim_order.external_id), "queued, not imported")
                queued = self._queued("_o2o_job_import_order")
                self.assertEqual(len(queued), 1, "three pushes of one order are one job")
                self.assertEqual(queued.channel, f"root.o2o_marketplace.{marketplace}")
                self._run_jobs()
                orders = self._odoo_order(marketplace, sim_order.external_id)
                self.assertEqual(len(orders), 1)
                self.assertEqual(orders.state, "sale")

    def test_out_of_order_pushes_converge(self):
        marketplace = "lazada"
        self._read_listings(marketplace)
        sim_order = self._sim_order(marketplace)
        early = self.sim.webhook_request(marketplace, sim_order.external_id, self._url(marketplace))
        self.sim.set_order_status(marketplace, sim_order.external_id, "shipped")
        late = self.sim.webhook_request(marketplace, sim_order.external_id, self._url(marketplace))
        self.assertEqual(self._post(marketplace, *late).status_code, 200)
        self._run_jobs()
        self.assertEqual(self._post(marketplace, *early).status_code, 200)
        self._run_jobs()
        order = self._odoo_order(marketplace, sim_order.external_id)
        self.assertEqual(order.o2o_marketplace_status, "shipped")
        self.assertEqual(order.picking_ids.state, "done")

    def test_forged_and_reserialised_pushes_refused(self):
        for marketplace in MARKETPLACES:
            with self.subTest(marketplace=marketplace):
                self._read_listings(marketplace)
                sim_order = self._sim_order(marketplace)
                headers, body = self.sim.webhook_request(
                    marketplace, sim_order.external_id, self._url(marketplace)
                )
                reserialised = json.dumps(json.loads(body), indent=1).encode()
                self.assertNotEqual(reserialised, body)
                self.assertEqual(self._post(marketplace, headers, reserialised).status_code, 403)
                forged = {
                    key: ("0" * 64 if key.lower() == "authorization" else value)
                    for key, value in headers.items()
                }
                self.assertEqual(self._post(marketplace, forged, body).status_code, 403)
                self.assertFalse(self._odoo_order(marketplace, sim_order.external_id))
                self.assertEqual(self._post(marketplace, headers, b"not json").status_code, 400)

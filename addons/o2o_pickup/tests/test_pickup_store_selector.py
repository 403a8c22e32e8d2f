from unittest.mock import patch

import requests

from odoo import Command
from odoo.addons.website.tools import MockRequest
from odoo.tests import tagged

from .common import O2oPickupCommon

NOMINATIM_GET = "odoo.addons.base_geolocalize.models.base_geocoder.requests.get"


class FakeNominatim:
    """OpenStreetMap's geocoder as seen from here: down, or answering from a list of places."""

    def __init__(self, places=None):
        self.places = places
        self.queries = []

    def __call__(self, url, headers=None, params=None, **kwargs):
        self.queries.append(params["q"])
        if self.places is None:
            raise requests.ConnectionError("Name or service not known")
        response = requests.Response()
        response.status_code = 200
        found = next(([lat, lon] for words, lat, lon in self.places if words in params["q"]), None)
        body = [{"lat": str(found[0]), "lon": str(found[1])}] if found else []
        response._content = requests.compat.json.dumps(body).encode()
        return response


@tagged("post_install", "-at_install", "o2o")
class TestPickupStoreSelector(O2oPickupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sg = cls.env.ref("base.state_vn_VN-SG")
        cls.hn = cls.env.ref("base.state_vn_VN-HN")

        def address(name, street, city, state, lat=0.0, lon=0.0):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "street": street,
                    "city": city,
                    "zip": "70000",
                    "state_id": state.id,
                    "country_id": cls.vn.id,
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                }
            )

        cls.store_1.partner_id = address("Q1", "72 Lê Thánh Tôn", "Hồ Chí Minh", cls.sg, 10.7769, 106.7009)
        cls.store_2.partner_id = address("Hoàn Kiếm", "44 Tràng Tiền", "Hà Nội", cls.hn, 21.0245, 105.8553)
        # A third store whose address was never placed on the map.
        cls.store_3 = cls.env["stock.warehouse"].create(
            {
                "name": "Store Q7",
                "code": "TQ7",
                "o2o_is_store": True,
                "company_id": cls.company.id,
                "partner_id": address("An Phú", "101 Tôn Dật Tiên", "Hồ Chí Minh", cls.sg).id,
            }
        )
        cls.carrier.write({"warehouse_ids": [Command.set((cls.store_1 | cls.store_2 | cls.store_3).ids)]})
        cls.customer.write(
            {"street": "8 Hàng Bài", "city": "Hà Nội", "state_id": cls.hn.id, "country_id": cls.vn.id}
        )

    def _lookup(self, geocoder):
        """The store selector's lookup, with Odoo's geocoder switched on as outside tests."""
        order = self._pickup_order([(self.product_a, 1)], confirm=False)
        with (
            patch(NOMINATIM_GET, geocoder),
            MockRequest(self.env, website=self.website, sale_order_id=order.id),
        ):
            result = order.with_context(force_geo_localize=True)._get_pickup_locations()
        return result

    def test_store_selector_geocoder_down_lists_every_store(self):
        result = self._lookup(FakeNominatim())
        self.assertNotIn("error", result)
        locations = result["pickup_locations"]
        # Position unknown: the shopper's province first, then by name; no distance claimed.
        self.assertEqual([loc["id"] for loc in locations], (self.store_2 | self.store_3 | self.store_1).ids)
        self.assertEqual([loc["name"] for loc in locations], ["Hoàn Kiếm", "An Phú", "Q1"])
        self.assertTrue(all(loc["distance"] is None for loc in locations))
        self.assertFalse(self.customer.partner_latitude)

    def test_store_selector_geocodes_once_per_address(self):
        geocoder = FakeNominatim()
        self._lookup(geocoder)
        tried = len(geocoder.queries)
        self.assertTrue(tried, "the shopper and the unplaced store were tried")
        self._lookup(geocoder)
        self.assertEqual(len(geocoder.queries), tried, "the same addresses are not tried again the same day")
        # A new address is tried at once; the service is back and places it.
        self.customer.write({"street": "12 Nguyễn Huệ", "city": "Hồ Chí Minh", "state_id": self.sg.id})
        geocoder.places = [("12 Nguyễn Huệ", 10.7740, 106.7036)]
        locations = self._lookup(geocoder)["pickup_locations"]
        self.assertGreater(len(geocoder.queries), tried)
        self.assertAlmostEqual(self.customer.partner_latitude, 10.7740)
        # Placed: nearest first with the distance in km, the unplaced store last.
        self.assertEqual([loc["id"] for loc in locations], (self.store_1 | self.store_2 | self.store_3).ids)
        self.assertLess(locations[0]["distance"], 1.0)
        self.assertGreater(locations[1]["distance"], 1000.0)
        self.assertIsNone(locations[2]["distance"])
        queries = len(geocoder.queries)
        self._lookup(geocoder)
        self.assertEqual(len(geocoder.queries), queries, "a placed shopper is not geocoded again")

    def test_store_selector_store_without_postcode(self):
        self.store_3.partner_id.zip = False
        locations = self._lookup(FakeNominatim())["pickup_locations"]
        self.assertEqual({loc["zip_code"] for loc in locations}, {"70000", ""})

    def test_store_selector_shows_names_as_written(self):
        self.store_1.partner_id.write({"name": "o2o Store Quận 1", "street": "hẻm 12/3a Lê Thánh Tôn"})
        location = next(
            loc for loc in self._lookup(FakeNominatim())["pickup_locations"] if loc["id"] == self.store_1.id
        )
        self.assertEqual(
            (location["name"], location["street"]), ("o2o Store Quận 1", "hẻm 12/3a Lê Thánh Tôn")
        )

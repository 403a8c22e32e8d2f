import threading

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import HttpCase, tagged

from .common import make_simulator


@tagged("post_install", "-at_install", "o2o")
class TestTokenRace(HttpCase):
    """Two workers find the access token refused at the same moment and both refresh it.

    Refresh tokens rotate: whoever refreshed second with the old refresh token would lock the shop
    out. Committed data and real concurrent transactions here, as two Odoo servers would run them.
    """

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def setUp(self):
        super().setUp()
        self.sim = make_simulator().start()
        self.addCleanup(self.sim.stop)
        self.sim_shop = self.sim.add_shop("shopee", shop_id="990000001")
        self.access, self.refresh, _ttl, _rttl = self.sim.issue_tokens(self.sim_shop)
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            shop = env["o2o.marketplace.shop"].create(
                {
                    "name": "Race shop",
                    "marketplace": "shopee",
                    "host": self.sim.url("shopee"),
                    "app_key": self.sim_shop.app_key,
                    "app_secret": self.sim_shop.app_secret,
                    "shop_external_id": self.sim_shop.shop_id,
                    "warehouse_id": env.ref("stock.warehouse0").id,
                }
            )
            env["o2o.marketplace.token"].create(
                {
                    "shop_id": shop.id,
                    "access_token": self.access,
                    "refresh_token": self.refresh,
                    "access_expires_at": "2099-01-01 00:00:00",
                }
            )
            env.flush_all()
            self.shop_id, self.team_id = shop.id, shop.team_id.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["o2o.marketplace.shop"].browse(self.shop_id).unlink()
            env["crm.team"].browse(self.team_id).unlink()
            env.flush_all()

    def test_concurrent_refresh_spends_the_refresh_token_once(self):
        barrier = threading.Barrier(2)
        results, errors = {}, []

        def worker(name):
            try:
                with self._cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    shop = env["o2o.marketplace.shop"].browse(self.shop_id)
                    shop.read(["name"])  # the transaction's snapshot is taken before the race
                    barrier.wait(timeout=30)
                    results[name] = shop._o2o_access_token(expired=self.access, cursor=self._cursor)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(name,)) for name in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors, errors)
        self.assertEqual(results["a"], results["b"], "both workers use the one new token")
        refreshes = [call for call in self.sim.calls if call[2].endswith("/auth/access_token/get")]
        self.assertEqual(len(refreshes), 1, "the rotating refresh token is spent once")
        self.assertTrue(self.sim.access_valid(self.sim_shop, results["a"]))
        with self._cursor() as cr:
            cr.execute("SELECT refresh_token FROM o2o_marketplace_token WHERE shop_id = %s", [self.shop_id])
            self.assertTrue(self.sim.refresh_valid(self.sim_shop, cr.fetchone()[0]))

import datetime
import json
import logging
from unittest.mock import patch

import psycopg2.errors

from odoo import fields, sql_db
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MarketplaceCase, trap_jobs


@tagged("post_install", "-at_install", "o2o")
class TestQueue(MarketplaceCase):
    """The connector's work runs on queue_job: queued by the schedulers and pushes, one job per
    piece of work, and a job that fails never keeps the others from running."""

    def _url(self, marketplace):
        return f"{self.base_url()}/o2o/marketplace/{marketplace}/webhook"

    def test_schedulers_queue_one_job_per_shop(self):
        Shop = self.env["o2o.marketplace.shop"]
        shops = Shop.search([("sync_orders", "=", True), ("shop_external_id", "!=", False)])
        with trap_jobs() as trap:
            Shop._cron_sync_orders()
            Shop._cron_sync_orders()  # the scheduler again before a worker took them
            trap.assert_jobs_count(len(shops))
            trap.assert_enqueued_job(
                self.shops["lazada"]._o2o_job_sync_orders,
                properties={"channel": "root.o2o_marketplace.lazada"},
            )
            self.assertFalse(self.sim.calls, "the scheduler itself calls no marketplace")
            trap.perform_enqueued_jobs()
        run = self.env["o2o.marketplace.job"].search(
            [("shop_id", "=", self.shops["lazada"].id), ("kind", "=", "orders")], limit=1
        )
        self.assertEqual(run.state, "done", run.message)
        # for real: stored in the database, the second call finds the first job waiting
        Shop._cron_sync_orders()
        Shop._cron_sync_orders()
        self.assertEqual(len(self._queued("_o2o_job_sync_orders")), len(shops))

    def test_stock_changes_queue_a_push_per_shop(self):
        for marketplace in ("shopee", "lazada"):
            self._read_listings(marketplace)
        self.env["stock.quant"]._update_available_quantity(self.product_a, self.store_1.lot_stock_id, 5)
        self.env.flush_all()
        self.env["o2o.marketplace.listing"]._cron_push_stock_changes()
        queued = self._queued("_o2o_job_push_stock")
        self.assertEqual(
            sorted(queued.mapped("channel")), ["root.o2o_marketplace.lazada", "root.o2o_marketplace.shopee"]
        )
        self.env.cr.execute("SELECT count(*) FROM o2o_marketplace_stock_event")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the changes are in the queued jobs")
        self._run_jobs()
        self.assertEqual(self._listing("shopee", "MKP-SHIRT").stock, 24, "25 in store, 1 kept back")

    def test_failing_jobs_never_block_the_others(self):
        """A job raising, a shop without its token and an item whose delivery is gone fail each on
        their own; the order queued after them is imported."""
        Log = self.env["o2o.marketplace.job"]
        self._read_listings("shopee")
        # 1. a job that raises (queued with arguments it cannot use), and one whose shop was
        # deleted while it waited (it checks first, and has nothing to do)
        broken = self.shops["tiktok"]._o2o_enqueue("_o2o_job_reconcile_orders", None, None)
        gone = self.shops["tiktok"].copy(
            {"name": "Closed shop", "shop_external_id": "closed-1", "app_secret": "closed"}
        )
        gone_job = gone._o2o_enqueue("_o2o_job_sync_orders", identity=("orders",))
        gone.unlink()
        # 2. a shop whose connection was removed: a failed item, retried later
        self.shops["lazada"].sudo().token_id.unlink()
        lazada_order = self._sim_order("lazada")
        self.shops["lazada"]._o2o_enqueue_order(lazada_order.external_id)
        # 3. a shipment item whose reference is not a delivery (it stopped the old runner)
        odd = Log.create(
            {"shop_id": self.shops["shopee"].id, "kind": "shipment", "ref": "SPX-123", "state": "failed"}
        )
        self.shops["shopee"]._o2o_enqueue_retry(odd, None)
        # 4. the order everybody waits for
        shopee_order = self._sim_order("shopee")
        self.shops["shopee"]._o2o_enqueue_order(shopee_order.external_id)

        with mute_logger("odoo.addons.o2o_marketplace.models.o2o_marketplace_shop"):
            self._run_jobs()

        self.assertEqual(broken.state, "failed")
        self.assertIn("TypeError", broken.exc_info)
        self.assertEqual(gone_job.state, "done")
        self.assertIn("deleted", gone_job.result)
        self.assertTrue(self._odoo_order("shopee", shopee_order.external_id), "imported all the same")
        item = Log.search([("shop_id", "=", self.shops["lazada"].id), ("ref", "=", lazada_order.external_id)])
        self.assertEqual(item.state, "failed")
        self.assertIn("not connected", item.message)
        self.assertEqual(item.queue_job_id.state, "pending", "retried later")
        self.assertEqual(odd.state, "done")
        self.assertIn("delivery is gone", odd.message)

    def test_retries_are_bounded(self):
        marketplace = "lazada"
        self._read_listings(marketplace)
        sim_order = self._sim_order(marketplace)
        self.sim.faults.add(marketplace, "5xx", count=1000)
        self.shops[marketplace]._o2o_enqueue_order(sim_order.external_id)
        self._run_jobs()
        item = self.env["o2o.marketplace.job"].search([("ref", "=", sim_order.external_id)])
        for attempt in range(1, 5):
            self.assertEqual((item.state, item.attempts), ("failed", attempt))
            retry = item.queue_job_id
            self.assertEqual(retry.state, "pending")
            retry.eta = False  # its time has come
            self._run_jobs()
        self.assertEqual((item.attempts, item.next_attempt), (5, False), "then it waits for a person")
        self.assertFalse(item.queue_job_id)
        self.sim.faults.clear()
        item.action_retry()
        self.assertEqual(item.state, "done")
        self.assertTrue(self._odoo_order(marketplace, sim_order.external_id))

    def test_webhook_refuses_what_is_not_a_signed_push(self):
        for marketplace in ("shopee", "lazada", "tiktok"):
            with self.subTest(marketplace=marketplace):
                url = self._url(marketplace)
                sim_order = self._sim_order(marketplace)
                headers, body = self.sim.webhook_request(marketplace, sim_order.external_id, url)
                for malformed in (b"[]", b'{"data": "s"}', b'"x"', b"[" * 5000 + b"]" * 5000, b"\xff\xfe"):
                    response = self.url_open(url, data=malformed, headers=headers)
                    self.assertEqual(response.status_code, 400, (malformed[:20], response.text))
                response = self.url_open(url, data=b"{" + b" " * (70 * 1024) + b"}", headers=headers)
                self.assertEqual(response.status_code, 413)
                forged = dict(headers, Authorization="é" * 64)
                bad_signature = self.url_open(url, data=body, headers=forged)
                self.assertEqual(bad_signature.status_code, 403)
                payload = json.loads(body)
                payload["seller_id" if marketplace == "lazada" else "shop_id"] = "99999999"
                stranger = json.dumps(payload).encode()
                unknown = self.url_open(url, data=stranger, headers=headers)
                self.assertEqual(
                    (unknown.status_code, unknown.text), (bad_signature.status_code, bad_signature.text)
                )
                self.assertFalse(self._queued())

    def test_replayed_push_is_acknowledged_not_queued(self):
        for marketplace in ("shopee", "lazada", "tiktok"):
            with self.subTest(marketplace=marketplace):
                url = self._url(marketplace)
                sim_order = self._sim_order(marketplace)
                self.sim.offset = -2 * 86400  # signed two days ago, captured and sent again
                headers, body = self.sim.webhook_request(marketplace, sim_order.external_id, url)
                self.sim.offset = 0
                with mute_logger("odoo.addons.o2o_marketplace.models.o2o_marketplace_shop_webhook"):
                    response = self.url_open(url, data=body, headers=headers)
                self.assertEqual(response.status_code, 200, "acknowledged: the marketplace stops sending it")
                self.assertFalse(self._queued())
                headers, body = self.sim.webhook_request(marketplace, sim_order.external_id, url)
                self.assertEqual(self.url_open(url, data=body, headers=headers).status_code, 200)
                self.assertEqual(len(self._queued()), 1, "the same push signed now is queued")
                self._run_jobs()

    def test_a_push_costs_a_few_queries(self):
        """What the marketplace waits for: find the shop, check the signature, queue the job."""
        marketplace = "lazada"
        url = self._url(marketplace)
        Shop = self.env["o2o.marketplace.shop"]
        for attempt in range(2):
            sim_order = self._sim_order(marketplace)
            headers, body = self.sim.webhook_request(marketplace, sim_order.external_id, url)
            self.env.flush_all()
            if attempt:  # the first push of a worker loads its caches
                with self.assertQueryCount(7):
                    self.assertEqual(
                        Shop._o2o_webhook_receive(marketplace, body, headers, [url]), (200, None)
                    )
            else:
                Shop._o2o_webhook_receive(marketplace, body, headers, [url])
        self.assertEqual(len(self._queued("_o2o_job_import_order")), 2)

    def test_a_run_stopped_half_way_is_carried_on_by_the_next(self):
        shop = self.shops["lazada"]
        Log = self.env["o2o.marketplace.job"]
        # the first page committed its log line, then queue_job retried the job after a conflict
        # with another one (or the server stopped); an older line left the same way is closed
        older = Log.create({"shop_id": shop.id, "kind": "orders", "state": "running"})
        stopped = Log.create({"shop_id": shop.id, "kind": "orders", "state": "running"})
        shop._o2o_queue_orders()
        self._run_jobs()
        (older | stopped).invalidate_recordset()  # written by the job
        self.assertEqual(stopped.state, "done", "one run for the staff, not a failure and its retry")
        self.assertEqual((older.state, older.message), ("failed", older.message))
        self.assertIn("Interrupted", older.message)
        self.assertEqual(Log.search_count([("shop_id", "=", shop.id), ("kind", "=", "orders")]), 2)

    def test_order_import_and_reconciliation_of_a_shop_take_turns(self):
        """Both import the same orders and create their listings: the reconciliation waits for the
        import (queue_job runs it again a minute later) instead of colliding with it."""
        from odoo.addons.queue_job.exception import RetryableJobError

        shop = self.shops["shopee"]
        lock = ["o2o_marketplace.orders", shop.id]
        # an import of the shop running on another connection (another worker or server)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", lock)
            try:
                with self.assertRaises(RetryableJobError):
                    shop._o2o_job_reconcile_orders(
                        fields.Datetime.now() - datetime.timedelta(days=1), fields.Datetime.now()
                    )
            finally:
                other.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", lock)
        self.assertFalse(self.sim.calls, "nothing asked of the marketplace meanwhile")

    def test_a_listing_another_job_is_creating_fails_the_order_alone(self):
        """Its listings created by another transaction this one cannot see yet: the order is
        recorded as failed and retried, the others of the page are imported."""
        shop = self.shops["tiktok"]
        self._read_listings("tiktok")
        first = self._sim_order("tiktok", lines=(("MKP-SHIRT", 2, 10, 0),))
        second = self._sim_order("tiktok", lines=(("MKP-CAP", 1, 25, 5),))
        records = self._fetch(shop, [first.external_id, second.external_id])
        invisible = next(r for r in records if r.external_id == first.external_id).lines[0].key
        Listing = self.env["o2o.marketplace.listing"]
        original = Listing.search

        def search_without(listing_self, domain, *args, **kwargs):
            found = original(domain, *args, **kwargs)
            return found.filtered(lambda listing: listing.key != invisible)

        with (
            patch.object(type(Listing), "search", search_without),
            patch.object(type(Listing), "_o2o_upsert", lambda self, shop, listings: Listing.browse()),
        ):
            succeeded, failed = self.env["sale.order"]._o2o_marketplace_import(shop, records)
        self.assertEqual((succeeded, failed), (1, 1))
        item = self.env["o2o.marketplace.job"].search(
            [("kind", "=", "order"), ("ref", "=", first.external_id)]
        )
        self.assertEqual(item.state, "failed")
        self.assertIn("being created by another job", item.message)

    def test_a_conflict_another_job_won_is_not_logged_as_an_error(self):
        """Two jobs importing one order: the loser's refused insert is handled, so the database's
        refusal stays out of the error log, without muting the SQL log of other threads."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.user.partner_id.id,
                "o2o_marketplace_shop_id": self.shops["shopee"].id,
                "o2o_marketplace_ref": "SAME-ORDER",
            }
        )
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env["sale.order"].create(
                {
                    "partner_id": order.partner_id.id,
                    "o2o_marketplace_shop_id": order.o2o_marketplace_shop_id.id,
                    "o2o_marketplace_ref": "SAME-ORDER",
                }
            )
            self.env.flush_all()
        # any other refused query is still an error of the log
        with self.assertLogs("odoo.sql_db", level="ERROR"):
            logging.getLogger("odoo.sql_db").error('duplicate key value violates unique constraint "other"')

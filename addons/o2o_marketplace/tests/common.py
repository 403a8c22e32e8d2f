import copy
import logging
import sys
import traceback
from contextlib import contextmanager, nullcontext
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.addons.o2o_base.tests.common import O2oCommon
from odoo.addons.queue_job.job import Job
from odoo.tests import HttpCase
from odoo.tests import common as odoo_test_common

# queue_job's test helpers register their patcher with Odoo's test framework, which builds of
# Odoo 18 before June 2025 lack (it only silences a warning): give them the empty registry.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: F401  # pylint: disable=unused-import

# The marketplaces are outside our machine: they are played by the simulator in the repository's tools/.
SIM_PATH = Path(__file__).resolve().parents[3] / "tools"
if str(SIM_PATH) not in sys.path:
    sys.path.insert(0, str(SIM_PATH))

from marketplace_sim import make_simulator  # noqa: E402

MARKETPLACES = ("shopee", "lazada", "tiktok")

_logger = logging.getLogger(__name__)


class MarketplaceCase(O2oCommon, HttpCase):
    """A shop per marketplace on the simulator, shipping from store Q1, three listed products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sim = make_simulator().start()
        cls.addClassCleanup(cls.sim.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("o2o_marketplace.backoff", "0")
        params.set_param("o2o_marketplace.timeout", "2")
        cls.product_a.write({"default_code": "MKP-SHIRT", "is_storable": True})
        cls.product_b.write({"default_code": "MKP-CAP", "is_storable": True})
        cls.product_c = cls.create_product("Tote bag", cls.categ_basic, 99000.0)
        cls.product_c.write({"barcode": "4006381333931", "is_storable": True})
        stock = cls.store_1.lot_stock_id
        for product, qty in ((cls.product_a, 20), (cls.product_b, 10), (cls.product_c, 5)):
            cls.env["stock.quant"]._update_available_quantity(product, stock, qty)
        cls.shops = {}
        cls.sim_shops = {}
        for index, marketplace in enumerate(MARKETPLACES):
            sim_shop = cls.sim.add_shop(marketplace)
            access, refresh, _ttl, _rttl = cls.sim.issue_tokens(sim_shop)
            host = cls.sim.url(marketplace) + ("/rest" if marketplace == "lazada" else "")
            shop = (
                cls.env["o2o.marketplace.shop"]
                .sudo()
                .create(
                    {
                        "name": f"{marketplace} test shop",
                        "marketplace": marketplace,
                        "host": host,
                        "auth_host": cls.sim.url(marketplace)
                        + ("/auth/rest" if marketplace == "lazada" else ""),
                        "app_key": sim_shop.app_key,
                        "app_secret": sim_shop.app_secret,
                        "shop_external_id": sim_shop.shop_id,
                        "warehouse_id": cls.store_1.id,
                        "company_id": cls.company.id,
                        "stock_buffer": 1,
                    }
                )
            )
            cls.env["o2o.marketplace.token"].sudo().create(
                {
                    "shop_id": shop.id,
                    "access_token": access,
                    "refresh_token": refresh,
                    "access_expires_at": "2099-01-01 00:00:00",
                    "refresh_expires_at": "2099-01-01 00:00:00",
                }
            )
            cls.shops[marketplace] = shop
            cls.sim_shops[marketplace] = sim_shop
            base = 500000 + index * 1000
            # item (and model) ids on the marketplace; SKUs and the barcode match the products
            listings = (  # sku, name, price, barcode
                ("MKP-SHIRT", "Shirt", 10, None),
                ("MKP-CAP", "Cap", 25, None),
                ("", "Tote", 99000, "4006381333931"),
                ("UNKNOWN-1", "Not in Odoo", 5, None),
            )
            for number, (sku, name, price, barcode) in enumerate(listings, start=1):
                cls.sim.add_listing(
                    marketplace,
                    sim_shop.shop_id,
                    base + number,
                    base + 10 + number if marketplace != "shopee" else None,
                    sku=sku,
                    name=name,
                    price=price,
                    stock=0,
                    barcode=barcode,
                )
        cls.company.country_id = cls.env.ref("base.vn")
        # The connector runs as the scheduler or a webhook (superuser); access is tested apart.
        cls.env = cls.env(su=True)
        cls.sim_snapshot = copy.deepcopy((cls.sim.shops, cls.sim.listings))

    def setUp(self):
        super().setUp()
        # The simulator outlives each test's rollback: start every test from the same marketplace.
        self.sim.shops, self.sim.listings = copy.deepcopy(self.sim_snapshot)
        self.sim.orders.clear()
        self.sim.faults.clear()
        self.sim.calls.clear()
        self.sim.stock_pushes.clear()
        self.sim.price_pushes.clear()
        self.sim.shipments.clear()
        self.sim.offset = 0
        self.sim_shops = {m: self.sim.shop(m, shop.shop_id) for m, shop in self.sim_shops.items()}

    def _queued(self, method=None):
        """The connector's queue jobs waiting to run now (of ``method`` when given)."""
        domain = [
            ("channel", "=like", "root.o2o_marketplace%"),
            ("state", "=", "pending"),
            "|",
            ("eta", "=", False),
            ("eta", "<=", fields.Datetime.now()),
        ]
        if method:
            domain.append(("method_name", "=", method))
        return self.env["queue.job"].search(domain, order="priority, date_created, id")

    def _run_jobs(self, method=None, limit=50):
        """Run the waiting queue jobs as the job runner does (each loaded from the database and
        performed, then marked done); jobs they queue run too. -> the jobs run."""
        done = self.env["queue.job"]
        for _round in range(limit):
            jobs = self._queued(method) - done
            if not jobs:
                break
            for record in jobs:
                job = Job.load(self.env, record.uuid)
                job.set_started()
                job.store()
                # the job is a transaction of its own: it reads what the test wrote, and the test
                # reads afresh what the job wrote
                self.env.flush_all()
                try:
                    with self.env.cr.savepoint(), self._commit_rule(job):
                        job.perform()
                except Exception:  # noqa: BLE001 - as the runner: this job fails, the others run
                    self.env.invalidate_all(flush=False)
                    _logger.info(
                        "job %s failed (as the runner records it):\n%s",
                        job.method_name,
                        traceback.format_exc(),
                    )
                    job.set_failed(exc_info=traceback.format_exc())
                else:
                    _logger.info("job %s done: %s", job.method_name, job.result)
                    job.set_done()
                job.store()
                done |= record
                self.env.invalidate_all()
        self.env.flush_all()
        return done

    @contextmanager
    def _commit_rule(self, job):
        """queue_job's runner refuses a commit inside a job whose function does not allow it;
        our runs commit through ``_o2o_commit`` (skipped in tests): refused the same way. A job
        that may commit runs on a cursor of its own in production; here, inside the test's
        transaction (a second cursor of a test shares its connection and savepoints)."""
        if job.job_config.allow_commit:
            with patch.object(Job, "in_temporary_env", lambda _job: nullcontext()):
                yield
            return

        def forbidden(shop):
            raise RuntimeError(f"Commit is forbidden in queue jobs ({job.method_name})")

        with patch.object(type(self.env["o2o.marketplace.shop"]), "_o2o_commit", forbidden):
            yield

    def _listing(self, marketplace, sku):
        return next(
            v
            for v in self.sim.shop_listings(marketplace, self.sim_shops[marketplace].shop_id)
            if v.sku == sku
        )

    def _sim_order(self, marketplace, lines=(("MKP-SHIRT", 2, 10, 0), ("MKP-CAP", 1, 25, 5)), **kwargs):
        """An order on the simulator: lines of (sku, quantity, unit price, line discount)."""
        sim_lines = []
        for sku, qty, price, discount in lines:
            listing = self._listing(marketplace, sku)
            sim_lines.append(
                {
                    "item_id": listing.item_id,
                    "model_id": listing.model_id,
                    "sku": sku,
                    "name": listing.name,
                    "quantity": qty,
                    "unit_price": price,
                    "discount": discount,
                }
            )
        kwargs.setdefault("shipping_fee", 3)
        kwargs.setdefault("seller_voucher", 2)
        kwargs.setdefault("platform_voucher", 1)
        return self.sim.add_order(marketplace, self.sim_shops[marketplace].shop_id, sim_lines, **kwargs)

    def _odoo_order(self, marketplace, external_id):
        return self.env["sale.order"].search(
            [
                ("o2o_marketplace_shop_id", "=", self.shops[marketplace].id),
                ("o2o_marketplace_ref", "=", external_id),
            ]
        )

    @staticmethod
    def _fetch(shop, external_ids):
        """The marketplace's current records of these orders, as the connector reads them."""
        return shop._o2o_with_adapter(lambda adapter: adapter.get_orders(list(external_ids)))

    def _import(self, marketplace, *sim_orders):
        shop = self.shops[marketplace]
        return self.env["sale.order"]._o2o_marketplace_import(
            shop, self._fetch(shop, [o.external_id for o in sim_orders])
        )

    def _read_listings(self, marketplace):
        self.shops[marketplace]._o2o_sync_listings()
        return self.shops[marketplace].listing_ids

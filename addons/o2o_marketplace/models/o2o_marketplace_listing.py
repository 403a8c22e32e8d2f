import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..adapters import MarketplaceError, PriceUpdate, StockUpdate
from ..utils import valid_gtin

_logger = logging.getLogger(__name__)


class O2oMarketplaceListing(models.Model):
    """A product variant as listed on a marketplace shop (item, or item + model), linked to an Odoo product.

    Listings are matched automatically by internal reference (the seller SKU) and by barcode (a
    valid GTIN); the others wait in the Unmatched queue for staff. Stock and prices are pushed
    per listing, and the last quantity the marketplace knows is kept to push changes only.
    """

    _name = "o2o.marketplace.listing"
    _description = "Marketplace Listing"
    _order = "shop_id, name, id"

    shop_id = fields.Many2one("o2o.marketplace.shop", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shop_id.company_id", store=True)
    marketplace = fields.Selection(related="shop_id.marketplace")
    key = fields.Char(required=True, help="Item id, or item id/model id for a variant.")
    item_id = fields.Char("Item ID", required=True)
    model_id = fields.Char("Model / SKU ID")
    sku = fields.Char("Seller SKU", index=True)
    name = fields.Char(required=True)
    barcode = fields.Char()
    product_id = fields.Many2one("product.product", index=True, check_company=True, ondelete="restrict")
    ignored = fields.Boolean(help="Not sold from Odoo: never matched, no stock or price pushed.")
    state = fields.Selection(
        [("matched", "Matched"), ("unmatched", "To match"), ("ignored", "Ignored")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    marketplace_qty = fields.Integer("Quantity on marketplace", readonly=True)
    marketplace_price = fields.Float("Price on marketplace", digits="Product Price", readonly=True)
    last_push = fields.Datetime(readonly=True)
    push_error = fields.Char(readonly=True)

    _sql_constraints = [("key_unique", "unique(shop_id, key)", "This listing is already known for the shop.")]

    def init(self):
        # Stock changes of listed products, pushed and then deleted by the stock cron. Append-only,
        # so recording a change never waits for a push in progress.
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS o2o_marketplace_stock_event (
                id bigserial PRIMARY KEY,
                product_id integer NOT NULL
            )
            """
        )

    @api.depends("product_id", "ignored")
    def _compute_state(self):
        for listing in self:
            listing.state = (
                "ignored" if listing.ignored else ("matched" if listing.product_id else "unmatched")
            )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------

    @api.model
    def _o2o_upsert(self, shop, page):
        """Create or update listings from adapter records; new ones are matched automatically."""
        existing = {
            listing.key: listing
            for listing in self.search([("shop_id", "=", shop.id), ("key", "in", [r.key for r in page])])
        }
        new_vals = []
        for record in page:
            vals = {
                "name": record.name,
                "sku": record.sku,
                "barcode": record.barcode,
                "item_id": record.item_id,
                "model_id": record.model_id,
            }
            if record.quantity is not None:
                vals["marketplace_qty"] = record.quantity
            if record.price is not None:
                vals["marketplace_price"] = float(record.price)
            listing = existing.get(record.key)
            if listing:
                listing.write({k: v for k, v in vals.items() if listing[k] != v})
            else:
                new_vals.append({**vals, "shop_id": shop.id, "key": record.key})
        created = self._o2o_create_new(new_vals)
        created._o2o_auto_match()
        return created

    def _o2o_create_new(self, vals_list):
        """Create these listings; one that another transaction (another job, another server)
        created a moment ago is left to it instead of failing the whole page."""
        try:
            with self.env.cr.savepoint():
                return self.create(vals_list)
        except psycopg2.errors.UniqueViolation:
            _logger.info(
                "shop %s: a listing was created meanwhile; creating them one by one", vals_list[0]["shop_id"]
            )
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= self.create(vals)
            except psycopg2.errors.UniqueViolation:
                _logger.info(
                    "listing %s of shop %s created meanwhile by another job", vals["key"], vals["shop_id"]
                )
        return created

    def _o2o_auto_match(self):
        """Match by internal reference (seller SKU), then by barcode when it is a valid GTIN."""
        todo = self.filtered(lambda listing: listing.state == "unmatched")
        if not todo:
            return self.browse()
        product = self.env["product.product"].with_context(active_test=True)
        company_ids = [False, *todo.company_id.ids]
        skus = {listing.sku for listing in todo if listing.sku}
        by_code = {}
        for found in product.search_fetch(
            [("default_code", "in", list(skus)), ("company_id", "in", company_ids)], ["default_code"]
        ):
            by_code.setdefault(found.default_code, found)
        gtins = {listing.id: valid_gtin(listing.barcode) for listing in todo}
        by_barcode = {
            found.barcode: found
            for found in product.search_fetch(
                [("barcode", "in", [g for g in gtins.values() if g]), ("company_id", "in", company_ids)],
                ["barcode"],
            )
        }
        matched = self.browse()
        for listing in todo:
            found = by_code.get(listing.sku) or by_barcode.get(gtins[listing.id])
            if found:
                listing.product_id = found
                matched |= listing
        return matched

    def action_auto_match(self):
        matched = self._o2o_auto_match()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(matched)s of %(total)s listings matched.", matched=len(matched), total=len(self)
                ),
                "type": "success" if matched else "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_ignore(self):
        self.write({"ignored": True})

    def action_unignore(self):
        self.write({"ignored": False})

    # ------------------------------------------------------------------
    # Stock
    # ------------------------------------------------------------------

    @api.model
    def _o2o_stock_changed(self, product_id, location):
        """Remember that a listed product's free quantity changed (called by stock.quant)."""
        if location.usage != "internal":
            return
        self.flush_model(["product_id"])
        self.env.cr.execute(
            """
            INSERT INTO o2o_marketplace_stock_event (product_id)
            SELECT %(product)s WHERE EXISTS (
                SELECT 1 FROM o2o_marketplace_listing WHERE product_id = %(product)s
            )
            """,
            {"product": product_id},
        )

    def _o2o_target_qty(self):
        """{listing: quantity to offer}: free quantity in the shop's warehouse minus the safety stock."""
        targets = {}
        for shop, listings in self.grouped("shop_id").items():
            products = listings.product_id.with_context(warehouse_id=shop.warehouse_id.id)
            free = {p.id: p.free_qty for p in products.with_prefetch(products.ids)}
            for listing in listings:
                targets[listing] = max(0, int(free.get(listing.product_id.id, 0)) - shop.stock_buffer)
        return targets

    def _o2o_push_stock(self, force=False):
        """Push quantities of matched listings: those that differ from the marketplace's, or all (force).

        At most ``adapter.max_batch`` SKUs per call; a SKU the marketplace refuses is logged as a
        failed item and retried, the others are done.
        """
        listings = self.filtered(lambda listing: listing.state == "matched" and listing.shop_id.active)
        for shop, shop_listings in listings.grouped("shop_id").items():
            targets = shop_listings._o2o_target_qty()
            todo = [
                listing for listing in shop_listings if force or targets[listing] != listing.marketplace_qty
            ]
            if todo:
                shop_listings._o2o_push(shop, "stock", todo, targets)

    def _o2o_push_price(self):
        listings = self.filtered(lambda listing: listing.state == "matched" and listing.shop_id.active)
        for shop, shop_listings in listings.grouped("shop_id").items():
            if not shop.pricelist_id:
                raise UserError(self.env._("Set a pricelist on %(shop)s to push prices.", shop=shop.name))
            prices = shop.pricelist_id._get_products_price(shop_listings.product_id, 1.0)
            targets = {listing: prices[listing.product_id.id] for listing in shop_listings}
            shop_listings._o2o_push(shop, "price", list(shop_listings), targets)

    def _o2o_push(self, shop, kind, todo, targets):
        Job = self.env["o2o.marketplace.job"]
        run = Job.create({"shop_id": shop.id, "kind": kind, "state": "running"})
        ok = failed = 0
        connection = None

        def push(batch):
            if kind == "stock":
                updates = [StockUpdate(li.item_id, li.model_id, li.sku, targets[li]) for li in batch]
                return connection.run(lambda adapter: adapter.update_stock(updates))
            updates = [PriceUpdate(li.item_id, li.model_id, li.sku, targets[li]) for li in batch]
            return connection.run(lambda adapter: adapter.update_price(updates))

        try:
            connection = shop._o2o_connection()
        except UserError as error:
            for listing in todo:
                Job._o2o_item_failed(shop, kind, listing.key, error, parent=run)
            run._fail(error, counts=(0, len(todo)))
            return run
        max_batch = connection.adapter.max_batch
        for batch in split_every(max_batch, todo, list):
            by_key = {listing.key: listing for listing in batch}
            try:
                results = push(batch)
            except (MarketplaceError, UserError) as error:
                _logger.warning("marketplace shop %s: %s push refused: %s", shop.id, kind, error)
                for listing in batch:
                    listing.push_error = str(error)
                    Job._o2o_item_failed(shop, kind, listing.key, error, parent=run)
                failed += len(batch)
                continue
            now = fields.Datetime.now()
            succeeded = []
            for result in results:
                listing = by_key.get(result.key)
                if not listing:
                    continue
                if result.ok:
                    vals = {"last_push": now, "push_error": False}
                    vals["marketplace_qty" if kind == "stock" else "marketplace_price"] = targets[listing]
                    listing.write(vals)
                    succeeded.append(listing.key)
                    ok += 1
                else:
                    _logger.warning(
                        "marketplace shop %s: %s of %s refused: %s", shop.id, kind, listing.key, result.error
                    )
                    listing.push_error = result.error
                    Job._o2o_item_failed(
                        shop, kind, listing.key, MarketplaceError(result.error or self.env._("Refused")), run
                    )
                    failed += 1
            Job._o2o_item_succeeded(shop, kind, succeeded)
        message = self.env._("%(ok)s listings pushed, %(ko)s failed.", ok=ok, ko=failed)
        if failed:
            _logger.warning("marketplace shop %s: %s push, %s listings failed", shop.id, kind, failed)
            run._fail(message, counts=(ok, failed), api_calls=connection.api_calls)
        else:
            run._done(message, counts=(ok, failed), api_calls=connection.api_calls)
        return run

    @api.model
    def _cron_push_stock_changes(self):
        """Queue the push of the listings whose stock changed since the last run, one job per shop
        (debounced by the cron interval: many moves of one product make one push)."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext('o2o_marketplace.stock_changes'))"))
        if not cr.fetchone()[0]:
            return
        cr.execute("SELECT max(id) FROM o2o_marketplace_stock_event")
        last = cr.fetchone()[0]
        if last is None:
            return
        cr.execute("SELECT DISTINCT product_id FROM o2o_marketplace_stock_event WHERE id <= %s", [last])
        product_ids = [row[0] for row in cr.fetchall()]
        listings = self.search(
            [
                ("product_id", "in", product_ids),
                ("state", "=", "matched"),
                ("shop_id.sync_stock", "=", True),
                ("shop_id.shop_external_id", "!=", False),
            ]
        )
        for shop, shop_listings in listings.grouped("shop_id").items():
            shop._o2o_enqueue(
                "_o2o_job_push_stock",
                shop_listings.ids,
                description=self.env._(
                    "%(shop)s: push the stock of %(count)s listings", shop=shop.name, count=len(shop_listings)
                ),
            )
        # Deleted in the transaction that queues their pushes: never lost, never queued twice.
        cr.execute("DELETE FROM o2o_marketplace_stock_event WHERE id <= %s", [last])

import datetime
import logging

import psycopg2.errors
from markupsafe import escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..adapters import Listing as AdapterListing
from ..adapters import MarketplaceError, UnreadableOrder
from ..const import ORDER_STATUSES

_logger = logging.getLogger(__name__)

#: Refusal of an order's creation because another transaction (a webhook's job, another server)
#: created the same order after this one began: the order fails alone and is retried, as an
#: update. (A serialization failure, another transaction having changed a row this one writes,
#: is not caught: the whole job is retried by queue_job, or the request by Odoo, with a fresh
#: snapshot, and nothing shows as failed.)
CONCURRENT = (psycopg2.errors.UniqueViolation,)

MIN_TIME = datetime.datetime.min
#: How far an order has gone; a status update never moves an order back.
STATUS_RANK = {"unpaid": 0, "ready_to_ship": 1, "shipped": 2, "completed": 3, "cancelled": 4, "returned": 4}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    o2o_marketplace_shop_id = fields.Many2one(
        "o2o.marketplace.shop", string="Marketplace shop", readonly=True, index=True, copy=False
    )
    o2o_marketplace_ref = fields.Char("Marketplace order", readonly=True, copy=False)
    o2o_marketplace_status = fields.Selection(ORDER_STATUSES, "Marketplace status", readonly=True, copy=False)
    o2o_marketplace_raw_status = fields.Char("Status on the marketplace", readonly=True, copy=False)
    o2o_marketplace_update_time = fields.Datetime("Marketplace update", readonly=True, copy=False)
    o2o_marketplace_total = fields.Monetary("Marketplace total", readonly=True, copy=False)

    _sql_constraints = [
        (
            "o2o_marketplace_ref_unique",
            "unique(o2o_marketplace_shop_id, o2o_marketplace_ref)",
            "This marketplace order is already in Odoo.",
        )
    ]

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    @api.model
    def _o2o_marketplace_import(self, shop, orders, job=None):
        """Create or update the Odoo order of each marketplace order of a page; -> (succeeded, failed).

        The page's new orders are created, logged and confirmed together, as Odoo does for a batch of
        its own orders (one create, one confirmation with its procurements and reservations), with
        their buyers and listings resolved once for the page. A page that cannot be created together
        (an order Odoo refuses, an order another job created meanwhile) falls back to one order per
        savepoint, as updates of known orders always are: one bad order is logged as a failed item
        (retried later) and never blocks the others.
        """
        if self.env.company != shop.company_id:
            # The shop's company, whoever runs this (the scheduler, a webhook's public user)
            company = shop.company_id
            return self.with_company(company)._o2o_marketplace_import(shop.with_company(company), orders, job)
        Job = self.env["o2o.marketplace.job"]
        failures = {}  # ref: error
        latest = {}  # a page that shifted while it was read may hold an order twice: its newest state
        for record in orders:
            kept = latest.get(record.external_id)
            if kept is None or (record.update_time or MIN_TIME) >= (kept.update_time or MIN_TIME):
                latest[record.external_id] = record
        records = []
        for record in latest.values():
            if isinstance(record, UnreadableOrder):
                failures[record.external_id] = UserError(
                    self.env._("The marketplace sent an order that could not be read: %s", record.error)
                )
            else:
                records.append(record)
        # Listings first, outside the orders' savepoints: an unmatched one must stay in the queue
        # for staff even though its order waits.
        by_key = self._o2o_marketplace_listings(shop, records)
        held = self._o2o_marketplace_lock(shop, [record.external_id for record in records])
        one_by_one = [record for record in records if record.external_id in held]
        new = [record for record in records if record.external_id not in held]
        if new:
            one_by_one += self._o2o_marketplace_create_page(shop, new, by_key, failures)
        for record in one_by_one:
            try:
                with self.env.cr.savepoint():
                    self._o2o_marketplace_apply(shop, record, by_key)
            except (UserError, MarketplaceError, *CONCURRENT) as error:
                failures[record.external_id] = error
        for ref, error in failures.items():
            reason = error
            if isinstance(error, CONCURRENT):
                reason = UserError(self.env._("Created at the same moment by another job; updated on retry."))
            _logger.warning("marketplace order %s of shop %s not imported: %s", ref, shop.id, reason)
            Job._o2o_item_failed(shop, "order", ref, reason, parent=job)
        succeeded = [record.external_id for record in records if record.external_id not in failures]
        Job._o2o_item_succeeded(shop, "order", succeeded)
        return len(succeeded), len(failures)

    @api.model
    def _o2o_marketplace_lock(self, shop, refs):
        """{ref: order id} of the Odoo orders of ``refs`` already held, locked (in id order, so two
        jobs locking overlapping pages wait for each other instead of deadlocking)."""
        if not refs:
            return {}
        self.env.cr.execute(
            """SELECT o2o_marketplace_ref, id FROM sale_order
                WHERE o2o_marketplace_shop_id = %s AND o2o_marketplace_ref = ANY(%s)
             ORDER BY id FOR UPDATE""",
            [shop.id, list(refs)],
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _o2o_marketplace_create_page(self, shop, records, by_key, failures):
        """Create the Odoo orders of ``records`` (new to Odoo) together and bring them to their
        marketplace status; -> the records left to apply one by one, all of them when the page
        could not be created together. Orders that cannot be prepared go to ``failures``."""
        prepared = []
        for record in records:
            try:
                prepared.append((record, self._o2o_marketplace_prepare_vals(shop, record, by_key)))
            except (UserError, MarketplaceError) as error:
                failures[record.external_id] = error
        if not prepared:
            return []
        try:
            with self.env.cr.savepoint():
                buyers = self.env["res.partner"]._o2o_marketplace_buyers(
                    shop, [r.buyer for r, _v in prepared]
                )
                created = self.with_context(mail_create_nolog=True, mail_notrack=True).create(
                    [
                        dict(vals, partner_id=buyer.id)
                        for (_r, vals), buyer in zip(prepared, buyers, strict=True)
                    ]
                )
                created._o2o_marketplace_log_import(shop)
                created._o2o_marketplace_start()
        except (UserError, MarketplaceError, *CONCURRENT) as error:
            _logger.info(
                "marketplace shop %s: %s new orders not created together (%s), one by one instead",
                shop.id,
                len(prepared),
                error,
            )
            return [record for record, _vals in prepared]
        return []

    def _o2o_marketplace_log_import(self, shop):
        """One note on each order just imported (no per-field tracking during the import)."""
        label = shop._marketplace_label()
        self._message_log_batch(
            {
                order.id: escape(
                    self.env._(
                        "Imported from %(marketplace)s shop %(shop)s, order %(ref)s.",
                        marketplace=label,
                        shop=shop.name,
                        ref=order.o2o_marketplace_ref,
                    )
                )
                for order in self
            }
        )

    def _o2o_marketplace_start(self):
        """Bring orders just created to their marketplace status: those paid are checked and
        confirmed together (procurements and reservations in one pass), then the rarer steps."""
        orders = self.with_context(mail_notrack=True)
        paid = orders.filtered(
            lambda o: o.o2o_marketplace_status in ("ready_to_ship", "shipped", "completed")
        )
        if paid:
            paid._o2o_marketplace_check_total()
            paid.action_confirm()
        for order in orders:
            if order.o2o_marketplace_status in ("shipped", "completed"):
                order._o2o_marketplace_deliver()
            elif order.o2o_marketplace_status == "cancelled":
                order._o2o_marketplace_cancel()

    @api.model
    def _o2o_marketplace_lacking(self, shop, heads):
        """(missing, outdated): refs among ``heads`` (:class:`OrderHead`) without an Odoo order, and
        refs whose Odoo order holds a status the marketplace has gone past (as ``_apply`` sees it)."""
        refs = [head.external_id for head in heads]
        held = {
            order.o2o_marketplace_ref: order.o2o_marketplace_status
            for order in self.search_fetch(
                [("o2o_marketplace_shop_id", "=", shop.id), ("o2o_marketplace_ref", "in", refs)],
                ["o2o_marketplace_ref", "o2o_marketplace_status"],
            )
        }
        missing, outdated = [], []
        for head in heads:
            if head.external_id not in held:
                missing.append(head.external_id)
            elif (
                head.status
                and head.status != held[head.external_id]
                and STATUS_RANK[head.status] >= STATUS_RANK.get(held[head.external_id], 0)
            ):
                outdated.append(head.external_id)
        return list(dict.fromkeys(missing)), list(dict.fromkeys(outdated))

    @api.model
    def _o2o_marketplace_apply(self, shop, record, by_key=None):
        """One marketplace order -> exactly one Odoo order, brought to the marketplace's status.

        The order row is locked, so two jobs applying updates of one order do it one after the
        other; an update older than the one applied is ignored.
        """
        self.env.cr.execute(
            """SELECT id FROM sale_order
                WHERE o2o_marketplace_shop_id = %s AND o2o_marketplace_ref = %s FOR UPDATE""",
            [shop.id, record.external_id],
        )
        row = self.env.cr.fetchone()
        order = self.browse(row[0]) if row else self.browse()
        if not order:
            vals = self._o2o_marketplace_prepare_vals(shop, record, by_key)
            vals["partner_id"] = self.env["res.partner"]._o2o_marketplace_buyers(shop, [record.buyer])[0].id
            order = self.with_context(mail_create_nolog=True, mail_notrack=True).create(vals)
            order._o2o_marketplace_log_import(shop)
            order._o2o_marketplace_start()
            return order
        elif order.o2o_marketplace_update_time and record.update_time < order.o2o_marketplace_update_time:
            _logger.info(
                "marketplace order %s: update older than the one applied, ignored", record.external_id
            )
            return order
        elif STATUS_RANK[record.status] < STATUS_RANK.get(order.o2o_marketplace_status, 0):
            return order
        previous = order.o2o_marketplace_status
        order.write(
            {
                "o2o_marketplace_status": record.status,
                "o2o_marketplace_raw_status": record.raw_status,
                "o2o_marketplace_update_time": record.update_time,
            }
        )
        if record.status != previous:
            order._o2o_marketplace_to_status(record)
        return order

    @api.model
    def _o2o_marketplace_prepare_vals(self, shop, record, by_key=None):
        """Values of the Odoo order of ``record``, but its customer (found for a page at once)."""
        if by_key is None:
            by_key = self._o2o_marketplace_listings(shop, [record])
        racing = [line.key for line in record.lines if line.key not in by_key]
        if racing:
            # created a moment ago by another job, which this transaction cannot see yet
            raise UserError(
                self.env._(
                    "Order %(ref)s: listings %(keys)s were being created by another job; the order is "
                    "imported on retry.",
                    ref=record.external_id,
                    keys=", ".join(racing),
                )
            )
        unmatched = [line for line in record.lines if not by_key[line.key].product_id]
        if unmatched:
            raise UserError(
                self.env._(
                    "Order %(ref)s sells listings not matched to a product: %(names)s. Match them in "
                    "Marketplaces > Listings to Match, then retry.",
                    ref=record.external_id,
                    names=", ".join(f"{line.name} ({line.sku or line.key})" for line in unmatched),
                )
            )
        taxes = [Command.set(shop.tax_id.ids)]
        lines = [
            Command.create(
                {
                    "product_id": by_key[line.key].product_id.id,
                    "name": line.name,
                    "product_uom_qty": line.quantity,
                    "price_unit": float(line.unit_price),
                    "tax_id": taxes,
                }
            )
            for line in record.lines
        ]
        extra = [
            ("shipping", self.env._("Shipping fee"), record.shipping_fee),
            ("discount", self.env._("Seller discounts"), -sum((line.discount for line in record.lines), 0)),
            ("discount", self.env._("Seller voucher"), -record.seller_voucher),
            (
                "discount",
                self.env._("Platform voucher (paid by %s)", shop._marketplace_label()),
                -record.platform_voucher,
            ),
        ]
        for kind, label, amount in extra:
            if amount:
                product_id = self.env["ir.model.data"]._xmlid_to_res_id(
                    f"o2o_marketplace.product_marketplace_{kind}", raise_if_not_found=True
                )
                lines.append(
                    Command.create(
                        {
                            "product_id": product_id,
                            "name": label,
                            "product_uom_qty": 1,
                            "price_unit": float(amount),
                            "tax_id": taxes,
                        }
                    )
                )
        vals = {
            "company_id": shop.company_id.id,
            "warehouse_id": shop.warehouse_id.id,
            "team_id": shop.team_id.id,
            "client_order_ref": record.external_id,
            "origin": f"{shop._marketplace_label()} {record.external_id}",
            "date_order": record.create_time,
            "o2o_marketplace_shop_id": shop.id,
            "o2o_marketplace_ref": record.external_id,
            "o2o_marketplace_total": float(record.total_amount),
            "o2o_marketplace_status": record.status,
            "o2o_marketplace_raw_status": record.raw_status,
            "o2o_marketplace_update_time": record.update_time,
            "order_line": lines,
        }
        if shop.pricelist_id:
            vals["pricelist_id"] = shop.pricelist_id.id
        return vals

    @api.model
    def _o2o_marketplace_listings(self, shop, orders):
        """{listing key: listing} of the orders' lines; listings seen for the first time are created
        (and matched automatically when they can be)."""
        keys = {line.key: line for record in orders for line in record.lines}
        Listing = self.env["o2o.marketplace.listing"]
        by_key = {
            listing.key: listing
            for listing in Listing.search([("shop_id", "=", shop.id), ("key", "in", list(keys))])
        }
        unknown = [
            AdapterListing(item_id=line.item_id, model_id=line.model_id, sku=line.sku, name=line.name)
            for key, line in keys.items()
            if key not in by_key
        ]
        if unknown:
            by_key.update({listing.key: listing for listing in Listing._o2o_upsert(shop, unknown)})
        return by_key

    # ------------------------------------------------------------------
    # Status lifecycle, one small step per status
    # ------------------------------------------------------------------

    def _o2o_marketplace_to_status(self, record):
        self.ensure_one()
        step = {
            "unpaid": lambda: None,
            "ready_to_ship": self._o2o_marketplace_confirm,
            "shipped": self._o2o_marketplace_deliver,
            "completed": self._o2o_marketplace_deliver,
            "cancelled": self._o2o_marketplace_cancel,
            "returned": self._o2o_marketplace_return,
        }[record.status]
        step()

    def _o2o_marketplace_confirm(self):
        """Paid on the marketplace: confirm, which reserves the goods in the shop's warehouse."""
        if self.state in ("draft", "sent"):
            self._o2o_marketplace_check_total()
            self.action_confirm()

    def _o2o_marketplace_check_total(self):
        """A note on each order whose Odoo total differs from the marketplace's (one pass)."""
        bodies = {
            order.id: escape(
                self.env._(
                    "The total in Odoo (%(odoo)s) differs from the marketplace's (%(marketplace)s): check "
                    "the taxes of the products or the tax of the shop.",
                    odoo=order.amount_total,
                    marketplace=order.o2o_marketplace_total,
                )
            )
            for order in self
            if float_compare(
                order.amount_total, order.o2o_marketplace_total, precision_rounding=order.currency_id.rounding
            )
        }
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies)

    def _o2o_marketplace_deliver(self):
        """Shipped by the marketplace's logistics: the goods left the warehouse."""
        self._o2o_marketplace_confirm()
        pickings = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        for picking in pickings:
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True, cancel_backorder=True).button_validate()
        if pickings:
            self.message_post(
                body=self.env._(
                    "Shipped on the marketplace: delivery %s validated.", ", ".join(pickings.mapped("name"))
                )
            )

    def _o2o_marketplace_cancel(self):
        """Cancelled on the marketplace: cancel in Odoo, which releases the reserved stock."""
        if self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "done"):
            self._o2o_marketplace_return()
            return
        if self.state != "cancel":
            self.with_context(disable_cancel_warning=True)._action_cancel()
            self.message_post(
                body=self.env._("Cancelled on the marketplace: order cancelled, reserved stock released.")
            )

    def _o2o_marketplace_return(self):
        """Returned (or cancelled after shipping): a return picking to receive the parcel back."""
        done = self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "done")
        returned = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state != "cancel"
        )
        if not done or returned:
            return
        for picking in done:
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
                .create({"picking_id": picking.id})
            )
            for line in wizard.product_return_moves:
                line.quantity = line.move_id.quantity
            action = wizard.action_create_returns()
            self.message_post(
                body=self.env._(
                    "Returned on the marketplace: return %s created, to validate when the parcel arrives.",
                    self.env["stock.picking"].browse(action["res_id"]).name,
                )
            )

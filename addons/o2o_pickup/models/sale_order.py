from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime

from ..const import PICKUP_STATES
from ..utils import new_pickup_code


class SaleOrder(models.Model):
    _inherit = "sale.order"

    o2o_is_pickup = fields.Boolean(
        string="Click & Collect", compute="_compute_o2o_is_pickup", store=True, index=True
    )
    o2o_pickup_store_id = fields.Many2one(
        "stock.warehouse", string="Pickup Store", compute="_compute_o2o_is_pickup", store=True
    )
    o2o_pickup_requested_start = fields.Datetime(
        string="Requested Pickup Slot", copy=False, help="Start of the slot the customer chose."
    )
    o2o_pickup_slot_id = fields.Many2one(
        "o2o.pickup.slot", string="Pickup Slot", copy=False, readonly=True, index="btree_not_null"
    )
    o2o_pickup_slot_start = fields.Datetime(related="o2o_pickup_slot_id.start", string="Pickup From")
    o2o_pickup_slot_end = fields.Datetime(related="o2o_pickup_slot_id.end", string="Pickup Until")
    o2o_pickup_state = fields.Selection(
        PICKUP_STATES, string="Pickup Status", copy=False, readonly=True, tracking=True, index=True
    )
    o2o_pickup_code = fields.Char(string="Pickup Code", copy=False, readonly=True, index="btree_not_null")
    o2o_pickup_deadline = fields.Datetime(
        string="Collect Before", copy=False, readonly=True, help="After this, the order is a no-show."
    )
    o2o_pickup_needs_transfer = fields.Boolean(string="Transfer to Store", copy=False, readonly=True)
    o2o_pickup_reminded = fields.Boolean(string="Reminder Sent", copy=False, readonly=True)
    o2o_pickup_refund_needed = fields.Boolean(string="Refund Needed", copy=False, tracking=True)
    o2o_pickup_collected_date = fields.Datetime(string="Collected On", copy=False, readonly=True)
    o2o_pickup_collected_pos_id = fields.Many2one(
        "pos.config", string="Collected At", copy=False, readonly=True
    )

    # For e-mails, SMS and portal pages (templates call no private method).
    o2o_pickup_qr_url = fields.Char(compute="_compute_o2o_pickup_display")
    o2o_pickup_map_url = fields.Char(compute="_compute_o2o_pickup_display")
    o2o_pickup_deadline_text = fields.Char(compute="_compute_o2o_pickup_display")
    o2o_pickup_slot_label = fields.Char(compute="_compute_o2o_pickup_display")

    _sql_constraints = [
        ("o2o_pickup_code_uniq", "UNIQUE(o2o_pickup_code)", "Pickup codes are unique."),
    ]

    @api.depends("carrier_id.delivery_type", "warehouse_id")
    def _compute_o2o_is_pickup(self):
        for order in self:
            order.o2o_is_pickup = order.carrier_id.delivery_type == "in_store"
            order.o2o_pickup_store_id = order.warehouse_id if order.o2o_is_pickup else False

    @api.depends("o2o_pickup_code", "o2o_pickup_deadline", "o2o_pickup_store_id", "o2o_pickup_slot_id")
    def _compute_o2o_pickup_display(self):
        for order in self:
            if not order.o2o_pickup_code:
                order.o2o_pickup_qr_url = order.o2o_pickup_map_url = order.o2o_pickup_deadline_text = False
                order.o2o_pickup_slot_label = False
                continue
            store = order.o2o_pickup_store_id
            order.o2o_pickup_qr_url = order._o2o_pickup_qr_image_url()
            order.o2o_pickup_map_url = store._o2o_map_url()
            order.o2o_pickup_deadline_text = format_datetime(
                self.env, order.o2o_pickup_deadline, tz=store._o2o_pickup_tz().zone
            )
            order.o2o_pickup_slot_label = order._o2o_pickup_slot_label()

    @api.depends(
        "order_line",
        "amount_total",
        "order_line.invoice_lines.parent_state",
        "order_line.invoice_lines.price_total",
        "order_line.pos_order_line_ids",
        "transaction_ids.state",
        "transaction_ids.amount",
    )
    def _compute_amount_unpaid(self):  # pylint: disable=missing-return
        # pos_sale counts only invoices and POS payments: an order paid online would be
        # charged again at the counter. What was paid online is not due any more.
        super()._compute_amount_unpaid()
        for order in self:
            online = sum(
                tx.amount for tx in order.sudo().transaction_ids if tx.state in ("authorized", "done")
            )
            invoiced = order.amount_total - order.amount_unpaid - order._o2o_pos_paid()
            order.amount_unpaid -= max(online - invoiced, 0.0)

    def _o2o_pos_paid(self):
        self.ensure_one()
        return sum(
            self.order_line.filtered(lambda line: not line.display_type)
            .sudo()
            .mapped("pos_order_line_ids.price_subtotal_incl")
        )

    # ------------------------------------------------------------------
    # Booking a slot and a code at confirmation
    # ------------------------------------------------------------------

    def action_confirm(self):
        res = super().action_confirm()
        self.filtered(lambda o: o.o2o_is_pickup and not o.o2o_pickup_state)._o2o_pickup_book()
        return res

    def _o2o_pickup_products_qty(self):
        self.ensure_one()
        products = {}
        for line in self.order_line.filtered(lambda line: line.product_id.is_storable):
            products[line.product_id] = products.get(line.product_id, 0.0) + line.product_uom_qty
        return products

    def _o2o_pickup_check_slot(self):
        """At checkout and before payment: the chosen slot is one the store offers and is not full."""
        for order in self.filtered("o2o_is_pickup"):
            store = order.o2o_pickup_store_id
            if not order.o2o_pickup_requested_start:
                continue  # the earliest available slot is booked at confirmation
            needs_transfer = not store._o2o_has_stock(order._o2o_pickup_products_qty())
            extra = store.o2o_pickup_transfer_hours if needs_transfer else 0.0
            slots = store.o2o_get_pickup_slots(days=31, extra_lead_hours=extra)
            slot = next((s for s in slots if s["start"] == order.o2o_pickup_requested_start), None)
            if not slot:
                raise UserError(
                    self.env._(
                        "%(store)s does not offer this pickup slot. Please choose another.", store=store.name
                    )
                )
            if not slot["available"]:
                raise UserError(self.env._("This pickup slot is full. Please choose another."))

    def o2o_pickup_slot_options(self):
        """Slots to offer at checkout, labelled in the store's time zone."""
        self.ensure_one()
        store = self.o2o_pickup_store_id
        if not store:
            return []
        needs_transfer = not store._o2o_has_stock(self._o2o_pickup_products_qty())
        if needs_transfer and not store.o2o_pickup_allow_transfer:
            return []
        extra = store.o2o_pickup_transfer_hours if needs_transfer else 0.0
        options = []
        selected = self.o2o_pickup_requested_start
        for slot in store.o2o_get_pickup_slots(days=7, extra_lead_hours=extra):
            start, end = store._o2o_local(slot["start"]), store._o2o_local(slot["end"])
            options.append(
                {
                    "value": fields.Datetime.to_string(slot["start"]),
                    "label": f"{format_date(self.env, start.date(), date_format='EEE dd/MM')} "
                    f"{start:%H:%M}-{end:%H:%M}",
                    "available": slot["available"],
                    "selected": slot["start"] == selected,
                }
            )
        if options and not any(o["selected"] for o in options):
            next((o for o in options if o["available"]), options[0])["selected"] = True
        return options

    def _check_cart_is_ready_to_be_paid(self):
        self.filtered("o2o_is_pickup")._o2o_pickup_check_slot()
        return super()._check_cart_is_ready_to_be_paid()

    def _o2o_pickup_book(self):
        """Reserve the slot, draw the code, set the hold; bring missing goods to the store.

        Runs when the order is confirmed, which may be after an online payment: a paid order
        is never refused here. When the chosen slot filled up meanwhile, the next available
        one is booked and the customer is told.
        """
        Slot = self.env["o2o.pickup.slot"].sudo()
        for order in self:
            store = order.o2o_pickup_store_id
            products = order._o2o_pickup_products_qty()
            needs_transfer = not store._o2o_has_stock(products)
            slot = Slot.browse()
            requested = order.o2o_pickup_requested_start
            if requested and requested > fields.Datetime.now():
                end = requested + timedelta(minutes=store.o2o_pickup_slot_minutes)
                try:
                    slot = Slot._o2o_reserve(store, requested, end)
                except UserError:
                    slot = Slot.browse()
            if not slot:
                extra = store.o2o_pickup_transfer_hours if needs_transfer else 0.0
                for candidate in store.o2o_get_pickup_slots(days=31, extra_lead_hours=extra):
                    if not candidate["available"]:
                        continue
                    try:
                        slot = Slot._o2o_reserve(store, candidate["start"], candidate["end"])
                        break
                    except UserError:
                        continue
            hold_end = (slot.end if slot else fields.Datetime.now()) + timedelta(
                days=store.o2o_pickup_hold_days
            )
            order.write(
                {
                    "o2o_pickup_slot_id": slot.id,
                    "o2o_pickup_state": "confirmed",
                    "o2o_pickup_code": order._o2o_pickup_new_code(),
                    "o2o_pickup_deadline": hold_end,
                    "o2o_pickup_needs_transfer": needs_transfer,
                }
            )
            if needs_transfer:
                order._o2o_pickup_create_transfer(products)
            order._o2o_pickup_log_booking(requested)
            order._o2o_pickup_notify("o2o_pickup.mail_template_pickup_confirmed", None)

    def _o2o_pickup_new_code(self):
        for _attempt in range(10):
            code = new_pickup_code()
            if not self.sudo().search_count([("o2o_pickup_code", "=", code)], limit=1):
                return code
        raise UserError(self.env._("Could not draw a unique pickup code; please try again."))

    def _o2o_pickup_log_booking(self, requested):
        self.ensure_one()
        if self.o2o_pickup_slot_id:
            when = self.o2o_pickup_slot_id.display_name
            if requested and self.o2o_pickup_slot_id.start != requested:
                body = self.env._(
                    "The chosen pickup slot was full by the time the order was confirmed: "
                    "booked %(slot)s instead.",
                    slot=when,
                )
            else:
                body = self.env._("Pickup booked: %(slot)s.", slot=when)
        else:
            body = self.env._(
                "No pickup slot is open at %(store)s: the store will contact the customer.",
                store=self.o2o_pickup_store_id.name,
            )
        if self.o2o_pickup_needs_transfer:
            body += " " + self.env._("Goods missing in the store are transferred from another warehouse.")
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _o2o_pickup_create_transfer(self, products):
        """An internal transfer from warehouses that have the goods to the pickup store."""
        self.ensure_one()
        store = self.o2o_pickup_store_id
        missing = {
            product: qty - max(product.with_context(warehouse_id=store.id).free_qty, 0.0)
            for product, qty in products.items()
        }
        missing = {product: qty for product, qty in missing.items() if qty > 0}
        sources = self.env["stock.warehouse"].search(
            [("company_id", "=", store.company_id.id), ("id", "!=", store.id)]
        )
        Picking = self.env["stock.picking"].sudo()
        for source in sources:
            moves = []
            for product, qty in list(missing.items()):
                available = product.with_context(warehouse_id=source.id).free_qty
                take = min(qty, available)
                if take <= 0:
                    continue
                moves.append(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": take,
                        "location_id": source.lot_stock_id.id,
                        "location_dest_id": store.lot_stock_id.id,
                    }
                )
                missing[product] -= take
            if moves:
                picking = Picking.create(
                    {
                        "picking_type_id": source.int_type_id.id,
                        "location_id": source.lot_stock_id.id,
                        "location_dest_id": store.lot_stock_id.id,
                        "origin": self.name,
                        "move_ids": [(0, 0, vals) for vals in moves],
                    }
                )
                picking.action_confirm()
                picking.action_assign()
            if not any(qty > 0 for qty in missing.values()):
                break

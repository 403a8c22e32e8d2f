import calendar
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, float_compare, format_amount, format_date, format_datetime
from odoo.tools.misc import hmac

from ..const import OPEN_STATES, PHONE_SEARCH_LIMIT, PICKUP_STATES, RETURN_DAYS
from ..utils import new_pickup_code, normalize_code

_logger = logging.getLogger(__name__)

TOKEN_PREFIX = "O2OPU"  # noqa: S105 - a marker of our QR payloads, not a secret


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

    # ------------------------------------------------------------------
    # Store staff
    # ------------------------------------------------------------------

    def _o2o_pickup_store_pickings(self):
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.picking_type_id.warehouse_id == self.o2o_pickup_store_id
                and p.state not in ("done", "cancel")
            )
        )

    def _o2o_pickup_ensure_state(self, *states):
        for order in self:
            if order.o2o_pickup_state not in states:
                labels = dict(PICKUP_STATES)
                raise UserError(
                    self.env._(
                        "Order %(order)s is %(state)s; this step needs it %(expected)s.",
                        order=order.name,
                        state=labels.get(order.o2o_pickup_state, self.env._("not a pickup")),
                        expected=" / ".join(labels[s] for s in states),
                    )
                )

    def _o2o_pickup_note(self, body):
        for order in self:
            order.message_post(body=body, subtype_xmlid="mail.mt_note")

    def action_o2o_pickup_prepare(self):
        self._o2o_pickup_ensure_state("confirmed")
        self.write({"o2o_pickup_state": "preparing"})
        self._o2o_pickup_note(self.env._("Preparation started by %s.", self.env.user.name))

    def action_o2o_pickup_ready(self):
        """The goods are ready: they must be reserved in the store, or staff say it is partial."""
        self._o2o_pickup_ensure_state("confirmed", "preparing")
        partial_ok = self.env.context.get("o2o_pickup_partial")
        for order in self:
            pickings = order._o2o_pickup_store_pickings()
            short = pickings.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.quantity < m.product_uom_qty
            )
            if short and not partial_ok:
                details = ", ".join(
                    f"{m.product_id.display_name} ({m.quantity:g}/{m.product_uom_qty:g})" for m in short
                )
                raise UserError(
                    self.env._(
                        "Not all goods of %(order)s are reserved in %(store)s: %(details)s. Wait for "
                        "them, or use 'Ready (partial)' after agreeing with the customer.",
                        order=order.name,
                        store=order.o2o_pickup_store_id.name,
                        details=details,
                    )
                )
            if short:
                order.message_post(
                    body=self.env._(
                        "Ready with part of the goods: %s", ", ".join(short.product_id.mapped("display_name"))
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            start = max(order.o2o_pickup_slot_id.end or fields.Datetime.now(), fields.Datetime.now())
            order.write(
                {
                    "o2o_pickup_state": "ready",
                    "o2o_pickup_deadline": start
                    + timedelta(days=order.o2o_pickup_store_id.o2o_pickup_hold_days),
                }
            )
            order._o2o_pickup_notify("o2o_pickup.mail_template_pickup_ready", order._o2o_pickup_ready_sms())
            order._o2o_pickup_note(
                self.env._(
                    "Ready for pickup (marked by %(user)s); the customer was notified. "
                    "Hold until %(deadline)s.",
                    user=self.env.user.name,
                    deadline=order.o2o_pickup_deadline_text,
                )
            )

    def action_o2o_pickup_ready_partial(self):
        return self.with_context(o2o_pickup_partial=True).action_o2o_pickup_ready()

    def action_o2o_pickup_no_show(self):
        self._o2o_pickup_ensure_state(*OPEN_STATES)
        self._o2o_pickup_release("expired")

    def action_o2o_pickup_cancel(self):
        """Cancel a pickup not yet prepared (by the customer in the portal, or by staff)."""
        self._o2o_pickup_ensure_state("confirmed")
        self.o2o_pickup_slot_id.sudo()._o2o_release()
        self._o2o_pickup_release("cancelled")

    def _o2o_pickup_release(self, final_state):
        """Release the goods held in the store; cancel an unpaid order, flag a paid one for refund."""
        for order in self:
            order._o2o_pickup_store_pickings().sudo().action_cancel()
            paid_online = order.currency_id.compare_amounts(order.amount_paid, 0.0) > 0
            order.write({"o2o_pickup_state": final_state, "o2o_pickup_refund_needed": paid_online})
            if paid_online:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Refund the pickup order"),
                    note=self.env._(
                        "%(amount)s was paid online for %(order)s, which was not collected.",
                        amount=format_amount(self.env, order.amount_paid, order.currency_id),
                        order=order.name,
                    ),
                    user_id=order.user_id.id or self.env.uid,
                )
            else:
                order.with_context(disable_cancel_warning=True)._action_cancel()
            template = (
                "o2o_pickup.mail_template_pickup_expired"
                if final_state == "expired"
                else "o2o_pickup.mail_template_pickup_cancelled"
            )
            order._o2o_pickup_notify(template, None)
            if final_state == "expired":
                note = self.env._(
                    "No-show: the goods held in %s were released.", order.o2o_pickup_store_id.name
                )
            else:
                note = self.env._("Pickup cancelled; the goods and the slot were released.")
            if paid_online:
                note += " " + self.env._("Paid online: to be refunded.")
            elif order.state == "cancel":
                note += " " + self.env._("The unpaid order was cancelled.")
            order._o2o_pickup_note(note)

    def _action_cancel(self):
        """Cancelled in the back office: the slot and the goods held are given back at once,
        and the pickup is closed, so that neither the no-show job nor a register touches it."""
        open_pickups = self.filtered(lambda o: o.o2o_pickup_state in OPEN_STATES)
        if open_pickups:
            self.env.cr.execute(
                "SELECT id FROM sale_order WHERE id IN %s FOR UPDATE", [tuple(open_pickups.ids)]
            )
            open_pickups.invalidate_recordset(["o2o_pickup_state"])
            open_pickups = open_pickups.filtered(lambda o: o.o2o_pickup_state in OPEN_STATES)
        for order in open_pickups:
            paid_online = order.currency_id.compare_amounts(order.amount_paid, 0.0) > 0
            order.o2o_pickup_slot_id.sudo()._o2o_release()
            order.write({"o2o_pickup_state": "cancelled", "o2o_pickup_refund_needed": paid_online})
            note = self.env._(
                "Order cancelled by %s: the pickup slot and the goods held in the store were released.",
                self.env.user.name,
            )
            if paid_online:
                note += " " + self.env._("Paid online: to be refunded.")
            order._o2o_pickup_note(note)
        return super()._action_cancel()

    @api.model
    def _cron_o2o_pickup_expire(self, batch=200):
        """No-shows: open pickups past their hold. Rows are locked with SKIP LOCKED, so two
        servers running this job at once handle different orders, each once."""
        self.flush_model(["o2o_pickup_state", "o2o_pickup_deadline"])
        self.env.cr.execute(
            """
            SELECT id FROM sale_order
             WHERE o2o_pickup_state IN %s AND o2o_pickup_deadline < %s
          ORDER BY o2o_pickup_deadline
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (OPEN_STATES, fields.Datetime.now(), batch),
        )
        orders = self.browse([row[0] for row in self.env.cr.fetchall()])
        for order in orders:
            order._o2o_pickup_release("expired")
        return orders

    @api.model
    def _cron_o2o_pickup_remind(self, batch=200):
        """Remind customers whose ready order's hold ends soon; once each, whichever server runs it."""
        self.flush_model(
            ["o2o_pickup_state", "o2o_pickup_deadline", "o2o_pickup_reminded", "o2o_pickup_store_id"]
        )
        self.env["stock.warehouse"].flush_model(["o2o_pickup_remind_hours"])
        self.env.cr.execute(
            """
            SELECT so.id FROM sale_order so
              JOIN stock_warehouse store ON store.id = so.o2o_pickup_store_id
             WHERE so.o2o_pickup_state = 'ready' AND NOT COALESCE(so.o2o_pickup_reminded, FALSE)
               AND store.o2o_pickup_remind_hours > 0
               AND so.o2o_pickup_deadline - make_interval(hours => store.o2o_pickup_remind_hours) <= %s
               AND so.o2o_pickup_deadline > %s
          ORDER BY so.o2o_pickup_deadline
             LIMIT %s
               FOR UPDATE OF so SKIP LOCKED
            """,
            (fields.Datetime.now(), fields.Datetime.now(), batch),
        )
        orders = self.browse([row[0] for row in self.env.cr.fetchall()])
        for order in orders:
            order.o2o_pickup_reminded = True
            order._o2o_pickup_notify(
                "o2o_pickup.mail_template_pickup_reminder", order._o2o_pickup_reminder_sms()
            )
            order._o2o_pickup_note(
                self.env._("Reminder sent: the hold ends on %s.", order.o2o_pickup_deadline_text)
            )
        return orders

    def _o2o_pickup_reminder_sms(self):
        self.ensure_one()
        return self.env._(
            "%(company)s: your order %(order)s is waiting at %(store)s until %(deadline)s. "
            "Pickup code %(code)s.",
            company=self.company_id.name,
            order=self.name,
            store=self.o2o_pickup_store_id.name,
            deadline=self.o2o_pickup_deadline_text,
            code=self.o2o_pickup_code,
        )

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _o2o_pickup_notify(self, template_xmlid, sms_body):
        """E-mail and SMS the customer, through Odoo's mail and SMS queues: nothing is sent
        from within the store's request. ``o2o_pickup_no_notify`` in the context (data
        imports, demo data) records the step without messaging anybody."""
        self.ensure_one()
        if self.env.context.get("o2o_pickup_no_notify"):
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template and self.partner_id.email:
            self.with_context(mail_notify_force_send=False).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
        if sms_body and self.partner_id.phone_sanitized:
            self._message_sms(sms_body, partner_ids=self.partner_id.ids, put_in_queue=True)

    def _o2o_pickup_ready_sms(self):
        self.ensure_one()
        return self.env._(
            "%(company)s: your order %(order)s is ready at %(store)s. Pickup code %(code)s. "
            "Collect before %(deadline)s.",
            company=self.company_id.name,
            order=self.name,
            store=self.o2o_pickup_store_id.name,
            code=self.o2o_pickup_code,
            deadline=self.o2o_pickup_deadline_text,
        )

    # ------------------------------------------------------------------
    # QR token
    # ------------------------------------------------------------------

    def _o2o_pickup_sign(self, scope, message):
        """A signature of ``message`` for this order, bound to its current code, that only
        this database can make (``scope`` keeps QR payloads and image links apart)."""
        self.ensure_one()
        return hmac(self.env(su=True), scope, f"{message}:{self.o2o_pickup_code}")[:32]

    def _o2o_pickup_token_expiry(self):
        """Unix time at which a QR signed now stops proving the order: the end of its hold."""
        self.ensure_one()
        return calendar.timegm((self.o2o_pickup_deadline or fields.Datetime.now()).timetuple())

    def _o2o_pickup_token(self):
        """What the QR holds: the order, until when it is valid, and a signature over both and
        the pickup code. It proves the order at the counter on its own, without showing
        the code."""
        self.ensure_one()
        message = f"{self.id}:{self._o2o_pickup_token_expiry()}"
        return f"{TOKEN_PREFIX}:{message}:{self._o2o_pickup_sign('o2o_pickup', message)}"

    @api.model
    def _o2o_pickup_read_token(self, token):
        """(order, expired) of a scanned QR; an empty order for a forged or unknown token."""
        parts = (token or "").strip().split(":")
        if len(parts) != 4 or parts[0] != TOKEN_PREFIX or not parts[1].isdigit() or not parts[2].isdigit():
            return self.browse(), False
        order = self.sudo().browse(int(parts[1])).exists()
        if not order.o2o_pickup_code or not consteq(
            order._o2o_pickup_sign("o2o_pickup", f"{parts[1]}:{parts[2]}"), parts[3]
        ):
            return self.browse(), False
        return order, int(parts[2]) < calendar.timegm(fields.Datetime.now().timetuple())

    @api.model
    def _o2o_pickup_from_token(self, token):
        """The order a scanned QR proves, or an empty recordset (forged or expired)."""
        order, expired = self._o2o_pickup_read_token(token)
        return self.browse() if expired else order

    def _o2o_pickup_qr_image_url(self):
        """An opaque, expiring link to the QR image, for e-mails (which show no data: URIs).

        It holds neither the code nor the QR payload, so that access logs, proxies and
        mail image caches never see them; the image is served as private and not stored.
        """
        self.ensure_one()
        exp = self._o2o_pickup_token_expiry()
        signature = self._o2o_pickup_sign("o2o_pickup_qr_image", f"{self.id}:{exp}")
        return f"{self.get_base_url()}/o2o/pickup/qr/{self.id}/{exp}/{signature}"

    @api.model
    def _o2o_pickup_from_qr_image_link(self, order_id, exp, signature):
        """The order of a QR image link that is genuine, unexpired and of an open pickup."""
        order = self.sudo().browse(order_id).exists()
        if (
            not order.o2o_pickup_code
            or order.o2o_pickup_state not in OPEN_STATES
            or exp < calendar.timegm(fields.Datetime.now().timetuple())
            or not consteq(order._o2o_pickup_sign("o2o_pickup_qr_image", f"{order_id}:{exp}"), signature)
        ):
            return self.browse()
        return order

    # ------------------------------------------------------------------
    # Point of sale
    # ------------------------------------------------------------------

    def _o2o_pickup_refusal(self, config):
        """Why this order cannot be collected at ``config`` now, or None."""
        self.ensure_one()
        tz = self.o2o_pickup_store_id._o2o_pickup_tz().zone
        if not self.o2o_is_pickup or not self.o2o_pickup_state:
            return self.env._("Order %s is not a click & collect order.", self.name)
        if self.state == "cancel" and self.o2o_pickup_state in OPEN_STATES:
            return self.env._("Order %s was cancelled.", self.name)
        if self.o2o_pickup_store_id != config.warehouse_id:
            return self.env._(
                "Order %(order)s is collected at %(store)s, not here.",
                order=self.name,
                store=self.o2o_pickup_store_id.name,
            )
        if self.o2o_pickup_state == "collected":
            return self.env._(
                "Order %(order)s was already collected on %(date)s.",
                order=self.name,
                date=format_datetime(self.env, self.o2o_pickup_collected_date, tz=tz),
            )
        if self.o2o_pickup_state == "expired":
            return self.env._(
                "Order %(order)s expired: the hold ended on %(date)s.",
                order=self.name,
                date=format_datetime(self.env, self.o2o_pickup_deadline, tz=tz),
            )
        if self.o2o_pickup_state == "cancelled":
            return self.env._("Order %s was cancelled.", self.name)
        if self.o2o_pickup_state != "ready":
            return self.env._("Order %s is not ready yet: the store is still preparing it.", self.name)
        return None

    def _o2o_pickup_slot_label(self):
        """The booked slot in the store's time zone: 'Mon 24/11 10:00-11:00'."""
        self.ensure_one()
        slot = self.o2o_pickup_slot_id
        if not slot:
            return ""
        store = self.o2o_pickup_store_id
        start, end = store._o2o_local(slot.start), store._o2o_local(slot.end)
        return f"{format_date(self.env, start.date(), date_format='EEE dd/MM')} {start:%H:%M}-{end:%H:%M}"

    def _o2o_pickup_pos_data(self, config):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner_id.name,
            "phone": self.partner_id.phone or self.partner_id.mobile or "",
            "state": self.o2o_pickup_state,
            "state_label": dict(PICKUP_STATES).get(self.o2o_pickup_state, ""),
            "slot_label": self._o2o_pickup_slot_label(),
            "amount_total": self.amount_total,
            "amount_due": self.amount_unpaid,
            "prepaid": self.currency_id.is_zero(self.amount_unpaid),
            "partially_paid": not self.currency_id.is_zero(self.amount_unpaid)
            and self.currency_id.compare_amounts(self.amount_unpaid, self.amount_total) < 0,
            "lines": [
                {"product": line.product_id.display_name, "qty": line.product_uom_qty}
                for line in self.order_line.filtered(
                    lambda line: not line.display_type and not line.is_delivery
                )
            ],
            "refusal": self._o2o_pickup_refusal(config),
            **self._o2o_pickup_return_data(config),
        }

    # ------------------------------------------------------------------
    # Return in store
    # ------------------------------------------------------------------

    def _o2o_pickup_returnable_lines(self):
        """{sale line: quantity the customer may still bring back} of a collected order."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_delivery and line.product_id.type == "consu"
        )
        return {
            line: line.qty_delivered
            for line in lines
            if float_compare(line.qty_delivered, 0, precision_rounding=line.product_uom.rounding) > 0
        }

    def _o2o_pickup_online_transactions(self):
        return self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "done" and tx.operation != "refund" and tx.provider_id.code != "none"
        )

    def _o2o_pickup_return_data(self, config):
        """What the POS needs to take back a collected web order at this store."""
        self.ensure_one()
        if self.o2o_pickup_state != "collected" or self.o2o_pickup_store_id != config.warehouse_id:
            return {"returnable": False}
        returnable = self._o2o_pickup_returnable_lines()
        online = self._o2o_pickup_online_transactions()
        refund_online = config.payment_method_ids.filtered("o2o_refund_online")[:1]
        return {
            "returnable": bool(returnable),
            "return_lines": [
                {"sale_line_id": line.id, "product": line.product_id.display_name, "qty": qty}
                for line, qty in returnable.items()
            ],
            "paid_online": ", ".join(online.provider_id.mapped("name")),
            "refund_online_method_id": refund_online.id if online and refund_online else False,
        }

    def _o2o_pickup_returned_at_pos(self, pos_order, lines):
        """Goods of this web order brought back at a store (negative POS lines referencing it).

        The POS order restocks the store and refunds with the cashier's payment method: the
        store's own methods, the customer's account (store credit), or "refund to the online
        payment", which asks the payment provider to refund the original transaction.
        """
        self.ensure_one()
        amount = -sum(lines.mapped("price_subtotal_incl"))
        returned = ", ".join(f"{-line.qty:g} x {line.product_id.display_name}" for line in lines)
        methods = pos_order.payment_ids.payment_method_id
        self._o2o_pickup_note(
            self.env._(
                "Returned at %(pos)s (%(order)s): %(lines)s; %(amount)s refunded by %(methods)s.",
                pos=pos_order.config_id.name,
                order=pos_order.name,
                lines=returned,
                amount=format_amount(self.env, amount, pos_order.currency_id),
                methods=", ".join(methods.mapped("name")),
            )
        )
        online_refund = -sum(
            pos_order.payment_ids.filtered(lambda p: p.payment_method_id.o2o_refund_online).mapped("amount")
        )
        if self.currency_id.compare_amounts(online_refund, 0) > 0:
            # Asked of the payment provider once the return is committed: a provider that is
            # down must not block the register, and a rolled-back return must not be refunded.
            order_id, pos_order_id = self.id, pos_order.id

            @self.env.cr.postcommit.add
            def refund_online():
                with self.env.registry.cursor() as cr:
                    env = self.env(cr=cr)
                    env["sale.order"].browse(order_id)._o2o_pickup_refund_online(
                        online_refund, env["pos.order"].browse(pos_order_id)
                    )

    def _o2o_pickup_refund_online(self, amount, pos_order):
        """Refund ``amount`` on the order's online payments, newest first, as far as they allow."""
        for tx in self._o2o_pickup_online_transactions().sorted("id", reverse=True):
            if self.currency_id.compare_amounts(amount, 0) <= 0:
                break
            refunded = -sum(
                tx.child_transaction_ids.filtered(
                    lambda child: child.operation == "refund" and child.state != "error"
                ).mapped("amount")
            )
            available = tx.amount - refunded
            if tx.provider_id.support_refund == "none" or self.currency_id.compare_amounts(available, 0) <= 0:
                continue
            part = min(amount, available)
            if tx.provider_id.support_refund == "full_only" and self.currency_id.compare_amounts(
                part, tx.amount
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    tx.action_refund(amount_to_refund=part)
            except Exception as error:  # noqa: BLE001 - any provider failure leaves it to a person
                _logger.warning("online refund of %s on %s failed: %s", part, tx.reference, error)
                continue
            amount -= part
            self._o2o_pickup_note(
                self.env._(
                    "%(amount)s refunded to the online payment %(reference)s (%(provider)s).",
                    amount=format_amount(self.env, part, self.currency_id),
                    reference=tx.reference,
                    provider=tx.provider_id.name,
                )
            )
        if self.currency_id.compare_amounts(amount, 0) > 0:
            # Not refundable online: it stays as a credit on the customer's account.
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Refund the customer"),
                note=self.env._(
                    "%(amount)s returned at %(pos)s could not be refunded to the online payment: "
                    "refund it by bank transfer, or leave it as store credit.",
                    amount=format_amount(self.env, amount, self.currency_id),
                    pos=pos_order.config_id.name,
                ),
            )

    def _o2o_pickup_throttled_message(self):
        return self.env._(
            "Too many wrong pickup codes: wait a few minutes, or search by the customer's phone."
        )

    @api.model
    def o2o_pos_pickup_find(self, query, config_id):
        """Find pickups from the POS by scanned QR, typed code or customer phone.

        Orders found by their code or QR carry ``proven``: the customer showed the secret.
        Orders found by phone (at most PHONE_SEARCH_LIMIT) are handed over only with the code
        or an audited ID check. Refusals come back as {'error': message} rather than
        exceptions, so that a wrong code is counted (and throttled) in the same committed
        request.
        """
        session = self.env["pos.session"]._o2o_pickup_counter_session(config_id)
        if not session:
            return {"error": self.env._("Open the register first.")}
        config = session.config_id
        query = (query or "").strip()
        Orders = self.sudo()
        code = normalize_code(query)
        if query.startswith(TOKEN_PREFIX) or code:
            attempt = self.env["o2o.pickup.attempt"]._o2o_lock(self.env.user, config.warehouse_id)
            if attempt._o2o_throttled():
                return {"error": self._o2o_pickup_throttled_message()}
            orders, expired = Orders._o2o_pickup_read_token(query)
            if expired:
                return {
                    "error": self.env._(
                        "This pickup QR expired: ask for the pickup code, or search by the customer's phone."
                    )
                }
            if not orders and code:
                orders = Orders.search([("o2o_pickup_code", "=", code)], limit=1)
            if not orders:
                attempt._o2o_register_failure()
                return {"error": self.env._("Unknown pickup code %s.", query)}
            return {"orders": [dict(order._o2o_pickup_pos_data(config), proven=True) for order in orders]}
        e164 = self.env["res.partner"]._o2o_phone_e164(query, country=config.company_id.country_id)
        orders = Orders.browse()
        if e164:
            orders = Orders.search(
                [
                    "|",
                    ("partner_id.phone_sanitized", "=", e164),
                    ("partner_id.commercial_partner_id.phone_sanitized", "=", e164),
                    ("o2o_pickup_store_id", "=", config.warehouse_id.id),
                    # open pickups, and those collected lately (returns)
                    "|",
                    ("o2o_pickup_state", "in", OPEN_STATES),
                    "&",
                    ("o2o_pickup_state", "=", "collected"),
                    (
                        "o2o_pickup_collected_date",
                        ">=",
                        fields.Datetime.now() - timedelta(days=RETURN_DAYS),
                    ),
                ],
                order="o2o_pickup_deadline",
                limit=PHONE_SEARCH_LIMIT,
            )
        if not orders:
            return {"error": self.env._("No pickup waiting here for %s.", query)}
        return {"orders": [dict(order._o2o_pickup_pos_data(config), proven=False) for order in orders]}

    def _o2o_pickup_proven_by(self, proof):
        """Whether ``proof`` (the typed code or the scanned QR) is this order's."""
        self.ensure_one()
        if self._o2o_pickup_from_token(proof) == self:
            return True
        code = normalize_code(proof)
        return bool(code) and consteq(code, self.o2o_pickup_code or "")

    @api.model
    def o2o_pos_pickup_collect(self, order_id, config_id, proof=None, id_checked_reason=None):
        """Hand over a pickup at the POS: once, fully paid, stock leaving the store once.

        The customer proves the order with its code or QR (``proof``); without them the
        cashier checks the customer's ID and says so (``id_checked_reason``), which the
        order's chatter records with the cashier's name. A wrong proof is counted like a
        wrong code at the search and answered with {'error': message}.
        """
        session = self.env["pos.session"]._o2o_pickup_counter_session(config_id)
        if not session:
            raise UserError(self.env._("Open the register first."))
        config = session.config_id
        order = self.sudo().browse(order_id).exists() if isinstance(order_id, int) else self.browse()
        if not order:
            raise UserError(self.env._("This order does not exist any more."))
        proof = (proof or "").strip()
        id_checked_reason = (id_checked_reason or "").strip()
        if not proof and not id_checked_reason:
            raise UserError(
                self.env._(
                    "Ask for the pickup code or QR of %s, or check the customer's ID and say so.",
                    order.name,
                )
            )
        attempt = None
        if proof:
            # Locked before the order, by every proof check: no two lock orders.
            attempt = self.env["o2o.pickup.attempt"]._o2o_lock(self.env.user, config.warehouse_id)
            if attempt._o2o_throttled():
                return {"error": self._o2o_pickup_throttled_message()}
        # Two registers collecting the same order: the second waits here, then its
        # transaction is retried by Odoo and sees the order collected.
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        order.invalidate_recordset()
        if proof and not order._o2o_pickup_proven_by(proof):
            attempt._o2o_register_failure()
            return {"error": self.env._("This is not the pickup code of %s.", order.name)}
        refusal = order._o2o_pickup_refusal(config)
        if refusal:
            raise UserError(refusal)
        if not order.currency_id.is_zero(order.amount_unpaid):
            raise UserError(
                self.env._(
                    "%(amount)s is still to pay on %(order)s: take the payment first.",
                    amount=format_amount(self.env, order.amount_unpaid, order.currency_id),
                    order=order.name,
                )
            )
        for picking in order._o2o_pickup_store_pickings():
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.with_context(cancel_backorder=True)._action_done()
        order.write(
            {
                "o2o_pickup_state": "collected",
                "o2o_pickup_collected_date": fields.Datetime.now(),
                "o2o_pickup_collected_pos_id": config.id,
            }
        )
        if proof:
            body = self.env._("Collected at %(pos)s by %(user)s.", pos=config.name, user=self.env.user.name)
        else:
            body = self.env._(
                "Collected at %(pos)s by %(user)s without the pickup code: %(user)s checked the "
                "customer's ID (%(reason)s).",
                pos=config.name,
                user=self.env.user.name,
                reason=id_checked_reason,
            )
        order.message_post(body=Markup("%s") % body, subtype_xmlid="mail.mt_note")
        order._o2o_pickup_after_collect(config)
        return order._o2o_pickup_pos_data(config)

    def _o2o_pickup_collected_at_pos(self, pos_order):
        """Paid at the counter through the POS order: collected when nothing is due any more."""
        self.ensure_one()
        self.invalidate_recordset(["amount_unpaid"])
        if not self.currency_id.is_zero(self.amount_unpaid):
            self._o2o_pickup_note(
                self.env._(
                    "%(amount)s paid at %(pos)s (%(order)s); %(due)s is still due.",
                    amount=format_amount(self.env, pos_order.amount_total, pos_order.currency_id),
                    pos=pos_order.config_id.name,
                    order=pos_order.name,
                    due=format_amount(self.env, self.amount_unpaid, self.currency_id),
                )
            )
            return
        self.write(
            {
                "o2o_pickup_state": "collected",
                "o2o_pickup_collected_date": fields.Datetime.now(),
                "o2o_pickup_collected_pos_id": pos_order.config_id.id,
            }
        )
        self._o2o_pickup_note(
            self.env._(
                "Paid and collected at %(pos)s (%(order)s).",
                pos=pos_order.config_id.name,
                order=pos_order.name,
            )
        )
        self._o2o_pickup_after_collect(pos_order.config_id)

    def _o2o_pickup_after_collect(self, config):
        """Hook: the order was handed over (e.g. loyalty earns on collection)."""

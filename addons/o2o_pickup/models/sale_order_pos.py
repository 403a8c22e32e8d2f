"""Pickup orders at the POS counter: the signed QR token, finding an order by its code, QR or
phone, handing it over."""

import calendar
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.o2o_base.utils import sign_token
from odoo.exceptions import UserError
from odoo.tools import consteq, format_amount, format_date, format_datetime

from ..const import (
    OPEN_STATES,
    PHONE_SEARCH_LIMIT,
    PICKUP_STATES,
    RETURN_DAYS,
    THROTTLE_MAX_FAILURES,
    THROTTLE_WINDOW_MINUTES,
)
from ..utils import normalize_code

TOKEN_PREFIX = "O2OPU"  # noqa: S105 - a marker of our QR payloads, not a secret


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # QR token
    # ------------------------------------------------------------------

    def _o2o_pickup_sign(self, scope, message):
        """A signature of ``message`` for this order, bound to its current code, that only
        this database can make (``scope`` keeps QR payloads and image links apart)."""
        self.ensure_one()
        return sign_token(self.env, scope, f"{message}:{self.o2o_pickup_code}", length=32)

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

    def _o2o_pickup_guess_key(self, config):
        return f"o2o_pickup:code:{self.env.user.id}:{config.warehouse_id.id}"

    def _o2o_pickup_guess(self, config):
        """Count a pickup code or QR checked by this cashier at this store; False when they typed
        THROTTLE_MAX_FAILURES wrong ones in THROTTLE_WINDOW_MINUTES (o2o_base's rate limit: one
        row per cashier and store, locked by the upsert until the request ends, so parallel
        guesses queue on it and cannot all pass). A right one gives its count back."""
        return (
            self.env["o2o.rate.limit"]
            .sudo()
            ._o2o_hit(self._o2o_pickup_guess_key(config), THROTTLE_MAX_FAILURES, THROTTLE_WINDOW_MINUTES * 60)
        )

    def _o2o_pickup_guess_right(self, config):
        self.env["o2o.rate.limit"].sudo()._o2o_give_back(self._o2o_pickup_guess_key(config))

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
            guess = self._o2o_pickup_guess(config)
            if not guess:
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
                return {"error": self.env._("Unknown pickup code %s.", query)}
            self._o2o_pickup_guess_right(config)
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
        # Counted (its row locked) before the order is, by every proof check: no two lock orders.
        if proof and not self._o2o_pickup_guess(config):
            return {"error": self._o2o_pickup_throttled_message()}
        # Two registers collecting the same order: the second waits here, then its
        # transaction is retried by Odoo and sees the order collected.
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        order.invalidate_recordset()
        if proof and not order._o2o_pickup_proven_by(proof):
            return {"error": self.env._("This is not the pickup code of %s.", order.name)}
        if proof:
            self._o2o_pickup_guess_right(config)
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

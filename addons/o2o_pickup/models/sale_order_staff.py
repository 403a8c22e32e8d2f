"""Pickup orders for store staff (prepare, ready, no-show, cancel), the scheduled holds and
reminders, and the e-mail and SMS sent to the customer."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..const import OPEN_STATES, PICKUP_STATES


class SaleOrder(models.Model):
    _inherit = "sale.order"

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

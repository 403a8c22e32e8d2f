from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..const import MAX_SLOT_DAYS
from ..utils import split_into_slots


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    o2o_pickup_lead_hours = fields.Float(
        string="Preparation Time (hours)",
        default=2.0,
        help="Time the store needs to prepare an order before it can be collected.",
    )
    o2o_pickup_slot_minutes = fields.Integer(string="Pickup Slot Length (minutes)", default=60)
    o2o_pickup_slot_capacity = fields.Integer(
        string="Orders per Slot", default=10, help="How many orders can be collected in one slot."
    )
    o2o_pickup_hold_days = fields.Integer(
        string="Hold (days)",
        default=3,
        help="Days the goods stay reserved for the customer after the pickup slot; then the "
        "order is a no-show.",
    )
    o2o_pickup_remind_hours = fields.Integer(
        string="Remind Before (hours)",
        default=24,
        help="Hours before the hold ends at which a customer who has not collected is reminded; "
        "0: no reminder.",
    )
    o2o_pickup_allow_transfer = fields.Boolean(
        string="Accept Orders Needing a Transfer",
        default=True,
        help="When the store lacks stock that another warehouse has, accept the order and "
        "bring the goods to the store first.",
    )
    o2o_pickup_transfer_hours = fields.Float(
        string="Transfer Time (hours)",
        default=24.0,
        help="Time to bring goods from another warehouse to this store.",
    )

    @api.constrains("o2o_pickup_slot_minutes", "o2o_pickup_slot_capacity", "o2o_pickup_hold_days")
    def _check_o2o_pickup_settings(self):
        for store in self:
            if store.o2o_pickup_slot_minutes < 5:
                raise ValidationError(self.env._("A pickup slot lasts at least 5 minutes."))
            if store.o2o_pickup_slot_capacity < 1:
                raise ValidationError(self.env._("A pickup slot takes at least one order."))
            if store.o2o_pickup_hold_days < 0:
                raise ValidationError(self.env._("The hold cannot be negative."))

    def _o2o_pickup_tz(self):
        return pytz.timezone(self.opening_hours.tz or self.partner_id.tz or "UTC")

    def _o2o_local(self, utc_naive):
        """A naive UTC datetime (as Odoo stores them) in the store's time zone."""
        return pytz.utc.localize(utc_naive).astimezone(self._o2o_pickup_tz())

    def o2o_get_pickup_slots(self, now=None, days=7, extra_lead_hours=0.0):
        """The pickup slots of the store from ``now`` on, with their availability.

        Reads the opening hours (public holidays included) and the booked counts of the
        slot table: the number of queries does not depend on how many orders are open.

        :return: list of dicts: start, end (naive UTC), capacity, booked, available (bool)
        """
        self.ensure_one()
        if not isinstance(days, int) or not 1 <= days <= MAX_SLOT_DAYS:
            raise UserError(self.env._("Pickup slots are shown 1 to %s days ahead.", MAX_SLOT_DAYS))
        if not self.opening_hours:
            return []
        now = pytz.utc.localize(now or fields.Datetime.now())
        not_before = now + timedelta(hours=self.o2o_pickup_lead_hours + extra_lead_hours)
        # Read the opening hours from the start of the local day, so that slots keep the
        # same grid (opening time + n slots) whatever the time of the request.
        tz = self._o2o_pickup_tz()
        start = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
        end = now + timedelta(days=days)
        intervals = self.opening_hours._work_intervals_batch(start, end)[False]
        slots = split_into_slots(
            [(i_start, i_end) for i_start, i_end, _records in intervals],
            self.o2o_pickup_slot_minutes,
            not_before,
        )
        if not slots:
            return []
        naive = [
            (s.astimezone(pytz.utc).replace(tzinfo=None), e.astimezone(pytz.utc).replace(tzinfo=None))
            for s, e in slots
        ]
        booked = {
            slot.start: (slot.capacity, slot.booked)
            for slot in self.env["o2o.pickup.slot"]
            .sudo()
            .search_fetch(
                [("store_id", "=", self.id), ("start", ">=", naive[0][0]), ("start", "<=", naive[-1][0])],
                ["start", "capacity", "booked"],
            )
        }
        result = []
        for slot_start, slot_end in naive:
            capacity, count = booked.get(slot_start, (self.o2o_pickup_slot_capacity, 0))
            result.append(
                {
                    "start": slot_start,
                    "end": slot_end,
                    "capacity": capacity,
                    "booked": count,
                    "available": count < capacity,
                }
            )
        return result

    def o2o_get_earliest_pickup(self, products_qty=None, now=None):
        """Earliest available pickup slot for these goods, or False if none can be offered.

        :param products_qty: dict {product.product: quantity}; stock missing in the store
            but available elsewhere in the company adds the transfer time, when allowed
        :return: dict of the slot (see o2o_get_pickup_slots) plus 'needs_transfer'
        """
        self.ensure_one()
        needs_transfer = bool(products_qty) and not self._o2o_has_stock(products_qty)
        if needs_transfer and not (
            self.o2o_pickup_allow_transfer and self._o2o_stock_elsewhere(products_qty)
        ):
            return False
        extra = self.o2o_pickup_transfer_hours if needs_transfer else 0.0
        for days in (7, 31):
            slot = next(
                (
                    s
                    for s in self.o2o_get_pickup_slots(now=now, days=days, extra_lead_hours=extra)
                    if s["available"]
                ),
                None,
            )
            if slot:
                return dict(slot, needs_transfer=needs_transfer)
        return False

    def _o2o_earliest_pickup_label(self, products_qty):
        """'Mon 24/11 10:00' in the store's time zone, or '' when no pickup can be offered."""
        self.ensure_one()
        earliest = self.o2o_get_earliest_pickup(products_qty)
        if not earliest:
            return ""
        start = self._o2o_local(earliest["start"])
        return f"{format_date(self.env, start.date(), date_format='EEE dd/MM')} {start:%H:%M}"

    def _o2o_has_stock(self, products_qty):
        self.ensure_one()
        return all(
            not product.is_storable or product.with_context(warehouse_id=self.id).free_qty >= qty
            for product, qty in products_qty.items()
        )

    def _o2o_stock_elsewhere(self, products_qty):
        self.ensure_one()
        return all(
            not product.is_storable
            or product.with_context(allowed_company_ids=self.company_id.ids).free_qty >= qty
            for product, qty in products_qty.items()
        )

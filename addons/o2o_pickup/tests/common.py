from datetime import datetime

from odoo import Command
from odoo.addons.o2o_base.tests.common import O2oCommon

# Monday 2 March 2026, 09:00 in Ho Chi Minh City (UTC+7).
NOW = datetime(2026, 3, 2, 2, 0, 0)


def always_open_calendar(env):
    """Opening hours of a store open day and night: browser tours run at the real time."""
    return env["resource.calendar"].create(
        {
            "name": "Always open",
            "tz": "UTC",
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": str(d),
                        "dayofweek": str(d),
                        "hour_from": 0,
                        "hour_to": 24,
                        "day_period": "morning",
                    }
                )
                for d in range(7)
            ],
        }
    )


def put_in_stock(env, product, store, qty):
    env["stock.quant"].with_context(inventory_mode=True).create(
        {"product_id": product.id, "location_id": store.lot_stock_id.id, "inventory_quantity": qty}
    ).action_apply_inventory()


def pay_online(env, order, amount=None):
    """A confirmed online payment (wire transfer provider) of ``order``."""
    provider = env.ref("payment.payment_provider_transfer").sudo()
    return (
        env["payment.transaction"]
        .sudo()
        .create(
            {
                "provider_id": provider.id,
                "payment_method_id": env.ref("payment_custom.payment_method_wire_transfer").id,
                "amount": order.amount_total if amount is None else amount,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": f"{order.name}-online-{len(order.transaction_ids) + 1}",
                "sale_order_ids": [Command.set(order.ids)],
                "state": "done",
            }
        )
    )


class O2oPickupCommon(O2oCommon):
    """Store 1 opens 08:00-22:00 every day, hour slots, 2 hours to prepare, pickup enabled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Store hours",
                "tz": "Asia/Ho_Chi_Minh",
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 22,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        for store in cls.store_1 | cls.store_2:
            store.write(
                {
                    "opening_hours": cls.calendar.id,
                    "o2o_pickup_enabled": True,
                    "o2o_pickup_lead_hours": 2.0,
                    "o2o_pickup_slot_minutes": 60,
                    "o2o_pickup_slot_capacity": 3,
                    "o2o_pickup_hold_days": 3,
                }
            )
        cls.carrier = cls.env.ref("website_sale_collect.carrier_pick_up_in_store")
        cls._stock(cls.product_a, cls.store_1, 10)
        cls._stock(cls.product_b, cls.store_2, 10)
        cls.customer = cls._customer("Trần Thị Bình", mobile="0986 555 444", email="binh@example.com")

    @classmethod
    def _stock(cls, product, store, qty):
        put_in_stock(cls.env, product, store, qty)

    def _pickup_order(self, lines, store=None, start=None, partner=None, confirm=True):
        store = store or self.store_1
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "website_id": self.website.id,
                "carrier_id": self.carrier.id,
                "warehouse_id": store.id,
                "o2o_pickup_requested_start": start,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _pay_online(self, order, amount=None):
        return pay_online(self.env, order, amount)

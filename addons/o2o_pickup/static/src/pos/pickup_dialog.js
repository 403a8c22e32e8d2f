import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { usePos } from "@point_of_sale/app/store/pos_hook";

/**
 * Find a click & collect order by scanned QR, typed code or the customer's phone, then
 * hand it over (prepaid) or load it into the POS order to take what is still due.
 * An order found by phone is handed over on its code, or on an ID check the cashier
 * records with a reason (logged in the order's chatter with the cashier's name).
 */
export class O2oPickupDialog extends Component {
    static template = "o2o_pickup.PickupDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({ query: "", searched: "", orders: [], error: "", busy: false });
        this.inputRef = useRef("query");
        onMounted(() => this.inputRef.el?.focus());
    }

    async search(ev) {
        ev?.preventDefault();
        if (!this.state.query.trim() || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.pos.data.call("sale.order", "o2o_pos_pickup_find", [
                this.state.query,
                this.pos.config.id,
            ]);
            this.state.error = result.error || "";
            this.state.searched = this.state.query.trim();
            this.state.orders = (result.orders || []).map((order) => ({
                ...order,
                code: "",
                idChecked: false,
                idReason: "",
            }));
        } finally {
            this.state.busy = false;
        }
    }

    async handOver(order) {
        const proof = order.proven ? this.state.searched : order.code.trim();
        const reason = !proof && order.idChecked ? order.idReason.trim() : "";
        if (!proof && !reason) {
            this.state.error = _t(
                "Type the customer's pickup code, or tick “ID checked” and say which ID you saw."
            );
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.pos.data.call("sale.order", "o2o_pos_pickup_collect", [
                order.id,
                this.pos.config.id,
                proof || false,
                reason || false,
            ]);
            if (result.error) {
                this.state.error = result.error;
                return;
            }
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
            return;
        } finally {
            this.state.busy = false;
        }
        this.notification.add(_t("%s handed over.", order.name), { type: "success" });
        this.props.close();
    }

    async takePayment(order) {
        if (order.partially_paid) {
            // Settling loads the whole order: part of it would be charged twice.
            this.state.error = _t(
                "Part of %s was paid online: settle the rest from the back office.",
                order.name
            );
            return;
        }
        const saleOrder = await this.pos._getSaleOrder(order.id);
        if (saleOrder.partner_id) {
            this.pos.get_order().set_partner(saleOrder.partner_id);
        }
        await this.pos.settleSO(saleOrder, false);
        this.props.close();
    }

    /**
     * Take back goods of a collected web order: its lines come into the current order with
     * negative quantities, linked to the web order (pos_sale), so the store is restocked and
     * the web order's delivered quantities go down. The cashier can lower quantities for a
     * partial return, then refunds on the payment screen: the original method ("Refund to
     * online payment" for orders paid online), the store's methods, or the customer account.
     */
    async takeBack(order) {
        const saleOrder = await this.pos._getSaleOrder(order.id);
        const posOrder = this.pos.get_order();
        if (saleOrder.partner_id) {
            posOrder.set_partner(saleOrder.partner_id);
        }
        for (const returnable of order.return_lines) {
            const line = saleOrder.order_line.find((l) => l.id === returnable.sale_line_id);
            if (!line) {
                continue;
            }
            const newLine = await this.pos.addLineToCurrentOrder(
                {
                    product_id: line.product_id,
                    qty: -returnable.qty,
                    price_unit: line.price_unit,
                    tax_ids: line.tax_id.map((t) => ["link", t]),
                    sale_order_origin_id: saleOrder,
                    sale_order_line_id: line,
                    order_id: posOrder,
                },
                {},
                false
            );
            newLine.set_quantity(-returnable.qty, true);
            newLine.set_unit_price(line.price_unit);
            newLine.set_discount(line.discount);
        }
        const method =
            order.refund_online_method_id &&
            this.pos.models["pos.payment.method"].get(order.refund_online_method_id);
        this.notification.add(
            method
                ? _t("Paid online (%s): refund with “%s”.", order.paid_online, method.name)
                : _t("Refund with the method the customer paid with, or the customer account."),
            { type: "info", sticky: true }
        );
        this.props.close();
    }

    formatCurrency(amount) {
        return this.env.utils.formatCurrency(amount);
    }
}

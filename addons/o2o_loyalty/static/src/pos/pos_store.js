import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/store/pos_store";

/**
 * When an order synced late (e.g. after an offline period) used a coupon or points that
 * were spent elsewhere meanwhile, the server books it and says so: the cashier is told.
 */
patch(PosStore.prototype, {
    postSyncAllOrders(orders) {
        super.postSyncAllOrders(...arguments);
        this.o2oShownConflicts ||= new Set();
        for (const order of orders || []) {
            if (order.o2o_loyalty_conflict && !this.o2oShownConflicts.has(order.id)) {
                this.o2oShownConflicts.add(order.id);
                this.dialog.add(AlertDialog, {
                    title: _t("Coupon or points already used: %s", order.name || order.pos_reference || ""),
                    body: order.o2o_loyalty_conflict,
                });
            }
        }
    },
});

import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

/** Coupons printed on the receipt get a QR that opens the web shop with the coupon applied. */
patch(PosOrder.prototype, {
    export_for_printing() {
        const result = super.export_for_printing(...arguments);
        if (result.new_coupon_info?.length) {
            const origin = window.location.origin;
            result.new_coupon_info = result.new_coupon_info.map((info) => ({
                ...info,
                o2o_qr_url: `/o2o/qr/png?size=4&value=${encodeURIComponent(`${origin}/coupon/${info.code}`)}`,
            }));
        }
        return result;
    },
});

import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

/** The receipt's coupon QR codes open the web shop the POS is served from. */
patch(PosOrder.prototype, {
    export_for_printing() {
        return { ...super.export_for_printing(...arguments), o2o_base_url: window.location.origin };
    },
});

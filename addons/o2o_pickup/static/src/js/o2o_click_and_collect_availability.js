import { useEffect } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { patch } from "@web/core/utils/patch";
import { ClickAndCollectAvailability } from "@website_sale_collect/js/click_and_collect_availability/click_and_collect_availability";

patch(ClickAndCollectAvailability.prototype, {
    /** The chosen store's earliest pickup time for this product, under its availability. */
    setup() {
        super.setup(...arguments);
        this.state.o2oEarliest = "";
        useEffect(
            (storeId, productId) => {
                this.state.o2oEarliest = "";
                if (storeId && productId) {
                    rpc("/o2o/pickup/earliest", { warehouse_ids: [storeId], product_id: productId }).then(
                        (earliest) => {
                            this.state.o2oEarliest = (earliest && earliest[storeId]) || "";
                        },
                    );
                }
            },
            () => [this.state.selectedWhLocation?.id, this.state.productId],
        );
    },
});

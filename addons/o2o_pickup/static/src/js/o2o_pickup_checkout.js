import { rpc } from "@web/core/network/rpc";
import publicWidget from "@web/legacy/js/public/public_widget";

publicWidget.registry.O2oPickupSlot = publicWidget.Widget.extend({
    selector: ".o_o2o_pickup_slot_picker",
    events: { "change .o_o2o_pickup_slot": "_onChangeSlot" },

    async _onChangeSlot(ev) {
        const error = this.el.querySelector(".o_o2o_pickup_slot_error");
        const result = await rpc("/o2o/pickup/slot", { start: ev.target.value });
        error.textContent = result.error || "";
        error.classList.toggle("d-none", !result.error);
        this.el.dataset.o2oSaved = result.error ? "" : ev.target.value;
    },
});

publicWidget.registry.WebsiteSaleCheckout.include({
    /**
     * Another store has other pickup times: render them again.
     *
     * @override method from `@website_sale/js/checkout`
     */
    _updatePickupLocation(button, location, jsonLocation) {
        this._super.apply(this, arguments);
        const radio = this._getDeliveryMethodContainer(button).querySelector('[name="o_delivery_radio"]');
        if (radio?.dataset.deliveryType === "in_store") {
            window.location.reload();
        }
    },
});

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

/** The "join the membership" box of the cart: the order earns points once paid. */
publicWidget.registry.O2oLoyaltyJoin = publicWidget.Widget.extend({
    selector: ".o_o2o_member_join",
    events: { "change #o2o_loyalty_join": "_onToggle" },

    async _onToggle(ev) {
        await rpc("/shop/o2o_loyalty/join", { join: ev.currentTarget.checked });
        window.location.reload();
    },
});

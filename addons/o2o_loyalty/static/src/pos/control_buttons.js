import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/utils/input_popups/number_popup";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { O2oMemberDialog } from "./member_dialog";

patch(ControlButtons.prototype, {
    onClickO2oMember() {
        this.dialog.add(O2oMemberDialog, {});
    },

    /** Paying with member points: the cashier types how many points the customer spends. */
    async _applyReward(reward, coupon_id, potentialQty) {
        const card = this.pos.models["loyalty.card"].get(coupon_id);
        if (!(card?.o2o_is_member && reward.reward_type === "discount" && reward.discount_mode === "per_point")) {
            return super._applyReward(...arguments);
        }
        const order = this.pos.get_order();
        const available = order._getRealCouponPoints(coupon_id);
        const value = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Points to spend"),
            subtitle: _t("%s points available", available),
        });
        if (value === undefined || value === null || value === "") {
            return false;
        }
        const points = parseFloat(value);
        if (!(points >= reward.required_points) || points > available) {
            this.notification.add(
                _t("Spend between %(min)s and %(max)s points.", { min: reward.required_points, max: available }),
                { type: "warning" }
            );
            return false;
        }
        order.uiState.disabledRewards.delete(reward.id);
        const result = order._applyReward(reward, coupon_id, { cost: points });
        if (result !== true) {
            this.notification.add(result);
        }
        this.pos.updateRewards();
        return result;
    },
});

import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { usePos } from "@point_of_sale/app/store/pos_hook";

/**
 * Enroll a customer as a member on one screen: the phone finds or creates the customer
 * (o2o_base, whatever format it is typed in), the card is created and the customer is
 * set on the current order.
 */
export class O2oMemberDialog extends Component {
    static template = "o2o_loyalty.MemberDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({ phone: "", name: "", email: "", error: "", busy: false });
        this.phoneRef = useRef("phone");
        onMounted(() => this.phoneRef.el?.focus());
    }

    async enroll(ev) {
        ev?.preventDefault();
        if (!this.state.phone.trim() || this.state.busy) {
            this.state.error = _t("Type the customer's phone number.");
            return;
        }
        this.state.busy = true;
        this.state.error = "";
        let result;
        try {
            result = await this.pos.data.call("res.partner", "o2o_loyalty_enroll", [
                this.state.name,
                this.state.phone,
                this.state.email,
                this.pos.config.id,
            ]);
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
            return;
        } finally {
            this.state.busy = false;
        }
        const [partner] = await this.pos.data.read("res.partner", [result.partner_id]);
        await this.pos.fetchCoupons([["id", "=", result.card_id]]);
        this.pos.get_order().set_partner(partner);
        this.notification.add(
            _t("%(name)s is a member: %(points)s points", {
                name: result.partner_name,
                points: result.points,
            }),
            { type: "success" }
        );
        this.props.close();
    }
}

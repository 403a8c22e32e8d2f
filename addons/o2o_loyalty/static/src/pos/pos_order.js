import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /**
     * What a member earns, as the server will credit it: the store's earn rate and the
     * member's tier multiplier apply to Odoo's points (shown on the screen and the receipt).
     */
    pointsForPrograms(programs) {
        const result = super.pointsForPrograms(...arguments);
        const partner = this.get_partner();
        for (const program of programs) {
            if (!program.o2o_is_membership || !result[program.id]?.length) {
                continue;
            }
            const card =
                partner &&
                this.models["loyalty.card"].find(
                    (c) => c.partner_id?.id === partner.id && c.program_id?.id === program.id
                );
            const factor = (program.o2o_store_rate ?? 1) * (card?.o2o_earn_multiplier || 1);
            if (factor !== 1) {
                result[program.id] = result[program.id].map((entry) => ({
                    ...entry,
                    points: Math.floor(entry.points * factor * 100) / 100,
                }));
            }
        }
        return result;
    },

    /**
     * Partial redemption: a member's per-point discount costs the points the customer chose
     * (``cost``, kept when Odoo re-applies the reward), not all that the order could take.
     */
    _getRewardLineValuesDiscount(args) {
        const result = super._getRewardLineValuesDiscount(...arguments);
        const reward = args["reward"];
        const wanted = args["cost"];
        const card = this.models["loyalty.card"].get(args["coupon_id"]);
        if (!wanted || !card?.o2o_is_member || reward.discount_mode !== "per_point" || !Array.isArray(result)) {
            return result;
        }
        const cost = result.reduce((total, vals) => total + (vals.points_cost || 0), 0);
        if (cost <= wanted) {
            return result;
        }
        const factor = wanted / cost;
        return result.map((vals) => ({
            ...vals,
            price_unit: vals.price_unit * factor,
            points_cost: (vals.points_cost || 0) * factor,
        }));
    },
});

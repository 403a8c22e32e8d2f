import { PartnerLine } from "@point_of_sale/app/screens/partner_list/partner_line/partner_line";
import { patch } from "@web/core/utils/patch";

/** The member's tier next to their points in the customer list. */
patch(PartnerLine.prototype, {
    _getLoyaltyPointsRepr(loyaltyCard) {
        const repr = super._getLoyaltyPointsRepr(loyaltyCard);
        return loyaltyCard.o2o_tier_name ? `${repr} · ${loyaltyCard.o2o_tier_name}` : repr;
    },
});

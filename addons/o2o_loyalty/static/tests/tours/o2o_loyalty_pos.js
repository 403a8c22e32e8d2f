import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";

/** A cashier enrolls a customer by phone on one screen, then sells: the order earns points. */
registry.category("web_tour.tours").add("o2o_loyalty_cashier_enroll", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "open the member enrollment",
                trigger: ".o_o2o_member_button",
                run: "click",
            },
            {
                content: "type the phone as the customer says it",
                trigger: ".o_o2o_member_phone",
                run: "edit 0934 567 890",
            },
            {
                content: "and the name",
                trigger: ".o_o2o_member_name",
                run: "edit Vũ Thị Lan",
            },
            {
                content: "enroll",
                trigger: ".o_o2o_member_enroll",
                run: "click",
            },
            ProductScreen.customerIsSelected("Vũ Thị Lan"),
            ProductScreen.clickDisplayedProduct("o2o Loyalty Tee"),
            PosLoyalty.orderTotalIs("50.00"),
            PosLoyalty.pointsAwardedAre("50"),
            PosLoyalty.finalizeOrder("Cash", "50"),
        ].flat(),
});

/** A voucher e-mailed to a customer is redeemed at the counter by its code. */
registry.category("web_tour.tours").add("o2o_loyalty_cashier_voucher", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("o2o Loyalty Tee"),
            PosLoyalty.enterCode("044O2OTOURVOUCHER01"),
            PosLoyalty.orderTotalIs("40.00"),
            PosLoyalty.finalizeOrder("Cash", "40"),
        ].flat(),
});

/** A Silver member pays part of the order with the number of points they choose. */
registry.category("web_tour.tours").add("o2o_loyalty_cashier_spend_points", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Spending Member"),
            ProductScreen.clickDisplayedProduct("o2o Loyalty Tee"),
            // A Silver member earns 1.5 points per point: the screen says what the card will get.
            PosLoyalty.pointsAwardedAre("75"),
            PosLoyalty.claimReward("Pay with points"),
            NumberPopup.enterValue("30"),
            NumberPopup.isShown("30"),
            Dialog.confirm(),
            PosLoyalty.orderTotalIs("47.00"),
            PosLoyalty.finalizeOrder("Cash", "47"),
        ].flat(),
});

import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

/**
 * The demo cashier at the demo's Quận 1 counter hands over the newcomer tours' two orders
 * (o2o_newcomer_shop.js): one paid online, one to pay at the store.
 */
function searchAtTheCounter(phone) {
    return [
        {
            content: "open the pickup counter",
            trigger: ".o_o2o_pickup_button",
            run: "click",
        },
        {
            content: "the customer gives her phone",
            trigger: ".o_o2o_pickup_query",
            run: `edit ${phone}`,
        },
        { content: "search", trigger: ".o_o2o_pickup_search", run: "click" },
    ];
}

registry.category("web_tour.tours").add("o2o_newcomer_cashier_hands_over", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // The shopper paid online: nothing to charge, her ID instead of the code.
            ...searchAtTheCounter("0987 654 321"),
            {
                content: "her order paid online is ready: nothing to pay",
                trigger: ".o_o2o_pickup_result:has(.o_o2o_pickup_prepaid) .o_o2o_pickup_id_checked",
                run: "click",
            },
            {
                content: "the cashier saw her ID",
                trigger: ".o_o2o_pickup_result:has(.o_o2o_pickup_prepaid) .o_o2o_pickup_id_reason",
                run: "edit Citizen ID card",
            },
            {
                content: "hand over",
                trigger: ".o_o2o_pickup_result:has(.o_o2o_pickup_prepaid) .o_o2o_pickup_hand_over",
                run: "click",
            },
            {
                content: "the dialog closed",
                trigger: ".product-screen:not(:has(.o_o2o_pickup_query))",
            },
            // The guest pays at the counter.
            ...searchAtTheCounter("0938 777 888"),
            {
                content: "the amount due is shown",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_due",
            },
            {
                content: "take the payment",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_take_payment",
                run: "click",
            },
            {
                // Settling loads the order's lines one by one: pay once they are all in.
                content: "the web order is in the register, the dialog closed",
                trigger:
                    '.product-screen:not(:has(.o_o2o_pickup_query)) .orderline:contains("o2o Baseball Cap")',
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash Quận 1"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

function findPickup(query) {
    return [
        Chrome.startPoS(),
        Dialog.confirm("Open Register"),
        {
            content: "open the pickup counter",
            trigger: ".o_o2o_pickup_button",
            run: "click",
        },
        {
            content: "scan or type the code",
            trigger: ".o_o2o_pickup_query",
            run: `edit ${query}`,
        },
        {
            content: "search",
            trigger: ".o_o2o_pickup_search",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("o2o_pickup_cashier_prepaid", {
    steps: () =>
        [
            ...findPickup("ABCDE-12345"),
            {
                content: "nothing to pay",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_prepaid",
            },
            {
                content: "hand over",
                trigger: ".o_o2o_pickup_hand_over",
                run: "click",
            },
            {
                content: "the dialog closed",
                trigger: ".product-screen:not(:has(.o_o2o_pickup_query))",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("o2o_pickup_cashier_pay_at_store", {
    steps: () =>
        [
            ...findPickup("FGHJK-67890"),
            {
                content: "the amount due is shown",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_due",
            },
            {
                content: "take the payment",
                trigger: ".o_o2o_pickup_take_payment",
                run: "click",
            },
            {
                // Settling loads the order's lines one by one: pay once they are all in.
                content: "the web order is in the register, the dialog closed",
                trigger:
                    '.product-screen:not(:has(.o_o2o_pickup_query)) .orderline:contains("o2o Pickup Bag")',
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("o2o_pickup_cashier_return", {
    steps: () =>
        [
            ...findPickup("KMNPQ-24680"),
            {
                content: "collected here: the goods can come back",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_take_back",
                run: "click",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Refund to online payment"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("o2o_pickup_cashier_id_checked", {
    steps: () =>
        [
            ...findPickup("+84938222333"),
            {
                content: "found by phone: the code or an ID check is needed",
                trigger: ".o_o2o_pickup_result .o_o2o_pickup_proof",
            },
            {
                content: "hand over without proof is refused",
                trigger: ".o_o2o_pickup_hand_over",
                run: "click",
            },
            {
                content: "the cashier is told what is missing",
                trigger: ".o_o2o_pickup_error:contains(ID checked)",
            },
            {
                content: "the customer has no code: check the ID",
                trigger: ".o_o2o_pickup_id_checked",
                run: "click",
            },
            {
                content: "say which ID",
                trigger: ".o_o2o_pickup_id_reason",
                run: "edit National ID card, phone lost",
            },
            {
                content: "hand over",
                trigger: ".o_o2o_pickup_hand_over",
                run: "click",
            },
            {
                content: "the dialog closed",
                trigger: ".product-screen:not(:has(.o_o2o_pickup_query))",
            },
        ].flat(),
});

import { registry } from "@web/core/registry";
import { clickOnElement } from "@website/js/tours/tour_utils";
import { payWithDemoProvider } from "@o2o_base/../tests/tours/o2o_tour_utils";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * The demo shopper, a member of the demo's O2O Member programme, on the demo as `./o2o run`
 * installs it: her points in My Loyalty, then coffee bought online paying part with points,
 * in Vietnamese (her language and the website's).
 */
registry.category("web_tour.tours").add("o2o_newcomer_member", {
    url: "/vi/my",
    steps: () => [
        clickOnElement("My Loyalty", 'a[href="/my/loyalty"]'),
        {
            content: "her balance: points from the store, the website and Shopee",
            trigger: '.o_o2o_balance:contains("245")',
        },
        {
            content: "her tier",
            trigger: '.o_o2o_tier:contains("Thành viên")',
        },
        {
            content: "earned on three channels",
            trigger: '.o_o2o_history td:contains("Shopee")',
        },
        {
            content: "to the shop",
            trigger: "body",
            run() {
                window.location.href = "/shop";
            },
        },
        ...tourUtils.searchProduct("Cà phê Robusta"),
        clickOnElement("the coffee", 'a:contains("Cà phê Robusta Việt Nam")'),
        clickOnElement("add to cart", "#add_to_cart"),
        tourUtils.goToCart({ quantity: 1 }),
        {
            content: "her balance is shown in the cart",
            trigger: '.o_o2o_member_balance:contains("245")',
        },
        {
            content: "spend 40 points",
            trigger: "input.o_o2o_points_input",
            run: "edit 40",
        },
        clickOnElement("use them", "button.o_o2o_points_apply"),
        {
            content: "the points pay part of the order",
            trigger: '#cart_products:contains("Dùng điểm thanh toán")',
        },
        tourUtils.goToCheckout(),
        tourUtils.confirmOrder(),
        // the rest paid online
        ...payWithDemoProvider(),
        {
            content: "the order is confirmed",
            trigger: ".oe_website_sale_tx_status, .o_website_sale_confirmation, #wrap:contains('Thank you')",
            timeout: 20000,
        },
        {
            content: "back to My Loyalty",
            trigger: "body",
            run() {
                window.location.href = "/my/loyalty";
            },
        },
        {
            content: "the points earned on the order are in her history",
            trigger: ".o_o2o_history td:contains('Tích điểm từ S0')",
        },
    ],
});

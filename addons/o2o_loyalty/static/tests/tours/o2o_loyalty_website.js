import { registry } from "@web/core/registry";
import { clickOnElement } from "@website/js/tours/tour_utils";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

function teeInCart() {
    return [
        ...tourUtils.searchProduct("o2o Loyalty Tee"),
        clickOnElement("the product", 'a:contains("o2o Loyalty Tee")'),
        clickOnElement("add to cart", "#add_to_cart"),
        tourUtils.goToCart({ quantity: 1 }),
    ];
}

/** A member opens My Loyalty: balance, tier, history of the store sale and the member QR. */
registry.category("web_tour.tours").add("o2o_loyalty_portal", {
    url: "/my",
    steps: () => [
        clickOnElement("My Loyalty", 'a[href="/my/loyalty"]'),
        {
            content: "the balance earned in the store",
            trigger: '.o_o2o_balance:contains("50")',
        },
        {
            content: "the tier",
            trigger: '.o_o2o_tier:contains("Member")',
        },
        {
            content: "the store sale in the history",
            trigger: '.o_o2o_history td:contains("o2o Tour Store")',
        },
        {
            content: "the member QR",
            trigger: "img.o_o2o_member_qr",
        },
    ],
});

/** A member spends part of their points on the website. */
registry.category("web_tour.tours").add("o2o_loyalty_spend_online", {
    url: "/shop",
    steps: () => [
        ...teeInCart(),
        {
            content: "the balance is shown in the cart",
            trigger: '.o_o2o_member_balance:contains("200")',
        },
        {
            content: "choose to spend 30 points",
            trigger: "input.o_o2o_points_input",
            run: "edit 30",
        },
        clickOnElement("use them", "button.o_o2o_points_apply"),
        {
            content: "the discount of 30 points is on the order",
            trigger: '#cart_products:contains("Pay with points")',
        },
    ],
});

/** The voucher already used at the counter is refused on the website. */
registry.category("web_tour.tours").add("o2o_loyalty_voucher_refused_online", {
    url: "/shop",
    steps: () => [
        ...teeInCart(),
        {
            content: "type the voucher code",
            trigger: "form[name='coupon_code'] input[name='promo']",
            run: "edit 044O2OTOURVOUCHER01",
        },
        clickOnElement("apply", "form[name='coupon_code'] .a-submit"),
        {
            content: "the website refuses it",
            trigger: ".alert-danger",
        },
    ],
});

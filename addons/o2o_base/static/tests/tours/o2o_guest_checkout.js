import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * A shopper who bought in a store before checks out on the website as a guest and
 * types her phone in another format: the order is attached to the same customer.
 */
registry.category("web_tour.tours").add("o2o_guest_checkout_links_customer", {
    url: "/shop?search=o2o Tour Gift Card",
    steps: () => [
        {
            content: "open the product",
            trigger: '.oe_product_cart a:contains("o2o Tour Gift Card")',
            run: "click",
        },
        {
            content: "add it to the cart",
            trigger: "#add_to_cart",
            run: "click",
        },
        tourUtils.goToCart(),
        tourUtils.goToCheckout(),
        {
            content: "the country is Vietnam",
            trigger: "#o_country_id",
            run: "selectByLabel Vietnam",
        },
        { trigger: "form.checkout_autoformat input[name=name]", run: "edit An Nguyen" },
        { trigger: "form.checkout_autoformat input[name=email]", run: "edit an.guest@example.com" },
        { trigger: "form.checkout_autoformat input[name=phone]", run: "edit (+84) 938-111-222" },
        { trigger: "form.checkout_autoformat input[name=street]", run: "edit 1 Hai Bà Trưng" },
        { trigger: "form.checkout_autoformat input[name=city]", run: "edit Hồ Chí Minh" },
        {
            content: "save the address (a gift card needs no delivery: straight to payment)",
            trigger: "#save_address",
            run: "click",
        },
        ...tourUtils.payWithTransfer(true),
    ],
});

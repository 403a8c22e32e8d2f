import { registry } from "@web/core/registry";
import { fillVietnameseAddress } from "@o2o_base/../tests/tours/o2o_tour_utils";
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
        ...fillVietnameseAddress({
            name: "An Nguyen",
            email: "an.guest@example.com",
            phone: "(+84) 938-111-222",
            street: "1 Hai Bà Trưng",
            city: "Hồ Chí Minh",
        }),
        {
            content: "save the address (a gift card needs no delivery: straight to payment)",
            trigger: "#save_address",
            run: "click",
        },
        ...tourUtils.payWithTransfer(true),
    ],
});

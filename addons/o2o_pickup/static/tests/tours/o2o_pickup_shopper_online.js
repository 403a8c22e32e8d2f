import { registry } from "@web/core/registry";
import { clickOnElement } from "@website/js/tours/tour_utils";
import { payWithDemoProvider } from "@o2o_base/../tests/tours/o2o_tour_utils";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * A shopper picks a store and the first pickup time offered, pays online with the demo
 * instance's test provider and lands on the confirmation with her pickup code and QR.
 */
registry.category("web_tour.tours").add("o2o_pickup_shopper_online", {
    url: "/shop",
    steps: () => [
        ...tourUtils.searchProduct("o2o Pickup Product"),
        clickOnElement("the product", 'a:contains("o2o Pickup Product")'),
        clickOnElement("choose a store", ".o_click_and_collect_availability"),
        clickOnElement("this store", "#submit_location_large"),
        clickOnElement("add to cart", "#add_to_cart"),
        tourUtils.goToCart({ quantity: 1 }),
        tourUtils.goToCheckout(),
        {
            content: "pickup in store is chosen, with a pickup time",
            trigger:
                'input[name="o_delivery_radio"][data-delivery-type="in_store"]:checked, select.o_o2o_pickup_slot',
        },
        tourUtils.confirmOrder(),
        ...payWithDemoProvider(),
        {
            content: "the confirmation page shows the pickup code and its QR",
            trigger: ".o_o2o_pickup_card:has(img) .o_o2o_pickup_code",
            timeout: 20000,
        },
    ],
});

import { registry } from "@web/core/registry";
import { clickOnElement } from "@website/js/tours/tour_utils";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * A shopper picks a store and a pickup time, pays at the store, and finds her pickup
 * code and QR in the portal.
 */
registry.category("web_tour.tours").add("o2o_pickup_shopper", {
    url: "/shop",
    steps: () => [
        ...tourUtils.searchProduct("o2o Pickup Product"),
        clickOnElement("the product", 'a:contains("o2o Pickup Product")'),
        clickOnElement("choose a store", ".o_click_and_collect_availability"),
        {
            // Tests never call a geocoder: the shopper's position is unknown, the store is listed.
            content: "the store says its distance is unknown",
            trigger: '.o_o2o_distance:contains("Distance unknown")',
        },
        {
            content: "each store shows its earliest pickup time",
            trigger: '.o_o2o_earliest_pickup:contains("Ready from")',
        },
        clickOnElement("this store", "#submit_location_large"),
        clickOnElement("add to cart", "#add_to_cart"),
        tourUtils.goToCart({ quantity: 1 }),
        tourUtils.goToCheckout(),
        {
            content: "pickup in store is chosen",
            trigger: 'input[name="o_delivery_radio"][data-delivery-type="in_store"]:checked',
        },
        {
            content: "choose the second pickup time",
            trigger: "select.o_o2o_pickup_slot",
            run: "selectByIndex 1",
        },
        {
            content: "the slot was accepted",
            trigger: ".o_o2o_pickup_slot_picker[data-o2o-saved]:not([data-o2o-saved=''])",
        },
        tourUtils.confirmOrder(),
        {
            content: "pay at the store",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="pay_on_site"]',
            run: "click",
        },
        tourUtils.pay(),
        {
            content: "the confirmation page shows the pickup code",
            trigger: ".o_o2o_pickup_card .o_o2o_pickup_code",
            timeout: 20000,
        },
        {
            content: "open my pickups",
            trigger: "body",
            run() {
                window.location.href = "/my/pickups";
            },
        },
        {
            content: "the order is listed with its code",
            trigger: ".o_o2o_pickup_row td strong",
        },
        clickOnElement("open the order", ".o_o2o_pickup_row a"),
        {
            content: "the portal shows the QR code",
            trigger: '.o_o2o_pickup_card img[src^="data:image/png;base64,"]',
        },
        {
            // The page's chatter fetches its messages last: the tour ends once they are in,
            // not with a request still open when the browser closes.
            content: "the order's messages are loaded",
            trigger:
                "#chatterRoot:shadow .o-mail-Message, #chatterRoot:shadow .o-mail-Thread-empty:contains(The conversation is empty)",
            timeout: 20000,
        },
    ],
});

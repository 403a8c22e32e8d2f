import { registry } from "@web/core/registry";
import { clickOnElement } from "@website/js/tours/tour_utils";
import { fillVietnameseAddress, payWithDemoProvider } from "@o2o_base/../tests/tours/o2o_tour_utils";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * The newcomer's journey on the demo exactly as `./o2o run` installs it: nothing is prepared
 * for these tours. A product of the demo catalogue is collected at the demo's Quận 1 store, on
 * the retailer's website in Vietnamese (its default language).
 */
function chooseQuan1(product) {
    return [
        ...tourUtils.searchProduct(product),
        clickOnElement("the product", `a:contains("${product}")`),
        clickOnElement("pick up in store: choose a store", ".o_click_and_collect_availability"),
        {
            content: "the demo's stores are listed, each with its earliest pickup time",
            trigger: '.modal .o_o2o_earliest_pickup:contains("Sẵn sàng từ")',
        },
        clickOnElement("the Quận 1 store", '.modal .list-group-item:contains("Quận 1")'),
        clickOnElement("collect it there", "#submit_location_large"),
        {
            content: "the product page names the chosen store and its earliest pickup time",
            trigger:
                '.o_click_and_collect_availability:contains("Quận 1") .o_o2o_earliest_pickup:contains("Sẵn sàng từ")',
        },
        clickOnElement("add to cart", "#add_to_cart"),
        tourUtils.goToCart({ quantity: 1 }),
        tourUtils.goToCheckout(),
    ];
}

function pickupChosenWithASlot(slotIndex) {
    const steps = [
        {
            content: "pickup in store is chosen",
            trigger: 'input[name="o_delivery_radio"][data-delivery-type="in_store"]:checked',
        },
        {
            content: "pickup times are offered, the earliest first",
            trigger: "select.o_o2o_pickup_slot",
        },
    ];
    if (slotIndex) {
        steps.push(
            {
                content: "choose another pickup time",
                trigger: "select.o_o2o_pickup_slot",
                run: `selectByIndex ${slotIndex}`,
            },
            {
                content: "the pickup time was accepted",
                trigger: ".o_o2o_pickup_slot_picker[data-o2o-saved]:not([data-o2o-saved=''])",
            },
        );
    }
    return steps;
}

const confirmationWithQr = {
    content: "the confirmation page shows the pickup code and its QR",
    trigger: ".o_o2o_pickup_card:has(img) .o_o2o_pickup_code",
    timeout: 20000,
};

registry.category("web_tour.tours").add("o2o_newcomer_shopper_pays_online", {
    url: "/vi/shop",
    steps: () => [
        ...chooseQuan1("Áo thun cotton o2o"),
        ...pickupChosenWithASlot(1),
        tourUtils.confirmOrder(),
        ...payWithDemoProvider(),
        confirmationWithQr,
    ],
});

registry.category("web_tour.tours").add("o2o_newcomer_guest_pays_at_store", {
    url: "/vi/shop",
    steps: () => [
        ...chooseQuan1("Mũ lưỡi trai o2o"),
        ...fillVietnameseAddress({
            name: "Đỗ Thị Hoa",
            email: "hoa.guest@example.com",
            phone: "0938 777 888",
            street: "5 Lý Tự Trọng",
            city: "Hồ Chí Minh",
        }),
        clickOnElement("save the address", "#save_address"),
        ...pickupChosenWithASlot(),
        tourUtils.confirmOrder(),
        {
            content: "pay at the store",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="pay_on_site"]',
            run: "click",
        },
        tourUtils.pay(),
        confirmationWithQr,
    ],
});

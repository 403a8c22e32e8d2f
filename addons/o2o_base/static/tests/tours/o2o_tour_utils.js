import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * Steps the o2o website tours share (imported as "@o2o_base/../tests/tours/o2o_tour_utils").
 */

/** Pay with Odoo's demo provider (test mode, installed by `./o2o run` and our test database). */
export function payWithDemoProvider() {
    return [
        {
            content: "pay online (Odoo's demo provider, test mode)",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="demo"]',
            run: "click",
        },
        {
            content: "card details (test data)",
            trigger: "input[name=customer_input]",
            run: "edit 4111 1111 1111 1111",
        },
        tourUtils.pay(),
    ];
}

/** A guest's address in Vietnam on the checkout's address form. */
export function fillVietnameseAddress({ name, email, phone, street, city }) {
    return [
        {
            content: "the country is Vietnam (by its code: the label is in the visitor's language)",
            trigger: '#o_country_id:has(option[code="VN"])',
            async run(helpers) {
                await helpers.select(helpers.anchor.querySelector('option[code="VN"]').value);
            },
        },
        { trigger: "form.checkout_autoformat input[name=name]", run: `edit ${name}` },
        { trigger: "form.checkout_autoformat input[name=email]", run: `edit ${email}` },
        { trigger: "form.checkout_autoformat input[name=phone]", run: `edit ${phone}` },
        { trigger: "form.checkout_autoformat input[name=street]", run: `edit ${street}` },
        { trigger: "form.checkout_autoformat input[name=city]", run: `edit ${city}` },
    ];
}

import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";

/**
 * A cashier creates a customer who already exists (typed phone in another format):
 * the POS selects the existing customer instead of creating a duplicate.
 */
registry.category("web_tour.tours").add("o2o_pos_create_known_customer", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            {
                content: "create a customer",
                trigger: '.modal button[title="Add a customer"]:visible',
                run: "click",
            },
            {
                content: "type the name the customer gives",
                trigger: ".modal .o_form_view .o_field_widget[name=name] input",
                run: "edit An Nguyen",
            },
            {
                content: "type the phone in international form",
                trigger: ".modal .o_form_view .o_field_widget[name=phone] input",
                run: "edit +84 938 111 222",
            },
            {
                content: "save",
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            ProductScreen.customerIsSelected("Nguyễn Văn An"),
        ].flat(),
});

import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { O2oMemberDialog } from "./member_dialog";

patch(ControlButtons.prototype, {
    onClickO2oMember() {
        this.dialog.add(O2oMemberDialog, {});
    },
});

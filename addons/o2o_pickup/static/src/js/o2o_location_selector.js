import { LocationSelectorDialog } from "@delivery/js/location_selector/location_selector_dialog/location_selector_dialog";
import { rpc } from "@web/core/network/rpc";
import { patch } from "@web/core/utils/patch";

patch(LocationSelectorDialog.prototype, {
    /** Add each store's distance (or that it is unknown) and earliest pickup time. */
    async _getLocations(zip) {
        const result = await super._getLocations(...arguments);
        const locations = result?.pickup_locations || [];
        for (const location of locations) {
            if ("distance" in location) {
                location.additional_data = {
                    ...(location.additional_data || {}),
                    o2o_distance: location.distance,
                };
            }
        }
        if (locations.length) {
            const earliest = await rpc("/o2o/pickup/earliest", {
                warehouse_ids: locations.map((location) => location.id),
                product_id: this.props.productId,
            });
            for (const location of locations) {
                if (location.id in earliest) {
                    location.additional_data = {
                        ...(location.additional_data || {}),
                        o2o_earliest_pickup: earliest[location.id],
                    };
                }
            }
        }
        return result;
    },
});

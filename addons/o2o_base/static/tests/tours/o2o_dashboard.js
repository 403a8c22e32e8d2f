import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("o2o_dashboard_tour", {
    url: "/odoo/action-o2o_base.action_o2o_dashboard",
    steps: () => [
        {
            content: "the revenue card is shown",
            trigger: ".o_o2o_dashboard .o_o2o_kpi_revenue .o_o2o_kpi_value",
        },
        {
            content: "show all time",
            trigger: ".o_o2o_dashboard select.o_o2o_period",
            run: "select all",
        },
        {
            content: "the website channel has revenue",
            trigger: '.o_o2o_dashboard .o_o2o_table tbody tr:contains("Website")',
        },
        {
            content: "the share of omnichannel customers is shown",
            trigger: ".o_o2o_dashboard .o_o2o_kpi_omnichannel_share .o_o2o_kpi_value:contains(%)",
        },
        {
            content: "open the pivot",
            trigger: '.o_o2o_dashboard button:contains("Pivot")',
            run: "click",
        },
        {
            content: "the O2O analysis pivot opens",
            trigger: ".o_pivot_view .o_pivot",
        },
    ],
});

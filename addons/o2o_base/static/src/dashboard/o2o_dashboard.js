import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat, formatMonetary, formatPercentage } from "@web/views/fields/formatters";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const { DateTime } = luxon;

const PERIODS = {
    today: () => [DateTime.now().startOf("day"), DateTime.now().endOf("day")],
    last_7_days: () => [DateTime.now().minus({ days: 6 }).startOf("day"), DateTime.now().endOf("day")],
    last_30_days: () => [DateTime.now().minus({ days: 29 }).startOf("day"), DateTime.now().endOf("day")],
    this_month: () => [DateTime.now().startOf("month"), DateTime.now().endOf("day")],
    this_year: () => [DateTime.now().startOf("year"), DateTime.now().endOf("day")],
    all: () => [null, null],
};

/**
 * The O2O dashboard: revenue, orders and average order value per channel and store,
 * share of customers buying in several channels, repeat-purchase rate.
 */
export class O2oDashboard extends Component {
    static template = "o2o_base.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.periods = [
            ["today", _t("Today")],
            ["last_7_days", _t("Last 7 days")],
            ["last_30_days", _t("Last 30 days")],
            ["this_month", _t("This month")],
            ["this_year", _t("This year")],
            ["all", _t("All time")],
        ];
        this.state = useState({
            period: "last_30_days",
            storeId: "",
            channelType: "",
            filters: { stores: [], channel_types: [] },
            data: null,
        });
        onWillStart(async () => {
            this.state.filters = await this.orm.call("o2o.order.report", "get_dashboard_filters", []);
            await this.load();
        });
    }

    get range() {
        const [from, to] = PERIODS[this.state.period]();
        const fmt = (d) => (d ? d.toUTC().toFormat("yyyy-MM-dd HH:mm:ss") : false);
        return [fmt(from), fmt(to)];
    }

    async load() {
        const [dateFrom, dateTo] = this.range;
        this.state.data = await this.orm.call("o2o.order.report", "get_dashboard_data", [], {
            date_from: dateFrom,
            date_to: dateTo,
            store_ids: this.state.storeId ? [parseInt(this.state.storeId)] : [],
            channel_types: this.state.channelType ? [this.state.channelType] : [],
        });
    }

    async onFilterChange(name, ev) {
        this.state[name] = ev.target.value;
        await this.load();
    }

    format(value, kind) {
        if (kind === "monetary") {
            return formatMonetary(value, { currencyId: this.state.data.currency_id });
        }
        if (kind === "percentage") {
            return formatPercentage(value);
        }
        return formatFloat(value, { digits: [false, 0] });
    }

    openAnalysis(extraDomain = [], viewType = "pivot") {
        const viewTypes = [viewType, ...["pivot", "graph", "list"].filter((v) => v !== viewType)];
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("O2O Analysis"),
            res_model: "o2o.order.report",
            views: viewTypes.map((type) => [false, type]),
            domain: [...this.state.data.domain, ...extraDomain],
        });
    }
}

registry.category("actions").add("o2o_base.dashboard", O2oDashboard);

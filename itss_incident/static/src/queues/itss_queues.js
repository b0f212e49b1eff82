import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";

/**
 * The ITSS landing page of the support groups: the queues of the service desk with
 * their counts (helpdesk.ticket.itss_queue_counts, one model method); a click opens
 * the filtered list.
 */
export class ItssQueues extends Component {
    static template = "itss_incident.ItssQueues";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({queues: []});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.queues = await this.orm.call("helpdesk.ticket", "itss_queue_counts", []);
    }

    open(queue) {
        this.action.doAction(queue.action);
    }
}

registry.category("actions").add("itss_incident.queues", ItssQueues);

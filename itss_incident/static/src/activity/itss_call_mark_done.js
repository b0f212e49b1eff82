import {Activity} from "@mail/core/web/activity";
import {ActivityListPopoverItem} from "@mail/core/web/activity_list_popover_item";
import {patch} from "@web/core/utils/patch";

/**
 * Mark Done on an escalation call (in the chatter, or in the activity popover of a
 * list or kanban) opens the Call Outcome dialog: the outcome (reached, not reached,
 * left a message) is recorded on the notification's row as the call is marked done.
 * Any other activity keeps Odoo's own Mark Done. The server decides what is a call
 * (``mail.activity.itss_mark_done_action``).
 */
async function callOutcomeDialog(component, onClose) {
    const action = await component.env.services.orm.call(
        "mail.activity",
        "itss_mark_done_action",
        [[component.props.activity.id]]
    );
    if (!action) {
        return false;
    }
    await component.env.services.action.doAction(action, {onClose});
    return true;
}

patch(Activity.prototype, {
    async onClickMarkAsDone(ev) {
        // the event's target is gone once the call to the server returns
        const target = ev.currentTarget;
        const thread = this.thread;
        const opened = await callOutcomeDialog(this, () => {
            this.props.onActivityChanged(thread);
            this.props.reloadParentView?.();
        });
        if (!opened) {
            return super.onClickMarkAsDone({currentTarget: target});
        }
    },
});

patch(ActivityListPopoverItem.prototype, {
    async onClickMarkAsDone() {
        const opened = await callOutcomeDialog(this, () =>
            this.props.onActivityChanged?.()
        );
        if (!opened) {
            return super.onClickMarkAsDone();
        }
    },
});

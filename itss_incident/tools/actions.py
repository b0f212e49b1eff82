"""Client actions the buttons and dialogs return."""


def toast(message, close_dialog=True, kind="success"):
    """A notification confirming a step (``kind``: success, or warning when nothing
    was done); then the dialog closes (the form under it reloads) or, for a header
    button, the form reloads."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "type": kind,
            "message": message,
            "next": {"type": "ir.actions.act_window_close"}
            if close_dialog
            else {"type": "ir.actions.client", "tag": "soft_reload"},
        },
    }

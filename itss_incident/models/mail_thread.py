from odoo import models

# Passed as the context's ``itss_auto_submitted`` by the mail gateway only: a private
# object, so that no RPC caller's context can mark its own post as automatic.
ITSS_AUTO_SUBMITTED = object()


def is_auto_submitted(message):
    """Whether an incoming email was sent by a machine (auto-reply, out-of-office,
    mailing list): RFC 3834 Auto-Submitted and the usual vendor headers."""
    auto = (message.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if (message.get("X-Auto-Response-Suppress") or "").strip().lower() in (
        "all",
        "oof",
    ):
        return True
    precedence = (message.get("Precedence") or "").strip().lower()
    return precedence in ("bulk", "junk", "list", "auto_reply")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Tell the records (through the context) that the email is automatic, so that
        a closed ticket does not open a new one for an out-of-office reply."""
        if is_auto_submitted(message):
            self = self.with_context(itss_auto_submitted=ITSS_AUTO_SUBMITTED)
        return super()._message_route_process(message, message_dict, routes)

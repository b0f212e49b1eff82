import hashlib
import hmac
import json
import secrets

from dateutil import parser as date_parser
from markupsafe import Markup
from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import compat
from .helpdesk_ticket import TICKET_TYPE_SELECTION
from .itss_priority_matrix import IMPACT_SELECTION, URGENCY_SELECTION


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


@compat.sql_constraints
class ItssAlertSource(models.Model):
    """A monitoring system that raises incidents (自动告警): Prometheus Alertmanager or
    any tool that can POST JSON, authenticated by a secret token."""

    _name = "itss.alert.source"
    _description = "ITSS Alert Source"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    kind = fields.Selection(
        [("alertmanager", "Prometheus Alertmanager"), ("generic", "Generic JSON")],
        required=True,
        default="alertmanager",
        tracking=True,
    )
    # never tracked: the hash of the secret stays out of the chatter; the hint (the
    # token's last characters, shown on the form anyway) records each new token
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    token_hint = fields.Char(
        string="Token",
        readonly=True,
        copy=False,
        tracking=True,
        help="The token's last characters.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        required=True,
        domain="[('itss_tier', '!=', False)]",
        check_company=True,
        tracking=True,
    )
    category_id = fields.Many2one("helpdesk.ticket.category", tracking=True)
    ticket_type = fields.Selection(
        TICKET_TYPE_SELECTION,
        required=True,
        default="incident",
        tracking=True,
    )
    severity_label = fields.Char(
        default="severity",
        required=True,
        tracking=True,
        help="The label that carries the severity.",
    )
    severity_ids = fields.One2many(
        "itss.alert.severity",
        "source_id",
        string="Severity Mapping",
        copy=True,
        tracking=True,
    )
    default_impact = fields.Selection(
        IMPACT_SELECTION, required=True, default="3", tracking=True
    )
    default_urgency = fields.Selection(
        URGENCY_SELECTION, required=True, default="3", tracking=True
    )
    title_labels = fields.Char(
        default="alertname,instance",
        required=True,
        tracking=True,
        help="Comma-separated labels whose values form the ticket title.",
    )
    ci_label = fields.Char(
        string="Configuration Item Label",
        default="instance",
        tracking=True,
        help="The label naming the configuration item (host, service...).",
    )
    group_by_key = fields.Boolean(
        string="One Ticket per Alert Group",
        tracking=True,
        help="Alerts of one Alertmanager group (groupKey) share one ticket.",
    )
    quiet_minutes = fields.Integer(
        string="Quiet Period (minutes)",
        default=lambda self: self.env.company.itss_alert_quiet_minutes,
        tracking=True,
        help="A resolved alert's ticket closes after this many minutes without a new "
        "firing; a firing in between is flapping and goes back on the same ticket.",
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "itss_alert_source_id", string="Tickets"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _sql_constraints = [
        (
            "quiet_positive",
            "CHECK(quiet_minutes >= 0)",
            "The quiet period cannot be negative.",
        ),
    ]

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("itss_alert_source_id", "in", self.ids)],
                ["itss_alert_source_id"],
                ["__count"],
            )
        )
        for source in self:
            source.ticket_count = counts.get(source, 0)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "severity_ids" in fields_list and not values.get("severity_ids"):
            values["severity_ids"] = [
                (0, 0, {"value": value, "impact": impact, "urgency": urgency})
                for value, impact, urgency in (
                    ("critical", "1", "1"),
                    ("error", "2", "2"),
                    ("warning", "3", "3"),
                    ("info", "4", "4"),
                )
            ]
        return values

    def action_generate_token(self):
        """A new secret token, shown once; the old one stops working."""
        self.ensure_one()
        token = secrets.token_urlsafe(32)
        self.sudo().write(
            {"token_hash": hash_token(token), "token_hint": "…" + token[-4:]}
        )
        wizard = self.env["itss.alert.source.token"].create(
            {"source_id": self.id, "token": token}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "itss.alert.source.token",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("itss_alert_source_id", "=", self.id)],
        }

    def _itss_check_token(self, token):
        """Constant-time check of a presented token (sudo: reads the hash)."""
        self.ensure_one()
        stored = self.sudo().token_hash
        return bool(stored and token) and hmac.compare_digest(stored, hash_token(token))

    # Payloads

    def _itss_parse(self, payload):
        """Normalised alerts from an Alertmanager (version 4) or generic payload;
        UserError on a payload that is not one."""
        self.ensure_one()
        if not isinstance(payload, dict):
            raise UserError(self.env._("The payload must be a JSON object."))
        raw = payload.get("alerts")
        if raw is None and self.kind == "generic":
            raw = [payload]
        if not isinstance(raw, list) or not raw:
            raise UserError(self.env._("The payload has no alerts."))
        if len(raw) > 1000:
            raise UserError(self.env._("Too many alerts in one payload."))
        group_key = (
            payload.get("groupKey")
            if isinstance(payload.get("groupKey"), str)
            else None
        )
        alerts = []
        for item in raw:
            if not isinstance(item, dict):
                raise UserError(self.env._("Each alert must be a JSON object."))
            labels = item.get("labels") or {}
            annotations = item.get("annotations") or {}
            if not isinstance(labels, dict) or not isinstance(annotations, dict):
                raise UserError(
                    self.env._("Labels and annotations must be JSON objects.")
                )
            labels = {str(k): str(v) for k, v in labels.items()}
            annotations = {str(k): str(v) for k, v in annotations.items()}
            status = item.get("status") or payload.get("status") or "firing"
            if status not in ("firing", "resolved"):
                raise UserError(
                    self.env._("Unknown alert status %(status)s.", status=status)
                )
            fingerprint = item.get("fingerprint")
            if not fingerprint:
                if not labels:
                    raise UserError(
                        self.env._("An alert needs a fingerprint or labels.")
                    )
                fingerprint = hashlib.sha256(
                    json.dumps(labels, sort_keys=True).encode()
                ).hexdigest()[:16]
            alerts.append(
                {
                    "fingerprint": str(fingerprint)[:200],
                    "key": (
                        group_key
                        if self.group_by_key and group_key
                        else str(fingerprint)
                    )[:200],
                    "status": status,
                    "labels": labels,
                    "annotations": annotations,
                    "title": item.get("title")
                    if isinstance(item.get("title"), str)
                    else None,
                    "starts_at": self._itss_parse_time(
                        item.get("startsAt") or item.get("starts_at")
                    ),
                    "ends_at": self._itss_parse_time(
                        item.get("endsAt") or item.get("ends_at")
                    ),
                    "url": str(item.get("generatorURL") or item.get("url") or "")[
                        :2000
                    ],
                }
            )
        return alerts

    def _itss_parse_time(self, value):
        if not value or not isinstance(value, str) or value.startswith("0001-01-01"):
            return False
        try:
            moment = date_parser.isoparse(value)
        except ValueError as error:
            raise UserError(
                self.env._("Invalid time %(value)s.", value=value)
            ) from error
        if moment.tzinfo:
            moment = moment.astimezone(utc).replace(tzinfo=None)
        return moment.replace(microsecond=0)

    # Intake

    def _itss_ingest(self, alerts):
        """Create, update, resolve the tickets of ``alerts``; returns counts."""
        self.ensure_one()
        counts = {"created": 0, "updated": 0, "resolved": 0}
        Ticket = self.env["helpdesk.ticket"]
        now = fields.Datetime.now()
        open_tickets, closed_tickets = self._itss_alert_tickets(
            list({alert["key"] for alert in alerts})
        )
        for alert in alerts:
            ticket = open_tickets.get(alert["key"])
            if alert["status"] == "firing":
                if ticket:
                    ticket._itss_alert_fired_again(alert, now)
                    counts["updated"] += 1
                else:
                    open_tickets[alert["key"]] = self._itss_alert_ticket(
                        alert, now, closed_tickets.get(alert["key"], Ticket)
                    )
                    counts["created"] += 1
            elif ticket:
                if ticket._itss_alert_resolved(alert, now):
                    counts["resolved"] += 1
        return counts

    def _itss_alert_tickets(self, keys):
        """({fingerprint: open ticket}, {fingerprint: latest closed or cancelled
        ticket, where none is open}) of this source, in one query."""
        Ticket = self.env["helpdesk.ticket"]
        Ticket.flush_model(
            ["itss_alert_source_id", "itss_alert_fingerprint", "itss_state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (itss_alert_fingerprint)
                       itss_alert_fingerprint, id, open
                  FROM helpdesk_ticket,
                       LATERAL (
                           SELECT itss_state IS NULL
                               OR itss_state NOT IN ('closed', 'cancelled')
                       ) AS s(open)
                 WHERE itss_alert_source_id = %s AND itss_alert_fingerprint = ANY(%s)
                 ORDER BY itss_alert_fingerprint, open DESC, id DESC
                """,
                self.id,
                keys,
            )
        )
        open_tickets, closed_tickets = {}, {}
        for key, ticket_id, is_open in self.env.cr.fetchall():
            (open_tickets if is_open else closed_tickets)[key] = Ticket.browse(
                ticket_id
            )
        return open_tickets, closed_tickets

    def _itss_severity(self, labels):
        severity = labels.get(self.severity_label, "").lower()
        line = self.severity_ids.filtered(lambda s: s.value.lower() == severity)[:1]
        if line:
            return line.impact, line.urgency
        return self.default_impact, self.default_urgency

    def _itss_alert_title(self, alert):
        if alert.get("title"):
            return alert["title"][:200]
        labels = alert["labels"]
        parts = [
            labels[name.strip()]
            for name in self.title_labels.split(",")
            if labels.get(name.strip())
        ]
        summary = alert["annotations"].get("summary")
        title = " / ".join(parts) or alert["fingerprint"]
        return (f"{title}: {summary}" if summary else title)[:200]

    def _itss_alert_description(self, alert):
        rows = Markup("").join(
            Markup("<tr><td><code>%s</code></td><td>%s</td></tr>") % (key, value)
            for key, value in sorted(alert["labels"].items())
        )
        notes = Markup("").join(
            Markup("<p><strong>%s</strong>: %s</p>") % (key, value)
            for key, value in sorted(alert["annotations"].items())
        )
        link = (
            Markup('<p><a href="%s" target="_blank">%s</a></p>')
            % (alert["url"], self.env._("Open in the monitoring system"))
            if alert["url"].startswith(("http://", "https://"))
            else Markup("")
        )
        return (
            Markup("<p>%s</p>")
            % self.env._("Raised by the monitoring source %(name)s.", name=self.name)
            + notes
            + Markup('<table class="table table-sm"><tbody>%s</tbody></table>') % rows
            + link
        )

    def _itss_alert_ticket(self, alert, now, closed):
        """A new alert's ticket, its first firing counted; ``closed``: the alert's
        latest closed ticket, if any, which the new one continues."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(mail_create_nolog=True)
            .create(self._itss_alert_ticket_vals(alert, now, closed))
        )
        self.env["itss.alert.firing"]._itss_insert(ticket, now)
        return ticket

    def _itss_alert_ticket_vals(self, alert, now, closed):
        """The values a new alert's ticket is created with (hook)."""
        impact, urgency = self._itss_severity(alert["labels"])
        ci = alert["labels"].get(self.ci_label or "", "")
        return {
            "name": self._itss_alert_title(alert),
            "description": self._itss_alert_description(alert),
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "category_id": self.category_id.id,
            "user_id": False,
            "channel_id": self.env["helpdesk.ticket"]
            ._itss_ref("itss_incident.helpdesk_ticket_channel_monitoring")
            .id,
            "itss_ticket_type": self.ticket_type,
            "itss_impact": impact,
            "itss_urgency": urgency,
            "itss_auto_generated": True,
            "itss_alert_source_id": self.id,
            "itss_alert_fingerprint": alert["key"],
            "itss_alert_first_seen": alert["starts_at"] or now,
            # the fault began when the alert started (never after logging)
            "itss_occurred_date": min(alert["starts_at"] or now, now),
            "itss_alert_ci": ci[:200] or False,
            "itss_alert_url": alert["url"] or False,
            "itss_reopened_from_id": closed.id,
        }


class ItssAlertSeverity(models.Model):
    _name = "itss.alert.severity"
    _description = "ITSS Alert Severity Mapping"
    _order = "source_id, id"

    source_id = fields.Many2one("itss.alert.source", required=True, ondelete="cascade")
    value = fields.Char(string="Severity", required=True)
    impact = fields.Selection(IMPACT_SELECTION, required=True)
    urgency = fields.Selection(URGENCY_SELECTION, required=True)

    @api.depends("value", "impact", "urgency")
    def _compute_display_name(self):
        impacts = dict(self._fields["impact"]._description_selection(self.env))
        urgencies = dict(self._fields["urgency"]._description_selection(self.env))
        for line in self:
            line.display_name = self.env._(
                "%(severity)s: impact %(impact)s, urgency %(urgency)s",
                severity=line.value or "",
                impact=impacts.get(line.impact, ""),
                urgency=urgencies.get(line.urgency, ""),
            )

    def write(self, vals):
        """A line changed in place keeps its id, which the source's tracking of
        ``severity_ids`` does not see: log the old and new mapping on the source."""
        tracked = {"value", "impact", "urgency"} & set(vals)
        old = {line.id: line.display_name for line in self} if tracked else {}
        result = super().write(vals)
        if tracked:
            self.invalidate_recordset(["display_name"])
            for line in self:
                if old[line.id] != line.display_name:
                    line.source_id._message_log(
                        body=self.env._(
                            "Severity mapping changed: %(old)s → %(new)s",
                            old=old[line.id],
                            new=line.display_name,
                        )
                    )
        return result


class ItssAlertSourceToken(models.TransientModel):
    """Shows a new token once."""

    _name = "itss.alert.source.token"
    _description = "ITSS Alert Source Token"

    source_id = fields.Many2one("itss.alert.source", required=True, ondelete="cascade")
    token = fields.Char(readonly=True)
    endpoint = fields.Char(compute="_compute_endpoint")

    @api.depends("source_id")
    def _compute_endpoint(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for wizard in self:
            wizard.endpoint = f"{base}/itss/alert/{wizard.source_id.id}"

import io
import random
import zipfile
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MAX_SAMPLE = 200


class ItssAuditSampleExport(models.TransientModel):
    """The audit sample: N tickets logged in a period, drawn at random with a seed
    that is shown (the same period, filters, number and seed always draw the same
    tickets), each as one audit record PDF in one ZIP file."""

    _name = "itss.audit.sample.export"
    _description = "ITSS Audit Sample Export"

    def _default_seed(self):
        return random.SystemRandom().randint(1, 999999)

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('is_company', '=', True)]",
        help="Only this customer's tickets (empty: every customer).",
    )
    contract_id = fields.Many2one(
        "itss.service.contract",
        string="Service Contract",
        help="Only the tickets of this contract (empty: every contract).",
    )
    sample_size = fields.Integer(
        string="Number of Tickets",
        required=True,
        default=10,
        help="How many tickets to draw (all of the period if it has fewer).",
    )
    seed = fields.Integer(
        required=True,
        default=_default_seed,
        help="The random draw's seed: the same period, filters, number and seed "
        "always draw the same tickets. Keep it with the audit file.",
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket", string="Drawn Tickets", readonly=True
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to", "sample_size")
    def _check_sample(self):
        for export in self:
            if export.date_from > export.date_to:
                raise ValidationError(
                    self.env._("The period must end on or after its first day.")
                )
            if not 1 <= export.sample_size <= MAX_SAMPLE:
                raise ValidationError(
                    self.env._("Draw between 1 and %(max)s tickets.", max=MAX_SAMPLE)
                )

    def _get_candidates_domain(self):
        """ITSS tickets logged in the period (days in the user's time zone, bounds
        inclusive), of the company, optionally of the customer or contract."""
        tz = pytz.timezone(self.env.user.tz or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        domain = [
            ("company_id", "=", self.company_id.id),
            ("itss_tier", "!=", False),
            ("itss_logged_date", ">=", utc(self.date_from)),
            ("itss_logged_date", "<", utc(self.date_to + timedelta(days=1))),
        ]
        if self.partner_id:
            domain.append(("commercial_partner_id", "=", self.partner_id.id))
        if self.contract_id:
            domain.append(("itss_contract_id", "=", self.contract_id.id))
        return domain

    def _itss_draw(self):
        """The drawn tickets: candidates in a stable order (logged date, id), then
        ``random.Random(seed).sample``; returned in logging order."""
        self.ensure_one()
        candidates = self.env["helpdesk.ticket"].search(
            self._get_candidates_domain(), order="itss_logged_date, id"
        )
        if not candidates:
            raise UserError(self.env._("No ticket was logged in this period."))
        count = min(self.sample_size, len(candidates))
        picked = set(random.Random(self.seed).sample(candidates.ids, count))
        return candidates.filtered(lambda ticket: ticket.id in picked)

    def action_export(self):
        """Draw the sample and return the ZIP of its audit records."""
        self.ensure_one()
        tickets = self._itss_draw()
        report = self.env.ref("itss_incident.action_report_itss_audit_record")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for ticket in tickets:
                content, kind = self.env["ir.actions.report"]._render_qweb_pdf(
                    report, ticket.ids
                )
                archive.writestr(f"{ticket.number}.{kind}", content)
            archive.writestr("sample.txt", self._itss_sample_note(tickets))
        self.write(
            {
                "ticket_ids": [(6, 0, tickets.ids)],
                "file": buffer.getvalue(),
                "filename": f"audit-sample-{self.date_from}-{self.date_to}"
                f"-seed{self.seed}.zip",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field=file"
            "&filename_field=filename&download=true",
            "target": "self",
        }

    def _itss_sample_note(self, tickets):
        """How the sample was drawn, for the audit file."""
        return self.env._(
            "Audit sample of %(company)s\n"
            "Period: %(date_from)s to %(date_to)s (logged)\n"
            "Customer: %(customer)s\nContract: %(contract)s\n"
            "Drawn: %(count)s of %(total)s tickets, at random with seed %(seed)s "
            "(candidates ordered by logged date, then id)\n"
            "Tickets: %(numbers)s\n",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
            customer=self.partner_id.display_name or "-",
            contract=self.contract_id.display_name or "-",
            count=len(tickets),
            total=self.env["helpdesk.ticket"].search_count(
                self._get_candidates_domain()
            ),
            seed=self.seed,
            numbers=", ".join(tickets.mapped("number")),
        )

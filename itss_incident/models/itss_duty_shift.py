from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat


@compat.sql_constraints
class ItssDutyShift(models.Model):
    """A service desk agent on duty (当班) for a service desk team, from ``date_start``
    to ``date_end``: who owns the tickets logged then, and who may take over the
    tickets of an owner who is off duty."""

    _name = "itss.duty.shift"
    _description = "ITSS Duty Shift"
    _inherit = ["mail.thread"]
    _order = "date_start, team_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Agent on Duty",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Service Desk Team",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("itss_tier", "=", "1")],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    date_start = fields.Datetime(
        string="From", required=True, index=True, tracking=True
    )
    date_end = fields.Datetime(string="To", required=True, index=True, tracking=True)
    overlap_ids = fields.Many2many(
        "itss.duty.shift",
        string="Overlapping Shifts",
        compute="_compute_coverage",
        help="Other shifts of the same team at the same time (double cover).",
    )
    gap_before = fields.Char(
        string="Uncovered Before",
        compute="_compute_coverage",
        help="Time without anybody on duty for this team before this shift starts.",
    )

    _sql_constraints = [
        ("dates", "CHECK(date_end > date_start)", "A duty shift ends after it starts."),
    ]

    @api.depends("user_id", "team_id", "date_start", "date_end")
    def _compute_name(self):
        for shift in self:
            shift.name = shift._itss_label()

    @api.depends("user_id", "team_id", "date_start")
    @api.depends_context("lang", "tz")
    def _compute_display_name(self):
        # in the reader's language and time zone (the stored name is the writer's)
        for shift in self:
            shift.display_name = shift._itss_label()

    def _itss_label(self):
        self.ensure_one()
        start = self.date_start and fields.Datetime.context_timestamp(
            self, self.date_start
        )
        return self.env._(
            "%(agent)s on duty for %(team)s, %(start)s",
            agent=self.user_id.name or "",
            team=self.team_id.name or "",
            start=start.strftime("%Y-%m-%d %H:%M") if start else "",
        )

    @api.depends("user_id", "team_id", "date_start", "date_end")
    def _compute_coverage(self):
        for shift in self:
            if not (shift.date_start and shift.date_end and shift.team_id):
                shift.overlap_ids = False
                shift.gap_before = False
                continue
            shift.overlap_ids = self.search(
                [
                    ("id", "!=", shift._origin.id),
                    ("team_id", "=", shift.team_id.id),
                    ("date_start", "<", shift.date_end),
                    ("date_end", ">", shift.date_start),
                ]
            )
            team_shifts = self.search(
                [
                    ("team_id", "=", shift.team_id.id),
                    ("id", "!=", shift._origin.id),
                    ("date_start", "<=", shift.date_start),
                    ("date_start", ">", shift.date_start - timedelta(days=7)),
                ]
            )
            covered = max(team_shifts.mapped("date_end"), default=None)
            if covered is None or covered >= shift.date_start:
                shift.gap_before = False
            else:
                minutes = int((shift.date_start - covered).total_seconds() // 60)
                shift.gap_before = self.env._(
                    "%(hours)s h %(minutes)s min",
                    hours=minutes // 60,
                    minutes=minutes % 60,
                )

    @api.constrains("user_id", "date_start", "date_end")
    def _check_no_double_shift(self):
        for shift in self:
            double = self.search(
                [
                    ("id", "!=", shift.id),
                    ("user_id", "=", shift.user_id.id),
                    ("date_start", "<", shift.date_end),
                    ("date_end", ">", shift.date_start),
                ],
                limit=1,
            )
            if double:
                raise ValidationError(
                    self.env._(
                        "%(agent)s is already on duty then (%(shift)s).",
                        agent=shift.user_id.name,
                        shift=double.name,
                    )
                )

    @api.model
    def _itss_on_duty(self, company, moment, team=None):
        """The agents on duty at ``moment`` at ``company``'s service desk; those of
        ``team``, when given, first."""
        shifts = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("date_start", "<=", moment),
                ("date_end", ">", moment),
            ]
        )
        if team:
            shifts = shifts.sorted(lambda s: (s.team_id != team, s.date_start, s.id))
        return shifts.user_id

    @api.model
    def _itss_demo_roster(self, weeks_back=27, days_ahead=14):
        """Demo only: the service desk's roster, a day shift (08:00-20:00 Shanghai time)
        and a night shift (20:00-08:00) every day, from ``weeks_back`` weeks ago to
        ``days_ahead`` days ahead; next Sunday's night is left uncovered (a gap)."""
        ref = self.env.ref
        team = ref("itss_incident.helpdesk_team_service_desk_demo")
        day_agent = ref("itss_incident.user_itss_desk_demo")
        night_agent = ref("itss_incident.user_itss_desk_night_demo")
        tz = pytz.timezone("Asia/Shanghai")
        today = datetime.now(tz).date()
        gap = today + timedelta(days=(6 - today.weekday()) or 7)
        vals_list = []
        day = today - timedelta(weeks=weeks_back)
        while day <= today + timedelta(days=days_ahead):
            morning = tz.localize(datetime.combine(day, time(8))).astimezone(pytz.utc)
            evening = morning + timedelta(hours=12)
            vals_list.append(
                {
                    "team_id": team.id,
                    "user_id": day_agent.id,
                    "date_start": morning.replace(tzinfo=None),
                    "date_end": evening.replace(tzinfo=None),
                }
            )
            if day != gap:
                vals_list.append(
                    {
                        "team_id": team.id,
                        "user_id": night_agent.id,
                        "date_start": evening.replace(tzinfo=None),
                        "date_end": (evening + timedelta(hours=12)).replace(
                            tzinfo=None
                        ),
                    }
                )
            day += timedelta(days=1)
        return self.create(vals_list)

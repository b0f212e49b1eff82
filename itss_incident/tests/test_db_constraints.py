"""Every constraint DESIGN.md names, and every SQL constraint the models declare, is in
the database, on the series the tests run on (19.0 ignores ``_sql_constraints``: the
models declare them through ``compat.sql_constraints``)."""

from odoo.modules.registry import Registry
from odoo.tests.common import TransactionCase, tagged

from odoo.addons.itss_incident import compat

OUR_MODULES = ("itss_incident", "itss_incident_major", "itss_incident_knowledge")


@tagged("post_install", "-at_install")
class TestDatabaseConstraints(TransactionCase):
    def _constraint(self, table, name):
        self.env.cr.execute(
            """
            SELECT pg_get_constraintdef(c.oid)
              FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
             WHERE t.relname = %s AND c.conname = %s
            """,
            [table, name],
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _index(self, table, name):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, name],
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def test_design_constraints(self):
        # DESIGN.md, "Companies": the matrix has UNIQUE(company_id, impact, urgency)
        self.assertEqual(
            self._constraint(
                "itss_priority_matrix", "itss_priority_matrix_cell_unique"
            ),
            "UNIQUE (company_id, impact, urgency)",
        )
        # "Escalation": nothing fires twice for one due point
        self.assertIn(
            "(ticket_id, kind, COALESCE(rule_id, 0), sequence, channel)",
            self._index("itss_escalation_log", "itss_escalation_log_due_point_uniq"),
        )
        # "Alerts": one open ticket per (source, fingerprint)
        alert = self._index("helpdesk_ticket", "helpdesk_ticket_itss_alert_open_uniq")
        self.assertIn("UNIQUE INDEX", alert)
        self.assertIn("(itss_alert_source_id, itss_alert_fingerprint)", alert)
        self.assertIn("closed", alert)
        # "Configuration items" and "Service contracts": code unique per company
        for table in ("itss_configuration_item", "itss_service_contract"):
            self.assertEqual(
                self._constraint(table, f"{table}_code_company_uniq"),
                "UNIQUE (code, company_id)",
            )

    def test_every_declared_constraint_exists(self):
        declared = 0
        registry = Registry(self.env.cr.dbname)
        for name in registry:
            model = self.env[name]
            if model._abstract or not model._auto:
                continue
            for key in compat.declared_constraints(model, OUR_MODULES):
                declared += 1
                with self.subTest(model=name, constraint=key):
                    self.assertTrue(
                        self._constraint(model._table, f"{model._table}_{key}"),
                        f"{name}: constraint {key} missing in the database",
                    )
        self.assertGreaterEqual(declared, 17)

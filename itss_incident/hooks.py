def post_init_hook(env):
    """Companies that exist already get a copy of the shipped configuration, and the
    tickets that exist already get their ITSS priority."""
    env["res.company"].search([])._itss_copy_company_data()
    tickets = env["helpdesk.ticket"].with_context(active_test=False).search([])
    env.add_to_compute(tickets._fields["itss_priority"], tickets)
    tickets.flush_recordset(["itss_priority"])

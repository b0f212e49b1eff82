def post_init_hook(env):
    """Companies that exist already get a copy of the shipped priority matrix, and
    the tickets that exist already get their ITSS priority."""
    matrix = env["itss.priority.matrix"]
    for company in env["res.company"].search([]):
        matrix._itss_copy_to_company(company)
    tickets = env["helpdesk.ticket"].with_context(active_test=False).search([])
    env.add_to_compute(tickets._fields["itss_priority"], tickets)
    tickets.flush_recordset(["itss_priority"])

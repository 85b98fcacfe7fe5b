"""Pages of the fees app: the cluster manager's (plans, billing, memberships, invoices,
reports) and the organisation admin's (its membership and invoices)."""

import rules

from clusters.rules import is_network_admin

rules.add_perm("portal.view_audit_log", is_network_admin)

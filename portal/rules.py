import rules

from clusters.rules import is_network_admin

rules.add_perm("portal.view_audit_log", is_network_admin)

from clusters.rules import is_any_cluster_manager  # noqa: E402

rules.add_perm("portal.view_cluster_insights", is_any_cluster_manager | is_network_admin)
rules.add_perm("portal.view_network_insights", is_network_admin)

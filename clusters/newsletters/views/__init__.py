"""Pages of the newsletters: unsubscribe (no sign-in) and a person's email preferences."""

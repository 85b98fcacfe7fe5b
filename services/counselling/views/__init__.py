"""Views of the services app: the catalogue and counselling requests."""

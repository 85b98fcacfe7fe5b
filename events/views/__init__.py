"""The events views: member pages (member.py) and the event manager's (manager.py)."""

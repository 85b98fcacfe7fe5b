"""The meeting views: participant pages (member.py) and the event manager's (manager.py)."""

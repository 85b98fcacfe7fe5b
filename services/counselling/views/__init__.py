"""Views of counselling requests: the member's (member.py), the staff's lists and queue
(staff.py), and the request page both share (detail.py)."""

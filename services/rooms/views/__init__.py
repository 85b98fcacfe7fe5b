"""Views of the rooms app: parse input, call an action or a selector, render.

finder: finding a room, a room's week. bookings: a member's bookings.
manage_rooms, manage_bookings: what the rooms' managers see and do.
"""

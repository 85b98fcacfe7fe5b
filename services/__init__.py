"""Services a cluster offers its members: counselling (services.counselling) and rooms
(services.rooms), two apps that share no import."""

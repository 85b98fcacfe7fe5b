class ActionError(Exception):
    """A business rule refused an action; the message is shown to the person as is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

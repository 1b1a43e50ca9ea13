class WorkflowError(Exception):
    """A state change that is not allowed now; the message says why, for the user."""

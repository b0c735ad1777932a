"""The call handlers' console."""

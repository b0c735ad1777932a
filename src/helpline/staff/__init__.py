"""Staff: accounts with roles, login sessions, and the audit log."""

"""/dashboard: the impact dashboard for supervisors, read only from the per-day counters in
helpline.metrics (counts, never message text). See docs/dashboard.md."""

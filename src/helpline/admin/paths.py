"""The addresses of one resource and one topic, relative to /admin: the editor's pages use them
as they are, its JSON API under /api. The patterns are the ones content/model.py (resource ids)
and content/store.py (topic names) accept."""

RESOURCE = "/resources/{rid:[a-z0-9][a-z0-9-]{0,62}}"
TOPIC = "/topics/{name:[a-z0-9_]{1,64}}"

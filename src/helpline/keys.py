"""Every Redis key the helpline uses, built in one place.

Both the gateway (Python 3.11) and the Rasa action server (Python 3.10) import this module,
so it stays standard-library only and 3.10-compatible. Rasa's own tracker and lock keys use
the same ``hl`` prefix (see ``bot/endpoints.yml``).
"""

from __future__ import annotations

PREFIX = "hl"

# Conversation keys: each carries the retention TTL (see ConversationStore.touch).
def conversation(conversation_id: str) -> str:
    """Hash: state, created/updated times, risk level."""
    return f"{PREFIX}:conv:{conversation_id}"


def messages(conversation_id: str) -> str:
    """Stream: every message of the conversation, in order, young person, bot and staff."""
    return f"{PREFIX}:conv:{conversation_id}:messages"


def client_ids(conversation_id: str) -> str:
    """Hash: client message id -> stream id, so that a retried message is stored once."""
    return f"{PREFIX}:conv:{conversation_id}:client_ids"


def resume(token_digest: str) -> str:
    """String: SHA-256 of a resume token -> conversation id (the token itself is never stored)."""
    return f"{PREFIX}:resume:{token_digest}"


def notes(conversation_id: str) -> str:
    """Stream: handlers' private notes on the conversation (never shown to the young person)."""
    return f"{PREFIX}:conv:{conversation_id}:notes"


def delivered(conversation_id: str) -> str:
    """Set: stream ids of handler messages that reached the young person's screen."""
    return f"{PREFIX}:conv:{conversation_id}:delivered"


def conversation_keys(conversation_id: str) -> list[str]:
    """The keys that live and expire with one conversation."""
    return [conversation(conversation_id), messages(conversation_id), client_ids(conversation_id),
            notes(conversation_id), delivered(conversation_id)]


# The human queue: sorted set of conversation ids, scored by risk then waiting time.
QUEUE = f"{PREFIX}:queue"

# Who holds which conversation: hash conversation id -> handler name (read by the reaper that
# sends a conversation back to the queue when its handler's connection is lost), and per handler
# a set of the conversations they hold (their open count against the limit).
HELD = f"{PREFIX}:held"


def held_by(name: str) -> str:
    return f"{PREFIX}:staff:held:{name}"


def presence(name: str) -> str:
    """String with a TTL of the grace period, renewed while any of the handler's consoles is open."""
    return f"{PREFIX}:staff:presence:{name}"


# List of recent waits, newest first, each "taken at ms:waited ms": the honest wait estimate.
WAITS = f"{PREFIX}:waits"

# The dashboard's figures, kept as things happen, without a TTL (they outlive the transcripts):
# per helpline day (Europe/London), counters and the seconds each young person waited for a person.
def stats_day(day: str) -> str:
    """Hash: counter name -> count, for one day (YYYY-MM-DD)."""
    return f"{PREFIX}:stats:day:{day}"


def stats_waits(day: str) -> str:
    """List: seconds from escalation to a handler, one entry per conversation taken that day."""
    return f"{PREFIX}:stats:waits:{day}"


# Canned replies for handlers: hash id -> JSON {title, text}; supervisors edit them.
CANNED = f"{PREFIX}:console:canned"
CANNED_SEEDED = f"{PREFIX}:console:canned-seeded"

# Pub/sub channels: what happens, for every gateway process (the data itself is in the keys).
EVENTS_PATTERN = f"{PREFIX}:ev:*"
QUEUE_EVENTS = f"{PREFIX}:ev:queue"


def conversation_events(conversation_id: str) -> str:
    return f"{PREFIX}:ev:conv:{conversation_id}"


def staff_events(name: str) -> str:
    """A conversation was given to this handler (taken on another console, or transferred)."""
    return f"{PREFIX}:ev:staff:{name}"


# Signposting content, seeded from data/content/ and edited live by staff.
CONTENT_RESOURCE_IDS = f"{PREFIX}:content:resources"  # set of resource ids


def content_resource(resource_id: str) -> str:
    """String: one resource as JSON."""
    return f"{PREFIX}:content:resource:{resource_id}"


CONTENT_TOPICS = f"{PREFIX}:content:topics"  # hash: topic -> JSON {"intro", "resources"}
CONTENT_SEEDED = f"{PREFIX}:content:seeded"  # string: when the seed was loaded

# Staff: accounts, login sessions, login throttling, and the audit log (kept without a TTL:
# it must outlive the transcripts it records views of).
STAFF_ACCOUNTS = f"{PREFIX}:staff:accounts"  # set of account names


def staff_account(name: str) -> str:
    """Hash: role, password hash, must_change, disabled, created."""
    return f"{PREFIX}:staff:account:{name}"


def staff_session(token_digest: str) -> str:
    """Hash: account name, role, CSRF token; expires with the login."""
    return f"{PREFIX}:staff:session:{token_digest}"


def login_failures(kind: str, who: str) -> str:
    """Counter of failed logins for an account or an address, expiring with the lock-out window."""
    return f"{PREFIX}:staff:login-failures:{kind}:{who}"


AUDIT = f"{PREFIX}:audit"  # stream: who, what, when

# Rasa's tracker store and lock store prefix (bot/endpoints.yml must agree).
RASA_KEY_PREFIX = PREFIX

# Content versions (the editor): every change to a resource or a topic is a new entry, oldest
# first, each JSON {"at", "by", "action", "note", "data"}; version n is entry n (1-based). Kept
# without a TTL, like the audit log: the history must outlive any one change.
def content_resource_versions(resource_id: str) -> str:
    """List: the versions of one resource."""
    return f"{PREFIX}:content:versions:resource:{resource_id}"


def content_topic_versions(topic: str) -> str:
    """List: the versions of one topic's answer (intro and resources in order)."""
    return f"{PREFIX}:content:versions:topic:{topic}"

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


def conversation_keys(conversation_id: str) -> list[str]:
    """The keys that live and expire with one conversation."""
    return [conversation(conversation_id), messages(conversation_id), client_ids(conversation_id)]


# The human queue: sorted set of conversation ids, scored by risk then waiting time.
QUEUE = f"{PREFIX}:queue"

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

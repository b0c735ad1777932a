"""Signposting content: the services the bot points young people to.

Shared by the gateway and the Rasa action server (Python 3.10): standard library, PyYAML and
redis-py's asyncio client only.
"""

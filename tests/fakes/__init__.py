"""Local fake servers of the Telegram Bot API and of Zalo's OpenAPI and OAuth endpoints.

Real HTTP servers on free loopback ports (run in a thread of the test process), built from
the payloads in shared/reference/payloads/. They record what they receive and can be told to
answer like the real services do when things go wrong: 429 with retry_after, -216.
"""

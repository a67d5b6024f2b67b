"""The channel gateway: one ASGI app that receives Telegram and Zalo webhooks, talks to Rasa's
REST channel on each user's behalf, and renders the answers for the channel they came from."""

"""Telegram channel (python-telegram-bot 22): webhook or polling, rendering, media."""

"""Conversation storage for the Rasa server, configured from the environment (endpoints.yml)."""

"""Rasa channel connectors: the web channels (``rest``, ``socketio``: input checks in
``inputs.py``, a reply even when no answer could be fetched in ``web.py``) and the
messaging apps: Telegram, Slack, Facebook Messenger, Twilio (SMS and WhatsApp).

Each module holds a connector that subclasses Rasa's own and is listed in credentials.yml by
its module path (``channels.telegram.TelegramChannel``). A connector reads its settings from
environment variables (``settings.py`` lists them); when one is missing the channel is off:
it keeps its name, has no webhook route, and the server starts without it.

``settings`` and ``buttons`` do not import Rasa, so the launcher can use them cheaply.
"""

"""Changes to the Rasa 3.6.21 server itself, in one place, each with its reason.

Rasa has no plugin hook for its HTTP server; the one piece of project code it loads from the
server's configuration before it serves is the channels of credentials.yml. So this package
registers one entry there, ``rasa_extensions.RasaServerExtensions`` (not a chat channel: it has
no webhook), which installs:

- ``api_input_checks``: a 400 instead of Rasa's HTTP 500 for malformed bodies on its HTTP API
  (/model/parse, /conversations/<id>/messages);
- ``server_tuning``: two hot paths of Rasa 3.6.21 made cheap, same behaviour (README,
  "Benchmarks"); applied only on the Rasa version they were written for.

Remove its entry from credentials.yml and Rasa runs as shipped.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from rasa_extensions import server_tuning
from rasa_extensions.api_input_checks import GuardBlueprint


class RasaServerExtensions(InputChannel):
    """Installs the extensions when the Rasa server loads the channels of credentials.yml."""

    @classmethod
    def name(cls) -> str:
        return "rasa_extensions"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "RasaServerExtensions":
        server_tuning.install()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """No routes: registering it installs the API input checks' request middleware."""
        return GuardBlueprint("lupus_rasa_extensions", __name__)

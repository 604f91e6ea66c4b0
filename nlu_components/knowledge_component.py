"""Base of the project's NLU components that hold no settings and learn nothing: what they
look for lives in knowledge/, loaded once per process (lupus_faq.language)."""

from __future__ import annotations

from typing import Any, Dict, Text, Type, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

_Component = TypeVar("_Component", bound="KnowledgeComponent")


class KnowledgeComponent(GraphComponent):
    """A component built the same way whatever Rasa passes: no settings, no trained state."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No settings: what the component looks for lives in knowledge/."""
        return {}

    @classmethod
    def create(
        cls: Type[_Component],
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Component:
        """Builds the component (the knowledge is loaded once per process)."""
        return cls()

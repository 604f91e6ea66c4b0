"""Lupus Biologics Assistant in plain Python (PyYAML only; nothing here imports Rasa).

Layers, each importing only the ones above it:

- ``knowledge``: the curated YAML of knowledge/ (answers, routes, messages, the dialogue
  table) and the source page;
- ``language``: what a message says in words (medicines, ages and whom it is about, ratings,
  numbered choices, topics the page does not cover, other languages);
- ``safety``: emergencies recognised by their words;
- ``dialogue``: facts about a message -> the decision table -> the reply.

The Rasa actions (actions/), NLU components (nlu_components/) and channels (channels/) are thin
adapters; NLU components and channels use ``language`` and ``safety`` only.
"""

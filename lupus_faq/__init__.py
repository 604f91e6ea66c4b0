"""Lupus Biologics Assistant: knowledge base, answer routing and safety checks.

Plain Python (PyYAML only). Nothing here imports Rasa: the Rasa actions and NLU components
are thin adapters over these modules, so the logic is testable on its own and outlives the
framework.
"""

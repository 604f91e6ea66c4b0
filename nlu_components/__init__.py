"""Custom Rasa NLU components of the Lupus Biologics Assistant (thin adapters over lupus_faq)."""

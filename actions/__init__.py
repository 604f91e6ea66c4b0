"""Custom actions: thin Rasa SDK adapters over the lupus_faq package."""

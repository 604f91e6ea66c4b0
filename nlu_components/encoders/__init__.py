"""Pretrained encoders that ship inside PyPI packages, read from disk after their checksums
are verified; never downloaded at run time. Plain numpy: no Rasa, no torch."""

"""Accuracy benchmarks of the assistant: `python -m eval.run [--quick]` (make eval).

NLU (held-out set and cross-validation) for the project's pipeline and three baselines, then
answer-level accuracy through the running server, then a check that every sentence the
server said comes from the curated texts. Results: docs/benchmarks-accuracy.md.
"""

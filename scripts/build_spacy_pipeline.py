"""Build the project's spaCy pipeline and install it into .venv as the package en_lupus_biologics.

Blank English + lookup lemmatizer (tables from spacy-lookups-data, saved into the pipeline) +
entity_ruler with patterns generated from knowledge/vocabulary.yml. Nothing is downloaded.
Rasa's SpacyNLP then loads it by package name, from any directory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import spacy
from spacy.cli.package import package
from spacy.util import compile_prefix_regex

from lupus_faq.knowledge import load_knowledge
from lupus_faq.language import load_language
from lupus_faq.language.spacy_patterns import spacy_patterns

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "lupus_biologics"  # spaCy prefixes the language: en_lupus_biologics
VERSION = "1.0.0"


def build_pipeline() -> spacy.language.Language:
    """The blank English pipeline with lemmatizer and entity_ruler."""
    nlp = spacy.blank("en")
    # French elisions are words of their own ("l'anifrolumab", "qu'est-ce"): a prefix rule,
    # so that the entity_ruler and the features see "anifrolumab". English contractions are
    # untouched ("I'm" starts with "i", "can't" has no apostrophe after its first letter).
    prefixes = [*nlp.Defaults.prefixes, r"(?:[Qq][Uu]|[CcDdJjLlMmNnSsTt])['’](?=\w)"]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # initialize() loads the lookup tables; it must come before the ruler gets its patterns.
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(spacy_patterns(load_language(load_knowledge()).lexicon))
    nlp.meta.update(
        {
            "name": PACKAGE_NAME,
            "version": VERSION,
            "description": "Lupus Biologics Assistant: blank English, lookup lemmatizer, "
            "entity_ruler generated from knowledge/vocabulary.yml",
            "license": "project-internal",
        }
    )
    return nlp


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Send stdout and stderr (ours and our subprocesses') to /dev/null for a while."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            for fd, copy in zip((1, 2), saved):
                os.dup2(copy, fd)
                os.close(copy)


def main() -> None:
    """Build to build/spacy, package it, and pip-install the package into this interpreter."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "spacy")
    args = parser.parse_args()

    model_dir, dist_dir = args.out / "model", args.out / "dist"
    for directory in (model_dir, dist_dir):
        shutil.rmtree(directory, ignore_errors=True)
    nlp = build_pipeline()
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(model_dir)
    print(
        f"==> spaCy pipeline {nlp.pipe_names} with {len(nlp.get_pipe('entity_ruler'))} "
        f"patterns written to {model_dir.relative_to(ROOT)}"
    )

    dist_dir.mkdir(parents=True)
    # spacy.cli's Python API: its command line breaks with the click version Rasa pulls in.
    with _quiet():  # `setup.py sdist` lists every file it copies, and warns of no LICENSE
        package(
            model_dir, dist_dir, name=PACKAGE_NAME, version=VERSION, create_sdist=True, force=True
        )
    sdist = next(dist_dir.glob(f"en_{PACKAGE_NAME}-{VERSION}/dist/*.tar.gz"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--force-reinstall",
            str(sdist),
        ],
        check=True,
    )
    print(f"==> installed en_{PACKAGE_NAME} {VERSION} into {sys.prefix}")


if __name__ == "__main__":
    main()

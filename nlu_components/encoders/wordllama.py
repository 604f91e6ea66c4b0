"""WordLlama static token embeddings (256 dimensions), averaged over a sentence.

The weights and tokenizer come from the PyPI wheel ``wordllama`` 0.4.0.post1 (MIT), installed
without its dependencies (its Python package needs numpy 2, which Rasa 3.6 cannot have; only
its two data files are read). Both files are checked against the SHA-256 recorded here (the
files of that wheel) before use.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

PACKAGE = "wordllama"
SOURCE = "dleemiller/WordLlama l2_supercat_256 (PyPI wordllama 0.4.0.post1)"
LICENCE = "MIT"
FILES = {
    "weights/l2_supercat_256.safetensors":
        "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    "tokenizers/l2_supercat_tokenizer_config.json":
        "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
}
DIMENSION = 256


def package_dir() -> Path:
    """Where the wheel's files are (the package itself is never imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {PACKAGE} wheel is not installed: run `make setup`")
    return Path(list(spec.submodule_search_locations)[0])


def read_verified(path: Path, expected: str) -> bytes:
    """A file's bytes, after checking its SHA-256."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise RuntimeError(f"{path} has sha256 {digest}, expected {expected}")
    return data


@dataclass
class WordLlama:
    """Token embeddings and their tokenizer."""

    table: np.ndarray
    tokenizer: object

    @classmethod
    def load(cls, folder: Optional[Path] = None) -> "WordLlama":
        """Read and verify the two files of the installed wheel (or of ``folder``)."""
        from safetensors.numpy import load as load_safetensors
        from tokenizers import Tokenizer

        folder = folder or package_dir()
        (weights, tokenizer) = (read_verified(folder / name, digest)
                                for name, digest in FILES.items())
        tensors = load_safetensors(weights)
        table = next(iter(tensors.values())).astype(np.float32)
        return cls(table, Tokenizer.from_str(tokenizer.decode("utf-8")))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised embedding per text: the mean of its token vectors."""
        out = np.zeros((len(texts), DIMENSION), np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(list(texts))):  # type: ignore[attr-defined]
            ids = [i for i in encoding.ids if i > 2]  # not <unk>, <s>, </s>
            if ids:
                vector = self.table[ids].mean(0)
                out[row] = vector / (np.linalg.norm(vector) or 1.0)
        return out


@lru_cache(maxsize=1)
def shared() -> WordLlama:
    """The encoder, loaded once per process."""
    return WordLlama.load()

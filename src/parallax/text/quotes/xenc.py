"""A MiniLM cross-encoder that scores (quote in context, candidate speaker) pairs.

The model is all-MiniLM-L6-v2 fine-tuned as a cross-encoder on PolNeAR train by
``bench/train_speaker_xenc.py`` (in a separate training venv with torch), exported to ONNX and
quantised to int8 (``data/speaker_xenc.onnx``); it runs here on onnxruntime with the WordPiece
tokenizer the embedder already uses (:func:`parallax.text.embed._tokenizer_file`). No torch.

A pair is the candidate's name (first segment) and the text around the quote (second segment): a
few dozen words before the quote's opening mark and after its closing mark, the quote itself cut
to its first and last words when long, the quote between ``[unused0]`` and ``[unused1]`` and each
mention of the candidate in the window between ``[unused2]`` and ``[unused3]`` (word pieces of the
vocabulary, added as special tokens so they stay whole). The score is the probability that the
candidate said the quote.

:func:`pair_text` is the one place the text is built: the training script imports it, so training
and use see the same input.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("data") / "speaker_xenc.onnx"
MAX_TOKENS = 96
BEFORE_CHARS = 180  # context before the quote's opening mark
AFTER_CHARS = 140  # context after its closing mark
QUOTE_HEAD_WORDS = 12  # a long quote keeps its first and last words
QUOTE_TAIL_WORDS = 4
MARKS = ("[unused0]", "[unused1]", "[unused2]", "[unused3]")
# One pair a run: the int8 model's activations are quantised on the fly with one scale per tensor,
# so a pair's score would depend on the other pairs of its batch (up to 0.2 in probability, measured
# on PolNeAR dev pairs); alone, each pair's score is the same in training, tuning and use.
BATCH_SIZE = 1

_lock = threading.Lock()


def _clip_words(text: str, keep_left: bool, chars: int) -> str:
    """``text`` cut to about ``chars`` characters at a word boundary, keeping its left or right end."""
    if len(text) <= chars:
        return text
    if keep_left:
        cut = text[:chars]
        return cut[: cut.rfind(" ")] if " " in cut else cut
    cut = text[-chars:]
    return cut[cut.find(" ") + 1 :] if " " in cut else cut


def _short_quote(quote: str) -> str:
    words = quote.split()
    if len(words) <= QUOTE_HEAD_WORDS + QUOTE_TAIL_WORDS + 2:
        return quote
    return " ".join(words[:QUOTE_HEAD_WORDS]) + " … " + " ".join(words[-QUOTE_TAIL_WORDS:])


def pair_text(text: str, start: int, end: int, name: str, spans: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """The (candidate, context) pair of the quote ``text[start:end]`` (its words, inside the marks;
    ``end`` the end of its last continued part) and a candidate ``name`` with mention ``spans``."""
    lo = max(0, start - BEFORE_CHARS)
    hi = min(len(text), end + AFTER_CHARS)
    inside = [(s, e) for s, e in spans if lo <= s and e <= hi and not (start <= s < end)]
    inside = sorted(set(inside))

    def marked(a: int, b: int) -> str:
        out, at = [], a
        for s, e in inside:
            if s < at or e > b:
                continue
            out.append(text[at:s])
            out.append(f" {MARKS[2]} {text[s:e]} {MARKS[3]} ")
            at = e
        out.append(text[at:b])
        return "".join(out)

    before = _clip_words(marked(lo, start), keep_left=False, chars=BEFORE_CHARS + 40)
    after = _clip_words(marked(end, hi), keep_left=True, chars=AFTER_CHARS + 40)
    context = f"{before} {MARKS[0]} {_short_quote(text[start:end])} {MARKS[1]} {after}"
    return name, " ".join(context.split())


class SpeakerCrossEncoder:
    """The ONNX cross-encoder: :meth:`score` gives one probability per (candidate, context) pair."""

    def __init__(self, path: Path = MODEL_PATH, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from ..embed import _tokenizer_file

        tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
        tokenizer.add_special_tokens(list(MARKS))
        tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads if threads is not None else int(os.environ.get("PARALLAX_EMBED_THREADS", "1"))
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """The probability of each (name, context) pair that the name is the speaker."""
        out = np.zeros(len(pairs), dtype=np.float32)
        if not pairs:
            return out
        encodings = self.tokenizer.encode_batch([tuple(p) for p in pairs])
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                e = encodings[i]
                n = len(e.ids)
                ids[r, :n], types[r, :n], mask[r, :n] = e.ids, e.type_ids, 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            (logits,) = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})
            out[rows] = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float32).reshape(-1)))
        return out


_cache: dict[Path, Any] = {}


def load_cross_encoder(path: Path = MODEL_PATH) -> SpeakerCrossEncoder | None:
    """The shipped cross-encoder (loaded once), or None when the model file is missing or
    onnxruntime cannot load it (the tree ranker then works alone)."""
    with _lock:
        if path not in _cache:
            model = None
            if path.exists():
                try:
                    model = SpeakerCrossEncoder(path)
                except Exception as err:  # noqa: BLE001 (onnxruntime raises its own types) a broken or foreign file: say so once, rank without it
                    log.warning("speaker cross-encoder %s not loaded: %s", path, err)
            _cache[path] = model
        return _cache[path]


@lru_cache(maxsize=1)
def enabled() -> bool:
    """``PARALLAX_SPEAKER_XENC=0`` turns the cross-encoder off (the tree ranker alone)."""
    return os.environ.get("PARALLAX_SPEAKER_XENC", "1") != "0"

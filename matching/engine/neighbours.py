"""Each peer's most similar compatible peers, and the candidate pairs they make.

Found exactly, chunk by chunk, without ever holding an n x n matrix.
"""

from __future__ import annotations

import numpy as np

from .rules import Rules
from .similarity import pair_similarity

_CHUNK_CELLS = 4_000_000


def chunks(n: int, width: int | None = None):
    """Row ranges whose score blocks (rows x width) stay around 4 million cells."""
    rows = max(1, min(n, _CHUNK_CELLS // max(width or n, 1)))
    for start in range(0, n, rows):
        yield start, min(n, start + rows)


def nearest(vectors: np.ndarray, rules: Rules, k: int, pool: np.ndarray | None = None):
    """The k most similar compatible peers of every peer in the pool (-1 where fewer).

    Rows follow the pool order; neighbour ids are peer indices.  Works chunk by chunk so
    memory stays small whatever the number of peers.
    """
    pool = np.arange(len(vectors)) if pool is None else np.asarray(pool, dtype=np.int64)
    n = len(pool)
    k = max(1, min(k, n - 1))
    neighbours = np.full((n, k), -1, dtype=np.int64)
    similarity = np.full((n, k), -np.inf, dtype=np.float32)
    if n == 0:
        return neighbours, similarity
    targets = vectors[pool].T
    for start, stop in chunks(n):
        scores = vectors[pool[start:stop]] @ targets
        np.copyto(scores, -np.inf, where=rules.blocked(pool[start:stop], pool))
        top = _top_k(scores, k)
        values = np.take_along_axis(scores, top, axis=1)
        neighbours[start:stop] = np.where(np.isfinite(values), pool[top], -1)
        similarity[start:stop] = values
    return neighbours, similarity


_BLOCK = 128


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest scores in each row.

    Rows are cut into blocks of 128; the k largest values lie in the k blocks with the
    largest maxima, so only those blocks are searched (the same answer, much less work).
    """
    rows, n = scores.shape
    if n < 16 * _BLOCK or k * _BLOCK * 4 > n:
        return np.argpartition(scores, n - k, axis=1)[:, n - k :]
    maxima = np.maximum.reduceat(scores, np.arange(0, n, _BLOCK), axis=1)
    blocks = np.argpartition(maxima, maxima.shape[1] - k, axis=1)[:, maxima.shape[1] - k :]
    columns = (blocks[:, :, None] * _BLOCK + np.arange(_BLOCK)).reshape(rows, -1)
    outside = columns >= n
    columns[outside] = n - 1
    values = np.take_along_axis(scores, columns, axis=1)
    values[outside] = -np.inf
    best = np.argpartition(values, values.shape[1] - k, axis=1)[:, values.shape[1] - k :]
    return np.take_along_axis(columns, best, axis=1)


def edges(neighbours: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, ...]:
    """Unique candidate pairs (a < b) with their exact similarity."""
    n, k = neighbours.shape
    rows = np.repeat(np.arange(n), k)
    cols = neighbours.ravel()
    valid = cols >= 0
    a = np.minimum(rows[valid], cols[valid])
    b = np.maximum(rows[valid], cols[valid])
    _, first = np.unique(a * n + b, return_index=True)
    a, b = a[first], b[first]
    return a, b, pair_similarity(vectors, a, b)

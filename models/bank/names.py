"""Whether a payer's name on a bank statement is a client's: names folded and compared.

Accents, case, punctuation, legal forms (SARL, SAS...), civilities and the words banks add
("VIR SEPA RECU DE") are ignored; then the names are the same, one is the other cut short
(banks truncate names), or they differ by a typo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

from models.importing.headers import fold

CLOSE = 0.85  # at or above: the payer is taken to be the client (a "likely" match)
# Words that say nothing of who pays: legal forms, civilities, small words, banks' own words.
_NOISE_LINES = (
    "sarl sas sasu sa eurl sci snc scop scp selarl selas selafa sca scs gie ei eirl micro",
    "ste societe ets etablissements etablissement cie compagnie groupe ltd gmbh inc",
    "m mr mme mlle mrs ms monsieur madame mademoiselle dr me maitre",
    "et de du des la le les l d au aux en sur pour",
    "vir virement virt sepa recu recus inst instantane emis ordre cpt compte prlv from",
)
NOISE = frozenset(w for line in _NOISE_LINES for w in line.split())
COMMON = 200  # a token shared by more clients than this does not pick candidates by itself


def name_tokens(name: str) -> tuple[str, ...]:
    """The significant words of a name, folded: 'SARL Boulangerie Dupont & Fils' ->
    ('boulangerie', 'dupont', 'fils')."""
    return tuple(w for w in fold(name).split() if w not in NOISE and len(w) > 1)


def closeness(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How close two folded names are, from 0 to 1: 1 the same words, 0.9 one is the other
    cut short (all its words in the other), else the similarity of their letters."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    if sa == sb:
        return 1.0
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if small <= large and any(len(w) >= 3 for w in small):
        return 0.9
    joined_a, joined_b = "".join(sorted(a)), "".join(sorted(b))
    ratio = SequenceMatcher(None, joined_a, joined_b).ratio()
    # Names glued together by the bank ("BOULANGERIEMARTIN"): compare without spaces too.
    glued = SequenceMatcher(None, "".join(a), "".join(b)).ratio()
    return max(ratio, glued)


class NameIndex:
    """Clients by the words and word beginnings of their names, to find a payer's candidates."""

    def __init__(self, clients: Iterable[tuple[int, str]]) -> None:
        self.tokens: dict[int, tuple[str, ...]] = {}
        self.names: dict[int, str] = {}
        self._by_key: dict[str, set[int]] = defaultdict(set)
        for client_id, name in clients:
            tokens = name_tokens(name)
            self.tokens[client_id] = tokens
            self.names[client_id] = name
            for key in _keys(tokens):
                self._by_key[key].add(client_id)

    def candidates(self, payer: str) -> list[tuple[int, float]]:
        """The clients whose name is close to `payer`, closest first, with their closeness."""
        tokens = name_tokens(payer)
        if not tokens:
            return []
        groups = [self._by_key.get(k, set()) for k in _keys(tokens)]
        found: set[int] = set()
        for group in groups:
            if len(group) <= COMMON:
                found |= group
        if not found:  # only common words: keep the clients sharing all of them
            shared = [g for g in groups if g]
            found = set.intersection(*shared) if shared else set()
        scored = [(cid, closeness(tokens, self.tokens[cid])) for cid in found]
        close = [(cid, score) for cid, score in scored if score >= CLOSE]
        return sorted(close, key=lambda c: (-c[1], c[0]))


def _keys(tokens: tuple[str, ...]) -> set[str]:
    """Index keys of a name: its words of 3 letters or more and their first four letters, and
    the whole name glued (for names the bank wrote without spaces)."""
    keys = {w for w in tokens if len(w) >= 3}
    keys |= {"^" + w[:4] for w in tokens if len(w) >= 4}
    glued = "".join(tokens)
    if len(glued) >= 4:
        keys.add("^" + glued[:4])
    return keys

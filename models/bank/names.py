"""Whether a payer's name on a bank statement is a client's: names folded and compared.

Accents, case, punctuation, legal forms (SARL, SAS...), civilities and the words banks add
("VIR SEPA RECU DE") are ignored; then the names are the same, one is the other cut short
(banks truncate names), or they differ by a typo.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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
# Below this share of letter pairs in common (Dice), two names are never CLOSE in difflib's
# measure in practice: the exact comparison is skipped.
MIN_DICE = 0.6
SCORED = 40  # candidates scored at most: those sharing the most words with the payer


def name_tokens(name: str) -> tuple[str, ...]:
    """The significant words of a name, folded: 'SARL Boulangerie Dupont & Fils' ->
    ('boulangerie', 'dupont', 'fils')."""
    return tuple(w for w in fold(name).split() if w not in NOISE and (len(w) > 1 or w.isdigit()))


def closeness(a: tuple[str, ...], b: tuple[str, ...], floor: float = 0.0) -> float:
    """How close two folded names are, from 0 to 1: 1 the same words, 0.9 one is the other
    cut short (all its words in the other), else the similarity of their letters.

    `floor`: a similarity known to be below it is not computed exactly; an upper bound
    under `floor` is returned instead (difflib's quick bounds: most names are far apart).
    """
    if not a or not b or _numbers_differ(a, b):
        return 0.0
    sa, sb = set(a), set(b)
    if sa == sb:
        return 1.0
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if small <= large and any(len(w) >= 3 for w in small):
        return 0.9
    sorted_ratio = _ratio("".join(sorted(a)), "".join(sorted(b)), floor)
    # Names glued together by the bank ("BOULANGERIEMARTIN"): compare without spaces too.
    glued = _ratio("".join(a), "".join(b), floor)
    return max(sorted_ratio, glued)


def _numbers_differ(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Both names carry numbers and not the same ones ("Garage 2000" is not "Garage 3000")."""
    da, db = {w for w in a if w.isdigit()}, {w for w in b if w.isdigit()}
    return bool(da and db and da != db)


def _ratio(a: str, b: str, floor: float) -> float:
    """difflib's similarity of two strings, or an upper bound of it when that is below `floor`."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    bound = matcher.real_quick_ratio()
    if bound < floor:
        return bound
    bound = matcher.quick_ratio()
    if bound < floor:
        return bound
    return matcher.ratio()


class NameIndex:
    """Clients by the words and word beginnings of their names, to find a payer's candidates."""

    def __init__(self, clients: Iterable[tuple[int, str]]) -> None:
        self.tokens: dict[int, tuple[str, ...]] = {}
        self.names: dict[int, str] = {}
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._seen: dict[str, list[tuple[int, float]]] = {}  # payer -> candidates
        self._grams: dict[int, set[str]] = {}  # client -> letter pairs, made when needed
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
        if payer in self._seen:
            return self._seen[payer]
        groups = [self._by_key.get(k, set()) for k in _keys(tokens)]
        shared: Counter[int] = Counter()
        for group in groups:
            if len(group) <= COMMON:
                shared.update(group)
        if not shared:  # only common words: keep the clients sharing all of them
            filled = [g for g in groups if g]
            shared.update(set.intersection(*filled) if filled else set())
        found = [cid for cid, _n in sorted(shared.items(), key=lambda c: (-c[1], c[0]))[:SCORED]]
        grams = _bigrams(tokens)
        scored = [
            (cid, closeness(tokens, self.tokens[cid], CLOSE))
            for cid in found
            if self._worth(tokens, grams, cid)
        ]
        close = sorted(
            ((cid, score) for cid, score in scored if score >= CLOSE), key=lambda c: (-c[1], c[0])
        )
        self._seen[payer] = close
        return close

    def _worth(self, tokens: tuple[str, ...], grams: set[str], client_id: int) -> bool:
        """Whether a candidate deserves the exact comparison: same words or a subset of them,
        else enough letter pairs in common (a cheap bound; difflib is the slow part)."""
        theirs = self.tokens[client_id]
        if _numbers_differ(tokens, theirs):
            return False
        mine, other = set(tokens), set(theirs)
        if mine <= other or other <= mine:
            return True
        if client_id not in self._grams:
            self._grams[client_id] = _bigrams(theirs)
        their_grams = self._grams[client_id]
        common = len(grams & their_grams)
        return 2 * common >= MIN_DICE * (len(grams) + len(their_grams))


def _bigrams(tokens: tuple[str, ...]) -> set[str]:
    """The pairs of consecutive letters of a name written without spaces."""
    glued = "".join(tokens)
    return {glued[i : i + 2] for i in range(len(glued) - 1)}


def _keys(tokens: tuple[str, ...]) -> set[str]:
    """Index keys of a name: its words of 3 letters or more and their first four letters, and
    the whole name glued (for names the bank wrote without spaces)."""
    keys = {w for w in tokens if len(w) >= 3 or w.isdigit()}
    keys |= {"^" + w[:4] for w in tokens if len(w) >= 4}
    glued = "".join(tokens)
    if len(glued) >= 4:
        keys.add("^" + glued[:4])
    return keys

"""A word-level test that rules out, cheaply, the articles a compiled matcher cannot match at all.

Every pattern of the automaton is a run of whole words of one view: normalized words (names), their stem forms
(topic terms), their fuzzy keys (fuzzy names), the letters they spell (acronyms); a prefix term's last word is a
word's beginning (``प्रतिबंध*``).
A pattern can only be found in an article that has every one of its words. Normalization never joins two
whitespace-separated pieces of text into one word, so the words of an article are the words of its pieces, and
each distinct piece is normalized once for the whole run (cached) and remembered by the pattern words it holds.
An article that has all the words of no pattern is skipped; every other article is matched in full by the
matcher, so the result is the matcher's own.
"""

from __future__ import annotations

from collections import defaultdict

from worker.hindi.acronym import letters
from worker.hindi.fuzzy import fuzzy_key
from worker.hindi.normalize import key
from worker.match.compile import Compiled
from worker.match.views import ACRONYM_SEPARATOR, EXACT_SEPARATOR, FUZZY_SEPARATOR, STEM_SEPARATOR, stem_form

PIECE_CACHE_MAX = 400_000  # distinct pieces remembered; past it the cache starts afresh (memory stays bounded)
_PREFIX = "*"  # tags a prefix word: any word that begins with it has it


class Prefilter:
    def __init__(self, compiled: Compiled) -> None:
        self._by_first: dict[str, list[frozenset[str]]] = defaultdict(list)
        vocabulary: set[str] = set()
        prefixes: set[str] = set()
        patterns = list(compiled.automaton.keys()) if compiled.automaton is not None else []
        for pattern in patterns:
            words = _tagged_words(pattern)
            prefixes.update(word[1:] for word in words if word[0] == _PREFIX)
            vocabulary.update(words)
            self._by_first[words[0]].append(frozenset(words))
        self._vocabulary = vocabulary
        self._prefixes = tuple(sorted(prefixes))
        self._seen: set[str] = set()  # every piece normalized so far
        self._holding: dict[str, frozenset[str]] = {}  # the pieces among them that hold pattern words

    def may_match(self, *texts: str) -> bool:
        """False only when no pattern has all its words in ``texts``."""
        present: set[str] = set()
        for text in texts:
            pieces = set(text.split())
            for piece in pieces - self._seen:  # set algebra in C: the Python loop only sees pieces new to the run
                self._learn(piece)
            for piece in pieces & self._holding.keys():
                present |= self._holding[piece]
        return any(pattern <= present for word in present for pattern in self._by_first.get(word, ()))

    def _learn(self, piece: str) -> None:
        if len(self._seen) >= PIECE_CACHE_MAX:
            self._seen.clear()
            self._holding.clear()
        self._seen.add(piece)
        found = {tagged for word in key(piece).split(" ") if word for tagged in self._word(word)}
        if found:
            self._holding[piece] = frozenset(found)

    def _word(self, word: str) -> list[str]:
        views = [EXACT_SEPARATOR + word, STEM_SEPARATOR + stem_form(word), FUZZY_SEPARATOR + fuzzy_key(word)]
        spelled = letters(word)  # also an everyday word's (के): a prefilter may let through, never hold back
        if spelled:
            views.append(ACRONYM_SEPARATOR + spelled)
        found = [tagged for tagged in views if tagged in self._vocabulary]
        if self._prefixes and word.startswith(self._prefixes):
            found += [_PREFIX + prefix for prefix in self._prefixes if word.startswith(prefix)]
        return found


def _tagged_words(pattern: str) -> list[str]:
    """The pattern's words, each tagged with its view's separator (or as a prefix, for an open last word)."""
    separator, body = pattern[0], pattern[1:]
    closed = body.endswith(separator)
    words = (body[:-1] if closed else body).split(separator)
    tagged = [separator + word for word in words]
    if not closed:
        tagged[-1] = _PREFIX + words[-1]
    return tagged

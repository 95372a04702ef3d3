"""Hindi text handling for matching: one normalization key, word tokens, a light stemmer and a fuzzy key."""

from worker.hindi.normalize import Normalized, normalize
from worker.hindi.stem import stem
from worker.hindi.tokenize import Token, tokenize

__all__ = ["Normalized", "Token", "normalize", "stem", "tokenize"]

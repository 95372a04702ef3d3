"""MinHash signatures of shingle sets (datasketch), their LSH band keys, and similarity estimates from them.

A signature of ``PERMUTATIONS`` 32-bit minima is what the index keeps of an article's text (256 bytes): the
fraction of equal minima estimates the Jaccard similarity of two shingle sets, and with the two set sizes it
also estimates containment (how much of the shorter text is in the longer one), which is what a trimmed or
extended copy keeps high. Band keys are hashes of ``BAND_ROWS`` minima each: two texts with Jaccard J share at
least one of ``BANDS`` keys with probability 1 - (1 - J^BAND_ROWS)^BANDS (J = 0.3: 0.78, 0.4: 0.94, 0.5: 0.99).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

PERMUTATIONS = 64
BANDS = 16
BAND_ROWS = 2
SEED = 1
SIGNATURE_BYTES = PERMUTATIONS * 4

_TEMPLATE = MinHash(num_perm=PERMUTATIONS, seed=SEED)


def _identity(value: int) -> int:
    return value


def signature(shingles: Iterable[int]) -> bytes:
    """The MinHash signature of 32-bit shingle hashes, as little-endian uint32 bytes."""
    sketch = MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        hashfunc=_identity,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    sketch.update_batch(list(shingles))
    return bytes(sketch.hashvalues.astype("<u4").tobytes())


def band_keys(sig: bytes) -> list[int]:
    """One 63-bit key per band: the band's number and its rows' minima, hashed."""
    row_bytes = BAND_ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(bytes([band]) + sig[band * row_bytes : (band + 1) * row_bytes], digest_size=8).digest(),
            "big",
        )
        >> 1
        for band in range(BANDS)
    ]


def jaccard(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of the two shingle sets behind two signatures."""
    a = np.frombuffer(first, dtype="<u4")
    b = np.frombuffer(second, dtype="<u4")
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard similarity and the set sizes."""
    if similarity <= 0 or min(size_a, size_b) <= 0:
        return 0.0
    common = similarity * (size_a + size_b) / (1 + similarity)
    return min(1.0, common / min(size_a, size_b))

"""Matching by meaning: members rarely use the words of the entry that answers them.

A static embedding model (WordLlama's 256-dimension `l2_supercat`) turns a text into the
normalised average of its tokens' vectors: no neural network runs at query time, so a
question takes well under a millisecond and the model adds ~16 MB of memory. Its weights
and tokenizer ship inside the `wordllama` wheel and load from there only; downloading is
disabled, so a machine without network behaves as any other.
"""

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSIONS = 256
VECTOR_BYTES = DIMENSIONS * 2  # stored as float16: half the space, the same rankings
# Long posts: the first words say what they are about, and averaging more dilutes it.
EMBEDDED_CHARACTERS = 4000
EMBED_BATCH = 256


class SemanticModel:
    """Embeds texts as unit vectors whose dot product is their cosine similarity."""

    def __init__(self):
        import wordllama  # imported here: loading it is the cost, not importing this module

        package = Path(wordllama.__file__).parent
        # The wheel keeps its tokenizer in `tokenizers/`, where load() looks only inside a
        # cache directory: pointing that at the package finds both files there.
        self._model = wordllama.WordLlama.load(
            config="l2_supercat", dim=DIMENSIONS, cache_dir=package, disable_download=True
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        clipped = [text[:EMBEDDED_CHARACTERS] for text in texts]
        vectors = self._model.embed(clipped, norm=True, batch_size=EMBED_BATCH)
        return np.nan_to_num(np.asarray(vectors, dtype=np.float32))

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


_shared: SemanticModel | None = None
_shared_lock = threading.Lock()


def shared_model() -> SemanticModel:
    """One model per process: every index and thread can share it, it only reads."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SemanticModel()
        return _shared


def document_text(title: str, section: str | None, body: str) -> str:
    return " ".join(part for part in (title, section, body) if part)


def to_bytes(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def from_bytes(stored: Sequence[bytes]) -> np.ndarray:
    """Stored vectors as one float32 matrix; a document stored without one gets zeros."""
    if not stored:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    empty = bytes(VECTOR_BYTES)
    joined = b"".join(value if len(value) == VECTOR_BYTES else empty for value in stored)
    halves = np.frombuffer(joined, dtype=np.float16).reshape(len(stored), DIMENSIONS)
    return halves.astype(np.float32)


def from_bytes_run(raw: bytes, count: int) -> np.ndarray:
    """`count` vectors stored back to back, as a float32 matrix."""
    halves = np.frombuffer(raw, dtype=np.float16, count=count * DIMENSIONS)
    return halves.reshape(count, DIMENSIONS).astype(np.float32)

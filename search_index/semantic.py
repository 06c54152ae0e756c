"""Matching by meaning: members rarely use the words of the entry that answers them.

A static embedding model (WordLlama's 256-dimension `l2_supercat`) turns a text into the
normalised average of its tokens' vectors: no neural network runs at query time, so a
question takes well under a millisecond and the model adds ~16 MB of memory. Its weights
and tokenizer ship inside the `wordllama` wheel and load from there only; downloading is
disabled, so a machine without network behaves as any other.
"""

import json
import re
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSIONS = 256
VECTOR_BYTES = DIMENSIONS * 2  # stored as float16: half the space, the same rankings
# Long posts: the first words say what they are about, and averaging more dilutes it.
EMBEDDED_CHARACTERS = 4000
EMBED_BATCH = 256
# The tokenizer's normaliser marks the text's start and each space with this character.
SPACE_MARK = "\u2581"
# No token of the model's vocabulary has the mark after another character, so tokens never
# cross the start of a mark run: a text's tokens are those of its pieces, one by one.
_PIECE = re.compile(f"{SPACE_MARK}+[^{SPACE_MARK}]*")
PIECES_KEPT = 500_000  # distinct pieces whose tokens are remembered, ~150 bytes each


class SemanticModel:
    """Embeds texts as unit vectors whose dot product is their cosine similarity.

    The vectors are those of WordLlama's own embed(), computed faster: it tokenises each
    whole text as one word, pads a batch to its longest text and averages a tensor of
    every token's vector, ~5 ms a post. Tokenising each piece of text (a word and what
    sticks to it) once per process and summing each distinct token's vector once per text
    gives the same vectors, up to float rounding, in a tenth of that.
    """

    def __init__(self):
        import wordllama  # imported here: loading it is the cost, not importing this module

        package = Path(wordllama.__file__).parent
        # The wheel keeps its tokenizer in `tokenizers/`, where load() looks only inside a
        # cache directory: pointing that at the package finds both files there.
        self._model = wordllama.WordLlama.load(
            config="l2_supercat", dim=DIMENSIONS, cache_dir=package, disable_download=True
        )
        self._table = np.ascontiguousarray(self._model.embedding, dtype=np.float32)
        self._pieces = _PieceTokens(self._model.tokenizer)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        clipped = [text[:EMBEDDED_CHARACTERS] for text in texts]
        for row, (ids, counts) in enumerate(self._pieces.token_counts(clipped)):
            if len(ids):
                vectors[row] = counts @ self._table[ids]
        for row in self._pieces.unsplittable(clipped):  # see _PieceTokens.unsplittable
            vectors[row] = self._model.embed([clipped[row]], norm=False)[0]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class _PieceTokens:
    """The model's tokens of texts, counted, from each piece's tokens remembered once."""

    def __init__(self, tokenizer):
        spec = json.loads(tokenizer.to_str())
        self._special = [token["content"] for token in spec.get("added_tokens", [])]
        # Pieces arrive normalised already, one at a time: no normaliser, no padding.
        spec.update(normalizer=None, padding=None, truncation=None, post_processor=None)
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(json.dumps(spec))
        self._tokens: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def token_counts(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each text, its distinct token ids and how often each occurs."""
        pieces = [Counter(_PIECE.findall(_normalised(text))) for text in texts]
        tokens = self._tokens_of({piece for counted in pieces for piece in counted})
        results = []
        for counted in pieces:
            ids: list[int] = []
            counts: list[float] = []
            for piece, times in counted.items():
                piece_ids = tokens[piece]
                ids += piece_ids
                counts += [times] * len(piece_ids)
            results.append((np.array(ids, dtype=np.intp), np.array(counts, dtype=np.float32)))
        return results

    def unsplittable(self, texts: list[str]) -> list[int]:
        """Rows of texts holding a special token's text such as "<s>": the tokenizer cuts
        those out before normalising, so their pieces would differ; the model embeds them."""
        return [row for row, text in enumerate(texts) if any(s in text for s in self._special)]

    def _tokens_of(self, pieces: set[str]) -> dict[str, list[int]]:
        known = self._tokens
        missing = [piece for piece in pieces if piece not in known]
        if missing:
            # One at a time: encode_batch() hands even a few pieces to a thread pool, whose
            # threads wait ~10 ms for a core when the machine is busy.
            encoded = [self._tokenizer.encode(piece, add_special_tokens=False) for piece in missing]
            with self._lock:
                if len(known) + len(missing) > PIECES_KEPT:
                    known = self._tokens = {}
                known.update(zip(missing, (e.ids for e in encoded), strict=True))
        return {piece: known[piece] for piece in pieces} if missing else known


def _normalised(text: str) -> str:
    """As the model's normaliser: a mark before the text, and one for each space."""
    return SPACE_MARK + text.replace(" ", SPACE_MARK) if text else ""


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

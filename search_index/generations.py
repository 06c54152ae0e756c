"""The live index: each full build in its own directory, swapped in atomically.

    SEARCH_INDEX_DIR/
        CURRENT            names the generation searches read, e.g. "gen-20261201T180000-4242"
        gen-…/             one full build: the engine's files, `engine`, `state.json`
        rebuild.lock       held by the one rebuild that may run at a time

A rebuild writes a new generation beside the live one, so searches and updates of the live
one never wait for it; swapping is one rename of CURRENT. Each generation keeps its own
state (how far it has applied the change log that its caller keeps), read and written
under that generation's follow lock.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from search_index.documents import SearchDocument, SearchQuery, SearchResults
from search_index.errors import IndexUnavailable
from search_index.locking import exclusive_lock, try_exclusive_lock

if TYPE_CHECKING:
    from search_index.engine import SearchIndex
    from search_index.semantic import SemanticModel

CURRENT = "CURRENT"
STATE = "state.json"
ENGINE = "engine"
FOLLOW_LOCK = "follow.lock"
REBUILD_LOCK = "rebuild.lock"
CREATE_LOCK = "create.lock"
GENERATION_PREFIX = "gen-"
KEPT_GENERATIONS = 2  # the live one, and the one a slow process may still be reading
ENGINE_NAMES = ("whoosh", "tantivy")


def engine_class(name: str) -> Callable[..., SearchIndex]:
    """The engine's class, imported when a node first opens an index of it."""
    if name == "tantivy":
        from search_index.tantivy_engine import TantivyIndex

        return TantivyIndex
    from search_index.engine import SearchIndex

    return SearchIndex


class RebuildRunning(RuntimeError):
    """Another process is rebuilding this index now."""


class LiveIndex:
    """Searches and updates go to the generation CURRENT names, re-read when it changes."""

    def __init__(
        self, root: Path | str, semantic: SemanticModel | None = None, engine: str = "whoosh"
    ):
        if engine not in ENGINE_NAMES:
            raise ValueError(f"unknown search engine {engine!r}: one of {ENGINE_NAMES}")
        self.root = Path(root)
        self.semantic = semantic
        self.engine_name = engine
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._open: dict[str, SearchIndex] = {}
        self._current: tuple[tuple[int, int], str] | None = None
        if self._read_current() is None:
            self._start_first_generation()

    # -- reading and writing the live generation --------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        return self.live().search(query)

    def doc_count(self) -> int:
        return self.live().doc_count()

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        return self.live().upsert(documents)

    def delete(self, doc_ids: Iterable[str]) -> int:
        return self.live().delete(doc_ids)

    def live(self) -> SearchIndex:
        return self.engine_of(self.live_generation())

    def live_generation(self) -> str:
        """The generation CURRENT names; a stat per call notices a swap by another process."""
        try:
            stat = (self.root / CURRENT).stat()
        except FileNotFoundError:
            raise self._unavailable() from None
        key = (stat.st_ino, stat.st_mtime_ns)
        cached = self._current
        if cached is not None and cached[0] == key:
            return cached[1]
        name = self._read_current()
        if name is None:
            raise self._unavailable()
        self._current = (key, name)
        return name

    def _unavailable(self) -> IndexUnavailable:
        return IndexUnavailable(f"no search index in {self.root}: run `flask --app app kb reindex`")

    def is_live(self, generation: str) -> bool:
        return self._read_current() == generation

    def engine_of(self, generation: str) -> SearchIndex:
        with self._lock:
            if generation not in self._open:
                engine = engine_class(self.generation_engine(generation))
                self._open[generation] = engine(self.root / generation, semantic=self.semantic)
                self._close_unused_locked(keep=generation)
            return self._open[generation]

    def generation_engine(self, generation: str) -> str:
        marker = self.root / generation / ENGINE
        return marker.read_text().strip() if marker.exists() else "whoosh"

    def needs_new_engine(self) -> bool:
        """True when the live generation was built by another engine than the configured one."""
        return self.generation_engine(self.live_generation()) != self.engine_name

    # -- each generation's state ------------------------------------------------------

    @contextmanager
    def following(self, generation: str) -> Iterator[dict]:
        """The generation's state, saved when the block succeeds; one holder at a time."""
        directory = self.root / generation
        with exclusive_lock(directory / FOLLOW_LOCK):
            state = self.read_state(generation)
            yield state
            _write_atomically(directory / STATE, json.dumps(state))

    def read_state(self, generation: str) -> dict:
        path = self.root / generation / STATE
        return json.loads(path.read_text()) if path.exists() else {}

    # -- rebuilding beside the live generation ----------------------------------------

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Held for a whole rebuild; raises RebuildRunning at once if another one holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with try_exclusive_lock(self.root / REBUILD_LOCK) as acquired:
            if not acquired:
                raise RebuildRunning(f"a rebuild of {self.root} is already running")
            yield

    def build_generation(
        self,
        documents: Iterable[SearchDocument],
        state: dict,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[str, int]:
        """A new generation holding `documents`, with `state`; not live until swap_to()."""
        generation = self._new_generation(state)
        indexed = self.engine_of(generation).rebuild(documents, progress=progress)
        return generation, indexed

    def swap_to(self, generation: str) -> None:
        """Make `generation` live for every process, and remove generations no one reads."""
        _write_atomically(self.root / CURRENT, generation)
        self._remove_old_generations()

    def close(self) -> None:
        with self._lock:
            for engine in self._open.values():
                engine.close()
            self._open.clear()

    # -- internals ----------------------------------------------------------------

    def _read_current(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text().strip()
        except FileNotFoundError:
            return None
        return name if (self.root / name).is_dir() else None

    def _start_first_generation(self) -> None:
        """An empty generation, made live once even when several processes start together."""
        with exclusive_lock(self.root / CREATE_LOCK):
            if self._read_current() is None:
                self.swap_to(self._new_generation({}))

    def _new_generation(self, state: dict) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{GENERATION_PREFIX}{time.time_ns():020d}-{os.getpid()}"  # sorts by age
        directory = self.root / name
        directory.mkdir()
        (directory / ENGINE).write_text(self.engine_name)
        _write_atomically(directory / STATE, json.dumps(state))
        return name

    def _remove_old_generations(self) -> None:
        """Generations newer than the live one are rebuilds under way, and stay."""
        live = self._read_current() or ""
        old = sorted(
            path
            for path in self.root.glob(f"{GENERATION_PREFIX}*")
            if path.is_dir() and path.name < live
        )
        for path in old[: max(len(old) - (KEPT_GENERATIONS - 1), 0)]:
            with self._lock:
                engine = self._open.pop(path.name, None)
            if engine is not None:
                engine.close()
            shutil.rmtree(path, ignore_errors=True)

    def _close_unused_locked(self, keep: str) -> None:
        existing = {path.name for path in self.root.glob(f"{GENERATION_PREFIX}*")}
        for name in [name for name in self._open if name != keep and name not in existing]:
            self._open.pop(name).close()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(text)
    os.replace(temporary, path)

"""A synthetic knowledge base for the benchmarks: items whose words follow Zipf's law, like
real writing, and questions drawn from them, all from a fixed seed."""

import random
import re
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from sqlalchemy import create_engine
from sqlmodel import Session

from community.models import ContentItem, JobRun, Source
from community.models.content import KNOWLEDGE_KINDS
from community.scheduler.status import HEARTBEAT_JOB_ID
from search_index import SearchDocument

VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.07  # close to what English text shows
KINDS = ("post", "post", "post", "episode", "faq", "event")
COLLECTIONS = ("mlops", "data-engineering", "llm", "analytics")
OPENINGS = ("how do I", "what is the", "why does my", "can I", "where can I find", "")
CONSONANTS = "bcdfghjklmnprstvz"
VOWELS = "aeiou"


class Corpus:
    """Seeded generated items and questions drawn from them."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.words = self._invent_words()
        ranks = range(1, VOCABULARY_SIZE + 1)
        self.cumulative = list(accumulate(1 / rank**ZIPF_EXPONENT for rank in ranks))

    def _invent_words(self) -> list[str]:
        words: dict[str, None] = {}
        while len(words) < VOCABULARY_SIZE:
            syllables = self.random.choice((1, 2, 2, 3, 3, 4))
            words["".join(self._syllable() for _ in range(syllables))] = None
        return list(words)

    def _syllable(self) -> str:
        return self.random.choice(CONSONANTS) + self.random.choice(VOWELS)

    def sample_words(self, count: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, word_count: int) -> str:
        words, sentences = self.sample_words(word_count), []
        while words:
            length = self.random.randint(6, 18)
            sentence, words = words[:length], words[length:]
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)

    def documents(self, count: int) -> list[SearchDocument]:
        start = datetime(2021, 1, 1, tzinfo=UTC)
        return [
            SearchDocument(
                doc_id=f"item:{number}",
                kind=self.random.choice(KINDS),
                title=self.text(self.random.randint(4, 10)).rstrip("."),
                body=self.text(int(self.random.lognormvariate(4.6, 0.6))),
                collection=self.random.choice(COLLECTIONS),
                tags=self.sample_words(2),
                published=start + timedelta(minutes=self.random.randint(0, 5 * 365 * 24 * 60)),
            )
            for number in range(count)
        ]

    def questions(self, documents: list[SearchDocument], count: int) -> list[str]:
        """A few of the different words of one item, after an opening like "how do I".

        Drawn from the item's distinct words rather than its running text, as people name
        what they ask about instead of repeating its most frequent words.
        """
        questions = []
        for document in self.random.sample(documents, count):
            text = f"{document.title} {document.body}".lower()
            words = sorted(set(re.findall(r"\w+", text)))
            chosen = self.random.sample(words, min(len(words), self.random.randint(3, 7)))
            questions.append(f"{self.random.choice(OPENINGS)} {' '.join(chosen)}?".strip())
        return questions


def fill_database(database_url: str, documents: list[SearchDocument]) -> None:
    """The items, one feed per collection, and a scheduler heartbeat for /healthz."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        sources = {}
        for collection in sorted({d.collection for d in documents}):
            sources[collection] = Source(kind="feed", name=f"{collection} blog", active=False)
            session.add(sources[collection])
        session.flush()
        for number, document in enumerate(documents):
            session.add(
                ContentItem(
                    source_id=sources[document.collection].id,
                    kind=document.kind if document.kind in KNOWLEDGE_KINDS else "thread",
                    external_id=f"bench-{number}",
                    title=document.title,
                    summary=document.body[:200],
                    body_html=f"<p>{document.body}</p>",
                    body_text=document.body,
                    collection=document.collection,
                    tags=document.tags,
                    url=f"https://{document.collection}.example.org/{number}",
                    published_at=document.published,
                )
            )
        session.add(
            JobRun(
                job_id=HEARTBEAT_JOB_ID,
                holder="bench",
                status="succeeded",
                started_at=now,
                finished_at=now,
            )
        )
        session.commit()
    engine.dispose()

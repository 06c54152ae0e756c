"""Documents for the search tests."""

from datetime import UTC, datetime

from search_index import SearchDocument


def document(doc_id: str, title: str, body: str = "", **fields) -> SearchDocument:
    kind = fields.pop("kind", "post")
    return SearchDocument(doc_id=doc_id, kind=kind, title=title, body=body, **fields)


def day(number: int) -> datetime:
    return datetime(2026, 3, number, 12, tzinfo=UTC)


# Enough unrelated entries that a word's rarity means something, as in a real community.
SAMPLES = [
    document(
        "faq:docker",
        "How do I run the project in Docker?",
        "Build the image with docker build, then start it with docker run -p 8080:8080.",
        kind="faq",
        collection="course",
        section="Deployment",
        tags=["docker", "deployment"],
    ),
    document(
        "faq:deadline",
        "What happens if I miss the homework deadline?",
        "Late homework is not graded, but you can still submit the final project.",
        kind="faq",
        collection="course",
        section="Homework",
        tags=["homework"],
    ),
    document(
        "faq:mlflow",
        "The MLflow UI shows no experiments",
        "Start the tracking server from the folder that holds mlflow.db, or set the tracking URI.",
        kind="faq",
        collection="course",
        section="Experiment tracking",
        tags=["mlflow"],
    ),
    document(
        "faq:certificate",
        "Will I get a certificate?",
        "A certificate is issued to everyone who passes the final project peer review.",
        kind="faq",
        collection="course",
        section="General",
    ),
    document(
        "post:monitoring",
        "Monitoring models in production",
        "Drift detection compares the live feature distribution with the training data.",
        collection="blog",
        tags=["monitoring"],
        published=day(2),
    ),
    document(
        "episode:pipelines",
        "Podcast: building data pipelines that last",
        "We talk about orchestration, retries and backfills with a data engineer.",
        kind="episode",
        collection="podcast",
        tags=["pipelines"],
        published=day(5),
    ),
    document(
        "event:meetup",
        "Meetup: deploying models with Docker and Kubernetes",
        "An evening of talks on container images, Kubernetes operators and canary releases.",
        kind="event",
        collection="events",
        tags=["docker", "kubernetes"],
        published=day(9),
    ),
    document(
        "post:features",
        "Feature stores explained",
        "A feature store keeps training and serving features consistent.",
        collection="blog",
        published=day(7),
    ),
]

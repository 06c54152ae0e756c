"""The Slack app manifest with this deployment's addresses filled in."""

from pathlib import Path

TEMPLATE = Path(__file__).with_name("manifest.yml")


def render_manifest(*, public_url: str, community_name: str) -> str:
    text = TEMPLATE.read_text("utf-8")
    return text.replace("{public_url}", public_url.rstrip("/")).replace(
        "{community_name}", community_name[:35]
    )

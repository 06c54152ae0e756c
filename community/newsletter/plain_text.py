"""Markdown as a plain-text email reads it: paragraphs, bullets and links with their address."""

from html.parser import HTMLParser

from community.rich_text import markdown_to_html

BLOCKS = {"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}


def markdown_to_text(source: str) -> str:
    """ "Read **this** [post](https://x.org)" becomes "Read this post (https://x.org)"."""
    if not source.strip():
        return ""
    reader = _TextReader()
    reader.feed(markdown_to_html(source))
    reader.close()
    return reader.text()


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.links: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS or tag == "tr":
            self._break(blank=tag in BLOCKS)
        elif tag == "li":
            self._break()
            self.lines[-1] = "* "
        elif tag == "br":
            self._break()
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._break(blank=True)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href not in self.lines[-1]:
                self.lines[-1] += f" ({href})"

    def handle_data(self, data):
        self.lines[-1] += data

    def _break(self, blank: bool = False) -> None:
        self.lines[-1] = " ".join(self.lines[-1].split())
        if self.lines[-1]:
            self.lines.append("")
        if blank and len(self.lines) > 1 and self.lines[-2] != "":
            self.lines.insert(-1, "")

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines).strip()

"""Turning third-party HTML and Markdown into safe HTML and plain text for indexing.

Python-Markdown is imported when first used: its parser costs every `flask` command some
13 ms at start.
"""

import html

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitise_html(untrusted: str) -> str:
    return nh3.clean(
        untrusted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_html(source: str) -> str:
    import markdown

    return sanitise_html(markdown.markdown(source, extensions=["extra", "sane_lists"]))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, with block boundaries kept as line breaks."""
    spaced = fragment.replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    stripped = nh3.clean(spaced, tags=set(), attributes={})
    lines = (" ".join(line.split()) for line in html.unescape(stripped).splitlines())
    return "\n".join(line for line in lines if line)

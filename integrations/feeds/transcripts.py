"""Podcast transcripts and chapters, from whatever a feed links to with podcast:transcript.

WebVTT, SRT and Podcasting 2.0 JSON carry times; HTML and plain text do not, and become
untimed cues in reading order. Anything unreadable raises TranscriptError with a reason
an organiser can act on; a malformed cue is skipped, not fatal.
"""

import html
import json
import re
from dataclasses import dataclass

import nh3

MAX_CUES = 50_000  # about 14 hours of one-second captions
TIMED_TYPES = {
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "text/srt": "srt",
    "application/json": "json",
    "text/html": "html",
    "text/plain": "text",
}
# Most feeds list these first; a timed transcript is what makes passages citable by minute.
PREFERENCE = ("json", "vtt", "srt", "html", "text")
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")
_ARROW = re.compile(rf"({_TIME.pattern})\s*-->\s*({_TIME.pattern})")
_TAG = re.compile(r"<[^>]*>")
_SPEAKER = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|section|article|blockquote)>|<br\s*/?>", re.I)


class TranscriptError(ValueError):
    pass


@dataclass(frozen=True)
class Cue:
    start: float | None  # seconds from the start; None when the transcript has no times
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str


def format_of(media_type: str | None, url: str, content: bytes) -> str:
    """The transcript's format: its declared type, else its file name, else its content."""
    declared = (media_type or "").split(";")[0].strip().lower()
    if declared in TIMED_TYPES:
        return TIMED_TYPES[declared]
    path = url.split("?")[0].lower()
    for suffix, name in ((".vtt", "vtt"), (".srt", "srt"), (".json", "json"), (".html", "html")):
        if path.endswith(suffix):
            return name
    head = content[:200].lstrip()
    if head.startswith(b"WEBVTT"):
        return "vtt"
    if head[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"<":
        return "html"
    return "srt" if _ARROW.search(content[:2000].decode("utf-8", "replace")) else "text"


def parse_transcript(content: bytes, kind: str) -> list[Cue]:
    text = _decode(content)
    parsers = {"vtt": _caption_blocks, "srt": _caption_blocks, "json": _json_segments}
    if kind in parsers:
        cues = parsers[kind](text)
    else:
        plain = html_to_plain_text(text) if kind == "html" else text
        cues = [Cue(None, paragraph) for paragraph in _paragraphs(plain)]
    if not cues:
        raise TranscriptError(f"the {kind} transcript holds no readable text")
    return cues[:MAX_CUES]


def parse_chapters(content: bytes) -> list[Chapter]:
    """Podcasting 2.0 chapters JSON: {"chapters": [{"startTime": 0, "title": "…"}]}."""
    try:
        data = json.loads(_decode(content))
        entries = data.get("chapters") if isinstance(data, dict) else None
    except ValueError as error:
        raise TranscriptError(f"the chapters file is not JSON: {error}") from error
    if not isinstance(entries, list):
        raise TranscriptError('the chapters file has no "chapters" list')
    chapters = []
    for entry in entries:
        start = _seconds(entry.get("startTime")) if isinstance(entry, dict) else None
        title = str(entry.get("title") or "").strip() if isinstance(entry, dict) else ""
        if start is not None and title and entry.get("toc", True) is not False:
            chapters.append(Chapter(start, title[:300]))
    return sorted(chapters, key=lambda chapter: chapter.start)


def _decode(content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise TranscriptError("the transcript is binary, not text")
    return content.decode("utf-8-sig", errors="replace")


def _caption_blocks(text: str) -> list[Cue]:
    """WebVTT and SRT alike: blocks separated by blank lines, each with one time line."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip().split("\n")
        timing = next((i for i, line in enumerate(lines) if _ARROW.search(line)), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE and STYLE blocks, or a broken cue
        start = _clock(_ARROW.search(lines[timing]).group(1))
        body = " ".join(lines[timing + 1 :]).strip()
        speaker = _SPEAKER.search(body)
        words = " ".join(_TAG.sub("", body).split())
        if words:
            cues.append(Cue(start, words, speaker.group(1).strip() if speaker else None))
    return cues


def _json_segments(text: str) -> list[Cue]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise TranscriptError(f"the JSON transcript does not parse: {error}") from error
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise TranscriptError('the JSON transcript has no "segments" list')
    cues = []
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        words = " ".join(str(segment.get("body") or "").split())
        start = _seconds(segment.get("startTime"))
        if words:
            speaker = segment.get("speaker")
            cues.append(Cue(start, words, str(speaker)[:100] if speaker else None))
    return cues


def _clock(value: str) -> float:
    hours, minutes, seconds, fraction = _TIME.fullmatch(value).groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(fraction.ljust(3, "0")) / 1000 if fraction else 0.0)


def _seconds(value) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds < 7 * 24 * 3600 else None


def html_to_plain_text(markup: str) -> str:
    """Paragraphs of an HTML transcript; scripts and styles are dropped with their text."""
    spaced = _BLOCK_END.sub("\n\n", markup)
    return html.unescape(nh3.clean(spaced, tags=set()))


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def clock(seconds: int) -> str:
    """12:34, or 1:02:03 past the hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

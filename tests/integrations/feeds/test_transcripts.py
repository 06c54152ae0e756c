"""Reading transcripts and chapters in the formats podcasts publish them."""

import json

import pytest

from integrations.feeds.transcripts import (
    TranscriptError,
    clock,
    format_of,
    parse_chapters,
    parse_transcript,
)

VTT = b"""WEBVTT

NOTE written by the host

1
00:00:01.000 --> 00:00:04.000
<v Alice>Welcome to <b>the show</b>

00:12:34.500 --> 00:12:39.000
<v.loud Bob>Drift alerts need a baseline

this line --> has no time
so it is skipped
"""
SRT = (
    b"1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\n\r\n"
    b"2\r\n01:02:03,250 --> 01:02:05,000\r\nLate\r\n"
)


def test_webvtt_cues_keep_their_start_speaker_and_text_without_tags():
    cues = parse_transcript(VTT, format_of("text/vtt", "https://x/1", VTT))

    assert [(cue.start, cue.speaker, cue.text) for cue in cues] == [
        (1.0, "Alice", "Welcome to the show"),
        (754.5, "Bob", "Drift alerts need a baseline"),
    ]


def test_srt_is_read_by_its_file_name_when_the_feed_declares_no_type():
    cues = parse_transcript(SRT, format_of(None, "https://x/episode.srt", SRT))

    assert [(cue.start, cue.text) for cue in cues] == [(1.0, "Hello"), (3723.25, "Late")]


def test_podcasting_json_segments_and_html_and_plain_text():
    segments = {"segments": [{"startTime": 12.5, "speaker": "Bob", "body": "Feature stores"}]}
    html = b"<p>One &amp; two</p><script>steal()</script><p>Three</p>"

    (segment,) = parse_transcript(json.dumps(segments).encode(), "json")
    assert (segment.start, segment.speaker, segment.text) == (12.5, "Bob", "Feature stores")
    assert [c.text for c in parse_transcript(html, "html")] == ["One & two", "Three"]
    assert [c.start for c in parse_transcript(b"First.\n\nSecond.", "text")] == [None, None]


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        (b"\x00\x01\x02PNG", "vtt", "binary"),
        (b'{"segments": "nope"}', "json", "segments"),
        (b"{not json", "json", "does not parse"),
        (b"WEBVTT\n\n", "vtt", "no readable text"),
    ],
)
def test_an_unreadable_transcript_is_refused_with_a_reason(content, kind, reason):
    with pytest.raises(TranscriptError, match=reason):
        parse_transcript(content, kind)


def test_chapters_are_sorted_and_hidden_or_broken_ones_dropped():
    chapters = parse_chapters(
        json.dumps(
            {
                "chapters": [
                    {"startTime": 600, "title": "Drift"},
                    {"startTime": 0, "title": "Intro"},
                    {"startTime": 300, "title": "Sponsor", "toc": False},
                    {"startTime": "soon", "title": "Broken"},
                ]
            }
        ).encode()
    )

    assert [(c.start, c.title) for c in chapters] == [(0, "Intro"), (600, "Drift")]
    with pytest.raises(TranscriptError):
        parse_chapters(b"[1, 2]")


def test_times_read_as_a_listener_reads_them():
    assert (clock(754), clock(3723)) == ("12:34", "1:02:03")

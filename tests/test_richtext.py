"""Descriptor Markdown to HTML: nothing executable survives, ordinary formatting does."""

from __future__ import annotations

import time

import pytest
from htmlscan import elements, findings

from generator.richtext import first_paragraph, markdown_html, plain_text, sanitize

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![a](javascript:alert(1))",
    "![a](https://tracker.example/p.gif)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '<a href="//evil.example">x</a>',
    "[x](//evil.example)",
    "[x](/\\evil.example)",
    "<svg onload=alert(1)>",
    "<!-- --><script>alert(1)</script> -->",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<form action=https://evil.example><input type=password></form>",
    '<iframe src="https://evil.example"></iframe>',
    'para\n{: onclick="alert(1)" }',
    "# T {: #__search .md-button }",
    '<div markdown="1" onclick="x">y</div>',
    '[a](https://e.org){: style="position:fixed" }',
    '--8<-- "README.md"',
    "{{ config }} {% include 'x' %}",
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    '<object data="x.swf"></object>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_is_neutralised(vector):
    output = str(markdown_html(vector))
    assert findings(output) == [], output
    for _, attrs in elements(output):
        assert not {"id", "class", "style"} & set(attrs), output


def test_ordinary_markdown_survives():
    output = str(
        markdown_html(
            "Some *emphasis*, **bold**, `code <b>`, a [link](https://example.org/x).\n\n"
            "- one\n- two\n\n# Heading"
        )
    )
    assert "<em>emphasis</em>" in output and "<strong>bold</strong>" in output
    assert "<code>code &lt;b&gt;</code>" in output
    assert '<a href="https://example.org/x" rel="noopener noreferrer nofollow">link</a>' in output
    assert "<li>one</li>" in output
    assert "<h4>Heading</h4>" in output  # demoted below the page outline


def test_mailto_and_relative_links_kept():
    output = str(markdown_html("[m](mailto:a@example.org) [r](other.html#x)"))
    assert 'href="mailto:a@example.org"' in output and 'href="other.html#x"' in output


def test_sanitize_alone_strips_raw_html():
    assert sanitize('<p onclick="x">a</p><script>b</script>') == "<p>a</p>"


def test_plain_text_and_summary():
    assert plain_text("Hello *world* <b>x</b> &amp;") == "Hello world <b>x</b> &"
    assert first_paragraph("First *para*.\n\nSecond.") == "First para."


def test_pathological_input_within_validation_limits_is_fast():
    start = time.monotonic()
    markdown_html("[" * 16 + "x" + "]" * 16 + " " + "[a](b) " * 2000)
    assert time.monotonic() - start < 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.richtext import _markdown, is_plain_prose  # noqa: E402

PROSE_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@settings(max_examples=600, derandomize=True, deadline=None)
@given(
    st.text(alphabet=PROSE_ALPHABET, max_size=80) | st.from_regex(r"[A-Za-z0-9][ -~]{0,60}", fullmatch=True)
)
def test_plain_prose_fast_path_renders_as_markdown_would(text):
    """Where the fast path applies, its output is exactly the parser's, sanitized."""
    if is_plain_prose(text):
        assert str(markdown_html(text)) == sanitize(_markdown(text))


@pytest.mark.parametrize(
    "text",
    [
        "A plain sentence, with commas; and (parentheses).",
        "1.2 GB of media, 300 archives",
        "Accounts with fewer than 5,000 followers at suspension",
    ],
)
def test_plain_prose_takes_the_fast_path(text):
    assert is_plain_prose(text)
    assert str(markdown_html(text)) == f"<p>{text}</p>" == sanitize(_markdown(text))


@pytest.mark.parametrize(
    "text",
    [
        "1. a list",
        "- a list",
        "> a quote",
        "# a heading",
        "*em*",
        "a_b_c",
        "a & b",
        "<b>x</b>",
        "a  ",
        "    code",
        "two\nlines",
        "[link](x)",
        "x\\y",
        "`code`",
        "a!",
        "---",
    ],
)
def test_anything_markdown_might_read_takes_the_parser(text):
    assert not is_plain_prose(text)

"""Bounds on untrusted input, in one place so the docs and the tests can cite them.

Descriptors arrive by pull request. Each bound turns a crafted file (huge, deeply
nested, pathological Markdown) into a located error instead of a hang or a crash.
"""

# A descriptor or schema file, checked before parsing. The largest real descriptor
# is a few kilobytes; shared schemas keep descriptors small.
MAX_FILE_BYTES = 1024 * 1024

# Nesting of mappings and lists in one document. A Data Package needs about 8
# (package > resources > schema > fields > field > constraints > enum > value).
MAX_DEPTH = 24

# Text properties. Descriptions are Markdown; the rest are plain one-liners.
MAX_DESCRIPTION_CHARS = 20_000
MAX_SHORT_TEXT_CHARS = 1_000

# Markdown structure inside one description: nesting of brackets, lists and
# block quotes. Python-Markdown is quadratic in bracket nesting (20 KB of '['
# takes seconds), so nesting is refused long before it costs time.
MAX_MARKDOWN_NESTING = 16

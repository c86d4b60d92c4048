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

# Digits of an integer in a descriptor. Python reads integers of any length (and refuses
# more than 4,300 digits with an error of its own); figures and byte counts need far fewer,
# and every value must still fit a float when a page shows it.
MAX_NUMBER_DIGITS = 20

# Text properties. Descriptions are Markdown; the rest are plain one-liners.
MAX_DESCRIPTION_CHARS = 20_000
MAX_SHORT_TEXT_CHARS = 1_000

# Markdown structure inside one description: nesting of brackets, lists and
# block quotes. Python-Markdown is quadratic in bracket nesting (20 KB of '['
# takes seconds), so nesting is refused long before it costs time.
MAX_MARKDOWN_NESTING = 16

# Rendering one Markdown text. Within the bounds above, a few shapes are still quadratic in
# Python-Markdown (mismatched code spans, runs of setext headings or rules: seconds for a
# 20,000-character text). A text that takes longer than this is shown as plain text instead
# of hanging the build. Real descriptions render in milliseconds, so the output of a real
# catalog never depends on the machine.
MAX_RENDER_SECONDS = 2.0

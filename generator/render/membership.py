"""The membership pages: who can join, how to apply, questions and answers."""

from __future__ import annotations

from .. import model as m
from .page import Page, make_page


def render_membership(site: m.Site) -> list[Page]:
    c, mb = site.consortium, site.membership
    return [
        make_page(
            "membership/index.md",
            "Who can join",
            f"Who may apply for membership of the {c.name}, and what applicants must show.",
            "eligibility.html.j2",
            c=c,
            mb=mb,
        ),
        make_page(
            "membership/apply.md",
            "How to apply",
            f"How to apply for membership of the {c.name}.",
            "apply.html.j2",
            c=c,
            mb=mb,
        ),
        make_page(
            "membership/faq.md",
            "Questions and answers",
            "Questions and answers about membership and the data.",
            "faq.html.j2",
            c=c,
            mb=mb,
        ),
    ]

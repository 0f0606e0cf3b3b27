"""Real article pages with a gold article body: WCXB dev and ScrapingHub.

Both are read from ../shared/datasets (or a folder the user names) at train
and evaluation time, never copied into the repository. A page is parsed in
HTML mode; each block is matched against the gold body, which tells where the
article ends and so which trailing blocks are not article text.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from .html import parse_html
from .text import Document

# A block counts as article text when it is at least this long and occurs in
# the gold body (shorter ones, such as "Share", match by chance).
ARTICLE_MATCH_MIN_CHARS = 25
# This many characters at the end of the gold body locate where the article ends.
TAIL_CHARS = 40
LICENCES = {"wcxb_dev": "CC-BY-4.0 (Foley, WCXB)", "scrapinghub": "MIT (Zyte article-extraction-benchmark)"}


@dataclass(frozen=True)
class Page:
    key: str  # corpus/page id
    document: Document
    article: tuple[bool, ...]  # per block: matches the gold body

    @property
    def first_article(self) -> int:
        return self.article.index(True)

    @property
    def last_article(self) -> int:
        return len(self.article) - 1 - self.article[::-1].index(True)

    def junk_labels(self) -> list[int]:
        """1 after the article, 0 within it, -1 (left out) before it."""
        first, last = self.first_article, self.last_article
        return [-1 if i < first else int(i > last) for i in range(len(self.article))]


def _norm(text: str) -> str:
    return " ".join(text.split())


def make_page(key: str, markup: str, gold: str) -> Page | None:
    """Match the page's blocks against the gold body.

    Blocks match in order (each after the previous match), so a related-story
    headline after the article does not match a phrase early in the body. The
    article ends at the block holding the tail of the gold body when that
    tail is found; blocks after it are trailing text even if they happen to
    repeat words of the body.
    """
    document = parse_html(markup)
    gold = _norm(gold)
    texts = [_norm(document.text[p.start:p.end]) for p in document.paragraphs]
    article = []
    pointer = 0
    for text in texts:
        found = gold.find(text, pointer) if len(text) >= ARTICLE_MATCH_MIN_CHARS else -1
        article.append(found >= 0)
        if found >= 0:
            pointer = found + len(text)
    if not any(article):
        return None
    tail = gold[-TAIL_CHARS:]
    ends = [i for i, text in enumerate(texts) if tail in text or (len(text) >= ARTICLE_MATCH_MIN_CHARS
                                                                  and gold.endswith(text))]
    if ends:
        article = [a and i <= ends[-1] for i, a in enumerate(article)]
        article[ends[-1]] = True
    return Page(key, document, tuple(article))


def read_wcxb_articles(folder: Path):
    """(key, html, gold body) of each article page of WCXB dev."""
    for truth_path in sorted((folder / "ground-truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("_internal", {}).get("page_type", {}).get("primary") != "article":
            continue
        page = folder / "html" / f"{truth_path.stem}.html.gz"
        gold = truth.get("ground_truth", {}).get("main_content")
        if page.exists() and gold:
            yield f"wcxb:{truth_path.stem}", gzip.decompress(page.read_bytes()).decode("utf-8", "replace"), gold


def read_scrapinghub(folder: Path):
    """(key, html, gold body) of each ScrapingHub benchmark page."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key, value in sorted(truth.items()):
        page = folder / "html" / f"{key}.html.gz"
        if page.exists() and value.get("articleBody"):
            yield f"scrapinghub:{key[:12]}", gzip.decompress(page.read_bytes()).decode("utf-8", "replace"), \
                value["articleBody"]


READERS = {"wcxb_dev": read_wcxb_articles, "scrapinghub": read_scrapinghub}


def load_pages(datasets: Path, corpora=("wcxb_dev", "scrapinghub")) -> dict[str, list[Page]]:
    """Pages per corpus found under `datasets`; a missing corpus is left out."""
    found = {}
    for name in corpora:
        folder = datasets / name
        if folder.is_dir():
            found[name] = [p for key, markup, gold in READERS[name](folder) if (p := make_page(key, markup, gold))]
    return found


def corpus_files(datasets: Path, name: str) -> list[Path]:
    folder = datasets / name
    if name == "wcxb_dev":
        return sorted((folder / "ground-truth").glob("*.json")) + sorted((folder / "html").glob("*.html.gz"))
    return [folder / "ground-truth.json"] + sorted((folder / "html").glob("*.html.gz"))

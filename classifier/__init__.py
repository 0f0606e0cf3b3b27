"""lurid: score paragraphs for loaded language and find appended junk-link blocks."""

__version__ = "0.1.0"

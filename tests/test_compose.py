"""Composed training documents: changed blocks stay true to their labels."""

import random

from classifier.compose import ITEM_FIRST_STYLES, augment_block, compose_documents

PARAGRAPHS = [{"topic": topic, "text": f"The {topic} committee met on Tuesday and agreed the plan for {n} more weeks."}
              for topic in ("sport", "health") for n in range(6)]
BLOCKS = [
    {"id": "b1", "style": "related_posts", "lines": ["Related", "Headline one", "A teaser that stops…",
                                                     "Headline two", "Another teaser that…", "End of content"]},
    {"id": "b2", "style": "site_branded", "lines": ["Also on the Courier", "Story A", "Story B", "Story C"]},
    {"id": "b3", "style": "infinite_scroll", "lines": ["Story X", "Its teaser…", "Story Y", "Load more"]},
]


def test_without_augment_the_documents_are_the_default_ones():
    plain = compose_documents(PARAGRAPHS, BLOCKS, [], [], 40, seed=3)
    assert compose_documents(PARAGRAPHS, BLOCKS, [], [], 40, seed=3, augment=0.0) == plain


def test_a_changed_block_changes_only_its_own_document():
    plain = compose_documents(PARAGRAPHS, BLOCKS, [], [], 60, seed=3)
    changed = compose_documents(PARAGRAPHS, BLOCKS, [], [], 60, seed=3, augment=1.0)
    differing = [i for i, (a, b) in enumerate(zip(plain, changed)) if a != b]
    assert differing  # some blocks did change
    assert all(plain[i].block_first_line is not None for i in differing)  # and no document without a block


def test_augmented_blocks_are_made_of_block_lines():
    rng = random.Random(0)
    every_line = {line for block in BLOCKS for line in block["lines"]}
    seen = set()
    for _ in range(200):
        block = rng.choice(BLOCKS)
        lines = augment_block(block, BLOCKS, rng)
        assert len(lines) >= 2 and set(lines) <= every_line
        assert lines[1:] == [line for line in block["lines"] if line in lines[1:]]  # items keep their order
        seen.add(tuple(lines))
    headlines_only = ("Related", "Headline one", "Headline two", "End of content")
    assert headlines_only in seen
    assert ("Also on the Courier", "Headline one", "A teaser that stops…", "Headline two", "Another teaser that…",
            "End of content") in seen  # a label borrowed from another block
    assert ("Related", "Headline one") in seen  # cut short, without its trailer


def test_item_first_blocks_are_never_given_a_label():
    rng = random.Random(1)
    block = BLOCKS[2]
    assert block["style"] in ITEM_FIRST_STYLES
    for _ in range(50):
        assert augment_block(block, BLOCKS, rng)[0] == "Story X"


def test_text_block_start_is_the_changed_block_first_line():
    for document in compose_documents(PARAGRAPHS, BLOCKS, [], [], 80, seed=5, augment=1.0):
        if document.is_html or document.block_start is None:
            continue
        assert document.content[document.block_start:].split("\n", 1)[0] == document.block_first_line
        first_lines = {line for block in BLOCKS for line in block["lines"]}
        assert document.block_first_line in first_lines

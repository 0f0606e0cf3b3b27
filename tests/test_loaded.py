from classifier.loaded import merge_highlights


def test_tiny_model_orders_loaded_above_neutral(tiny_model):
    p = tiny_model.loaded.predict_proba([
        "Reckless officials unleashed a terrifying, disgraceful fiasco!",
        "The council approved the budget on Tuesday.",
    ])
    assert p[0] > p[1]
    assert 0.0 <= p.min() and p.max() <= 1.0


def test_highlights_point_at_the_loaded_words(tiny_model):
    text = "The council met. Reckless officials unleashed a terrifying fiasco!"
    highlights = tiny_model.loaded.explain(text)
    assert highlights, "a loaded sentence should have highlights"
    assert [h.weight for h in highlights] == sorted((h.weight for h in highlights), reverse=True)
    marked = " ".join(text[h.start:h.end] for h in highlights)
    assert "terrifying" in marked or "fiasco" in marked or "Reckless" in marked
    assert "council" not in marked


def test_default_model_tabloid_above_wire(model):
    tabloid = ("Shameless town hall fat cats have unleashed a terrifying new parking crackdown that will "
               "bleed hard-working families dry, in a disgraceful betrayal of every motorist.")
    wire = ("The town council approved new parking charges on Tuesday. The fees, which start in May, "
            "will rise by 20 cents an hour, a spokeswoman said.")
    quoted = ('The opposition leader called the parking plan "a disgraceful betrayal", according to a '
              "statement released on Tuesday.")
    p_tabloid, p_wire, p_quoted = model.loaded.predict_proba([tabloid, wire, quoted])
    assert p_tabloid > 0.8 > 0.2 > p_wire
    assert p_tabloid > p_quoted


def test_merge_highlights_joins_overlaps_and_drops_weak():
    merged = merge_highlights([(0, 5, 0.2), (3, 9, 0.3), (20, 25, 0.01), (30, 34, 0.4)])
    assert [(h.start, h.end) for h in merged] == [(0, 9), (30, 34)]


def test_an_emoji_sequence_is_highlighted_whole(model):
    text = "Family day out 👨\u200d👩\u200d👧 and a heart ❤\ufe0f!"
    spans = [text[h.start:h.end] for h in model.loaded.explain(text)]
    for span in spans:
        assert not span.startswith(("\u200d", "\ufe0f")) and not span.endswith("\u200d")
    assert any("👨\u200d👩\u200d👧" in span for span in spans)

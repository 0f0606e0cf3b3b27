import pickle

from classifier.features import FUNCTION_WORDS
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


def test_the_highlight_lookup_table_is_rebuilt_not_saved(tiny_model):
    """explain's table of positive terms is derived at run time; an artifact written after explain ran
    must not carry it (it would go stale against a refitted vectorizer)."""
    text = "Reckless officials unleashed a terrifying fiasco!"
    highlights = tiny_model.loaded.explain(text)
    assert tiny_model.loaded._positive
    copy = pickle.loads(pickle.dumps(tiny_model.loaded))
    assert "_positive" not in vars(copy)
    assert copy.explain(text) == highlights
    texts = ["Reckless bosses unleashed a shocking, disgraceful fiasco!", "The council approved the budget.",
             "A terrifying catastrophe engulfs the helpless town!", "The library opens at nine on Monday.",
             "Outrageous officials betray furious families again!", "Rainfall was close to the average."]
    copy.fit(texts * 3, [1, 0, 1, 0, 1, 0] * 3, folds=3)
    assert copy._positive is None  # a refit drops the table of the fit before


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
    # 0.3 + 0.4 joined pass the floor (0.6); 0.01 and 0.5 alone do not
    merged = merge_highlights([(0, 5, 0.3), (3, 9, 0.4), (20, 25, 0.01), (30, 34, 0.6), (40, 44, 0.5)])
    assert [(h.start, h.end) for h in merged] == [(0, 9), (30, 34)]


def test_an_emoji_sequence_is_highlighted_whole(model):
    text = "Family day out 👨\u200d👩\u200d👧 and a heart ❤\ufe0f!"
    spans = [text[h.start:h.end] for h in model.loaded.explain(text)]
    for span in spans:
        assert not span.startswith(("\u200d", "\ufe0f")) and not span.endswith("\u200d")
    assert any("👨\u200d👩\u200d👧" in span for span in spans)


def test_a_paragraph_without_words_is_not_loaded(model):
    # "!!!???" scored 1.0 and "😱🔥" 0.98 when marks and emoji were counted with no words around them
    for text in ("!!!???", "!!!", "😱🔥", "🔥"):
        assert model.loaded.predict_proba([text])[0] < 0.5, text


def test_an_emoji_does_not_make_a_sober_sentence_loaded(model):
    sober = "The council approved the budget on Tuesday by a vote of 7 to 2."
    p_plain, p_leading, p_trailing = model.loaded.predict_proba([sober, "⚡ " + sober, sober + " 📊"])
    assert abs(p_leading - p_plain) < 0.02 and abs(p_trailing - p_plain) < 0.02


def test_acronyms_score_like_the_same_words_in_lower_case(model):
    acronyms = "NATO and the FBI met EU officials in Brussels on Monday."
    lowered = "Nato and the Fbi met Eu officials in Brussels on Monday."
    p_acronyms, p_lowered = model.loaded.predict_proba([acronyms, lowered])
    assert abs(p_acronyms - p_lowered) < 0.01
    # shouting still counts
    assert model.loaded.predict_proba(["The council's plan is OUTRAGEOUS and DISGRACEFUL."])[0] > \
        model.loaded.predict_proba(["The council's plan is outrageous and disgraceful."])[0]


def test_one_lexicon_word_does_not_saturate_a_short_heading(model):
    # a one-to-three-word text with one lexicon hit used to score above 0.98
    for heading in ("Shocking", "Budget chaos", "Council budget chaos"):
        assert model.loaded.predict_proba([heading])[0] < 0.9, heading
    tabloid = "Shocking scenes as furious residents slammed the reckless council's disgraceful plan!"
    p_heading, p_tabloid = model.loaded.predict_proba(["Shocking", tabloid])
    assert p_heading < p_tabloid


def test_sober_sentences_get_no_highlights_and_loaded_ones_keep_theirs(model):
    # at the former minimum weight (0.1) both sober sentences had highlights ("waste" among them)
    for sober in ("The ministry reported that unemployment fell to 4.1 percent in March.",
                  "The council said on Tuesday that general waste will be collected every two weeks from "
                  "April, and recycling weekly."):
        assert model.loaded.explain(sober) == [], sober
    tabloid = ("Shameless town hall fat cats have unleashed a terrifying new parking crackdown that will "
               "bleed hard-working families dry, in a disgraceful betrayal of every motorist.")
    assert len(model.loaded.explain(tabloid)) >= 3


def test_page_furniture_is_not_loaded_language(model):
    # "share this" was a lexicon phrase (chain letters); as the label of share buttons it scored 0.98
    furniture = ["Share this:", "Share this article", "Print this page", "Subscribe to our newsletter"]
    assert all(p < 0.5 for p in model.loaded.predict_proba(furniture)), furniture
    chain_letter = "Share this with everyone you know before it's deleted!"
    assert model.loaded.predict_proba([chain_letter])[0] > 0.5


def test_an_emoji_highlight_never_splits_a_flag_or_a_tag_sequence(model, monkeypatch):
    import functools

    import classifier.loaded

    flags = {"🇺🇸", "🇬🇧", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"}
    # at most HIGHLIGHT_MAX spans are shown: two loaded words, five emoji and the "!" are eight (and style
    # cues count in full from four words on). Each emoji here weighs 0.57, under the shown floor of 0.6
    # since session 14: the spans are checked with the former floor, 0.4, which shows them all
    monkeypatch.setattr(classifier.loaded, "merge_highlights",
                        functools.partial(classifier.loaded.merge_highlights, min_weight=0.4))
    text = "👍🏽 Shocking ❤️ in the town 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F outrage 🇺🇸🇬🇧!"
    shown = {text[h.start:h.end] for h in model.loaded.explain(text)}
    assert flags <= shown, shown
    assert "🇺" not in shown and "🏴" not in shown


def test_words_that_only_carry_grammar_are_never_highlighted(model):
    # each of these n-grams has a positive coefficient, and alone in a paragraph it moved the log-odds past 0.4
    for text in ("a", "Share this article", "Calm text here."):
        shown = [text[h.start:h.end] for h in model.loaded.explain(text)]
        assert not [span for span in shown if span.lower() in {"a", "this", "here"}], (text, shown)


def test_a_highlight_does_not_spill_onto_function_words_at_its_edges(model):
    # the bigrams "slammed the" and "A terrifying" were shown whole; their weight now marks the content word
    for text, word, spill in (("Furious residents slammed the reckless council's plan.", "slammed", "slammed the"),
                              ("A terrifying storm is coming.", "terrifying", "A terrifying")):
        highlights = model.loaded.explain(text)
        shown = [text[h.start:h.end] for h in highlights]
        assert word in shown and spill not in shown, (text, shown)
        for h in highlights:
            span = text[h.start:h.end].lower().split()
            assert span[0] not in FUNCTION_WORDS and span[-1] not in FUNCTION_WORDS, (text, shown)


def test_a_loaded_headline_shows_the_words_that_made_it_loaded(model):
    # these scored 0.98-0.9999 with no highlight at all: their score rests on the lexicon's density and
    # maximum, which the slopes credit to no single word
    for text, words in (("Shocking outrage", {"Shocking", "outrage"}),
                        ("You won’t believe these", {"You won’t believe"})):
        assert model.loaded.predict_proba([text])[0] > 0.9
        shown = {text[h.start:h.end] for h in model.loaded.explain(text)}
        assert words <= shown, (text, shown)


def test_a_loaded_headline_keeps_its_loaded_words_beside_its_other_cues(model):
    # with a "!", an emoji or capitals, the slopes gave those a highlight and the loaded words none
    for text in ("Shocking outrage!", "Shocking outrage 😱", "SHOCKING outrage"):
        shown = {text[h.start:h.end].lower() for h in model.loaded.explain(text)}
        assert {"shocking", "outrage"} <= shown, (text, shown)


def test_the_whole_lexicon_push_is_for_short_loaded_paragraphs_only(model):
    from classifier.scoring import _row

    # a short paragraph scored low keeps its slopes: "Breaking" would weigh 4.3 with the whole push
    assert model.loaded.predict_proba(["Breaking the Silence"])[0] < 0.5
    assert model.loaded.explain("Breaking the Silence") == []
    # a long loaded paragraph too (38 words, 0.9999): its lexicon hits would weigh 2.0-2.8
    long = ("The shamed research chief at the centre of a data-rigging scandal clung to his post on Tuesday "
            "despite mounting demands to quit, as furious colleagues accused the university of a whitewash "
            "designed to protect its star fundraiser.")
    assert model.loaded.predict_proba([long])[0] > 0.99
    assert all(h.weight < 1 for h in model.loaded.explain(long))
    # "scored loaded" is as shown, to 4 places: 0.49997 is shown as 0.5, and counts
    texts = ["own still charity survived the hall. written be she", "Breaking the Silence", "Shocking outrage",
             "The council met on Tuesday.", "A huge thank you to:", "What happens next"]
    rows = model.loaded.features(texts)
    for i, p in enumerate(model.loaded.predict_proba(texts)):
        shown_loaded = model.loaded._decision(_row(rows, i)) >= model.loaded._decision_bound(0.5)
        assert shown_loaded == (round(float(p), 4) >= 0.5), (texts[i], p)


def test_a_paragraph_shown_below_the_highlight_floor_has_no_highlights(model):
    from classifier.loaded import HIGHLIGHT_MIN_SCORE

    # each had a highlight before the floor: "Now" (0.55) in a heading scored 0.0004, "claims" (0.63) in a
    # sentence scored 0.0014, "now" (0.67) in one scored 0.0019
    for text in ("What Happens Now", "The mayor said on Tuesday that the claims were false.",
                 "The bridge will now close at 10pm on weekdays."):
        assert model.loaded.predict_proba([text])[0] < HIGHLIGHT_MIN_SCORE, text
        assert model.loaded.explain(text) == [], text
    # the floor is on the score as shown, to 4 places
    texts = ["What Happens Now", "Shocking outrage", "The council met on Tuesday.", "A huge thank you to:",
             "Critics called the plan a disaster.", "The storm was the worst in a decade, officials said."]
    for text, p in zip(texts, model.loaded.predict_proba(texts)):
        if round(float(p), 4) < HIGHLIGHT_MIN_SCORE:
            assert model.loaded.explain(text) == [], (text, p)


def test_literal_senses_of_loaded_words_are_not_read_as_loaded(model):
    # each scored 0.5 or more before session 14's lexicon fixes (0.99, 0.99, 0.54, 0.67, 0.64)
    literal = ["Residents woke on Monday to find the road closed.",
               "She woke up at 6am and drove to the station.",
               "The man pleads guilty to burglary at the crown court.",
               "Police fired tear gas at the crowd outside parliament.",
               "The ship sank after a blast in its engine room."]
    for text, p in zip(literal, model.loaded.predict_proba(literal)):
        assert p < 0.5, (text, p)
    # the senses the lexicon is for still count
    loaded = ["The woke mob has taken over the council.", "Woke council bans Christmas tree from town hall"]
    assert all(p > 0.9 for p in model.loaded.predict_proba(loaded))

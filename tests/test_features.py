from classifier.features import LexiconStyleFeatures, analyze, ngrams, quoted_ranges, tokenize


def test_tokens_carry_spans_into_the_text():
    text = "Officials’ plan SLAMMED as “reckless”!"
    for token in tokenize(text):
        assert text[token.start:token.end].lower().replace("’", "'") == token.text


def test_words_are_stemmed_and_ngrams_stop_at_punctuation():
    grams = [g for g, _, _ in ngrams(tokenize("Terrifying cuts. Budget slammed"))]
    assert "terrifi cut" in grams
    assert "cut budget" not in grams
    assert "budget slam" in grams
    assert sorted(analyze("Slammed slams")) == ["slam", "slam", "slam slam"]


def test_lexicon_matches_phrases_and_inflections(tiny_lexicon):
    text = "Critics slammed the terrifying fiasco."
    hits = [(text[s:e], w) for s, e, w, _ in tiny_lexicon.matches(tokenize(text))]
    assert ("slammed", 0.8) in hits and ("terrifying", 0.9) in hits and ("fiasco", 0.9) in hits


def test_quoted_loaded_words_count_apart(tiny_lexicon):
    features = LexiconStyleFeatures(tiny_lexicon).fit(["x"])
    names = features.feature_names_
    direct = dict(zip(names, features.describe("The plan is a terrifying fiasco.")))
    quoted = dict(zip(names, features.describe('He called the plan "a terrifying fiasco", officials said.')))
    assert direct["lex_total"] > quoted["lex_total"]
    assert quoted["lex_quoted"] > direct["lex_quoted"]
    assert quoted_ranges('a "b" c') == ((2, 4),)

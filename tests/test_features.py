import pytest
from hypothesis import given
from hypothesis import strategies as st
from nltk.tokenize import RegexpTokenizer

from classifier.features import Lexicon, LexiconStyleFeatures, analyze, ngrams, quoted_ranges, tokenize


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


def test_exact_terms_match_only_as_written(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("term\tweight\tcategory\tmatch\n"
                    "weaponized\t0.65\tviolence\texact\n"
                    "elites\t0.6\tlabel\texact\n"
                    "elite\t0.25\tlabel\tstem\n"
                    "terrifying\t0.9\tfear\tstem\n", encoding="utf-8")
    lexicon = Lexicon.from_tsv(path)
    text = "Weapons were moved; the Weaponized elite blamed elites, terrified."
    hits = [(text[s:e], w) for s, e, w, _ in lexicon.matches(tokenize(text))]
    # "weapons" shares the stem of "weaponized" but is not it; "elite" falls back to its stem entry;
    # a stem term still finds its inflections ("terrified")
    assert hits == [("Weaponized", 0.65), ("elite", 0.25), ("elites", 0.6), ("terrified", 0.9)]
    assert lexicon.categories == ["fear", "label", "violence"]


def test_a_bad_match_value_names_its_line(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("term\tweight\tcategory\tmatch\nfoo\t0.5\tx\tfuzzy\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicon.tsv:2: match must be"):
        Lexicon.from_tsv(path)


def _cues(features, text):
    return dict(zip(features.feature_names_, features.describe(text)))


def test_acronyms_are_not_shouting(tiny_lexicon):
    features = LexiconStyleFeatures(tiny_lexicon).fit(["x"])
    assert _cues(features, "NATO and the FBI met EU officials in Brussels on Monday.")["all_caps"] == 0
    assert _cues(features, "The WHO and UNICEF said the IMF loan was approved by the UN.")["all_caps"] == 0
    # shouting: a long capitalised word, or a run of capitals
    assert _cues(features, "The council's plan is OUTRAGEOUS, say residents.")["all_caps"] > 0
    assert _cues(features, "THE WAR IS HERE, say residents of the town.")["all_caps"] > 0


def test_a_paragraph_without_words_has_no_style_evidence(tiny_lexicon):
    features = LexiconStyleFeatures(tiny_lexicon).fit(["x"])
    for text in ("!!!???", "😱🔥", "!!! 😱"):
        cues = _cues(features, text)
        assert cues["exclamations"] == cues["questions"] == cues["emoji"] == cues["all_caps"] == 0, text
    cues = _cues(features, "You will not believe what the council did next!!! 😱")
    assert cues["exclamations"] > 0 and cues["emoji"] > 0


def test_one_lexicon_hit_in_a_short_text_is_not_denser_than_in_a_sentence(tiny_lexicon):
    features = LexiconStyleFeatures(tiny_lexicon).fit(["x"])
    heading = _cues(features, "Terrifying")["lex_density"]
    sentence = _cues(features, "The new plan is terrifying for every family.")["lex_density"]
    assert 0 < heading <= sentence


# The tokenizer the committed model was trained with (nltk 3.10, whose RegexpTokenizer runs `regex`).
TRAINED_TOKENIZER = RegexpTokenizer(r"\w+(?:['’]\w+)*|[^\w\s]")
# Letters, combining marks (where `regex` and the standard library's \w differ), apostrophes, digits,
# underscores, punctuation, emoji, format characters and assorted spaces.
_TOKEN_ALPHABET = ("aZé9_'’-. \u0301\u0308\u093f\u200d\u00a0\u3000😱,!\u00ad"
                   + "".join(map(chr, range(0x0900, 0x0910))))


@given(st.text(alphabet=_TOKEN_ALPHABET, max_size=60) | st.text(max_size=60))
def test_tokens_are_those_of_the_trained_tokenizer(text):
    """The model was trained on RegexpTokenizer's spans; the pattern run directly must give the same ones."""
    assert [(t.start, t.end) for t in tokenize(text)] == list(TRAINED_TOKENIZER.span_tokenize(text))


def test_apostrophes_join_word_parts():
    assert [t.text for t in tokenize("It won’t stop, they'd say")] == ["it", "won't", "stop", ",", "they'd", "say"]


def test_combining_marks_stay_inside_words():
    # The standard library's \w does not match U+0301, so `re` would split "café" written with a
    # combining accent into "cafe" and a punctuation token; nltk's engine, and so ours, does not.
    assert [t.text for t in tokenize("cafe\u0301 open")] == ["cafe\u0301", "open"]

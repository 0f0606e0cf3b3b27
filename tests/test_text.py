import textwrap

from classifier.html import parse_html
from classifier.scoring import ScoringConfig, score_document
from classifier.text import fit_width, fix_word, markdown_markup, split_lines, split_text, wrap_width


def spans(text):
    return [(p.start, p.end) for p in split_text(text).paragraphs]


def test_one_paragraph_per_line():
    text = "First paragraph here.\nSecond paragraph here.\nThird."
    assert [text[s:e] for s, e in spans(text)] == ["First paragraph here.", "Second paragraph here.", "Third."]


def test_blank_lines_and_crlf_separate_paragraphs():
    text = "One.\r\n\r\n  Two, indented.  \r\n\r\n\r\nThree."
    assert [text[s:e] for s, e in spans(text)] == ["One.", "Two, indented.", "Three."]


def test_hard_wrapped_lines_are_rejoined():
    body = ("The regional council met on Tuesday evening to discuss the draft budget for the coming "
            "year, which includes new spending on roads, libraries and the harbour wall. ") * 3
    text = "\n".join(textwrap.wrap(body, 72)) + "\n\n" + "\n".join(textwrap.wrap(body, 72))
    doc = split_text(text)
    assert len(doc.paragraphs) == 2
    assert doc.paragraphs[0].text == " ".join(body.split())
    assert wrap_width(text, split_lines(text)) is not None


def test_wrapped_paragraph_does_not_swallow_a_short_label_line():
    body = "word " * 200
    lines = textwrap.wrap(body, 70)
    text = "\n".join(lines) + "\nRead More\nSome headline about a thing"
    paragraphs = split_text(text).paragraphs
    assert [text[p.start:p.end] for p in paragraphs][-2:] == ["Read More", "Some headline about a thing"]


def test_a_headline_the_next_word_would_have_fitted_after_is_not_wrapped_into_it():
    """A wrapping program breaks a line only at a word that does not fit: after a wrapped article, a
    headline list's lines are the writer's own, however long, even when the next one ends in a full stop."""
    body = ("The result lifts the home side to sixth in the table, two points clear of their rivals "
            "with three rounds remaining, and the coach said his players had shown real character. ") * 2
    headlines = ["You may also like", "Championship play-off format confirmed for next season",
                 "Winger: 'I nearly quit the game at 19'"]
    text = "\n".join(textwrap.wrap(body, 70)) + "\n\n" + "\n".join(headlines) + "\n"
    assert [text[s:e] for s, e in spans(text)][-3:] == headlines
    # the wrapped paragraph itself is still one paragraph
    assert len(spans(text)) == 4


def test_a_line_longer_than_any_wrapped_line_was_not_wrapped():
    """Title-case headlines of 85-99 columns after an article wrapped at 72 ran on into each other
    (each looked full): a line longer than every line that runs on mid-sentence stands alone."""
    body = ("Islanders have been plunged into despair after ferry bosses announced a staggering fare hike "
            "that critics say will turn the crossing into a luxury only the wealthy can afford. ") * 5
    headlines = ["Ferry Passengers Stranded For Nine Hours After Mystery Engine Failure In Choppy Waters",
                 "Island Shop Owner Reveals The Shocking Cost Of Getting A Pint Of Milk Across The Water",
                 "Teenagers Launch Extraordinary Campaign To Save Their Tiny Island School"]
    text = "\n".join(textwrap.wrap(body, 72)) + "\n\nRead More\n" + "\n".join(headlines)
    assert [text[s:e] for s, e in spans(text)][-3:] == headlines


def test_lines_balanced_by_fmt_still_run_on():
    """GNU fmt and par balance lines and break before words that would have fitted: where the next line
    goes on mid-sentence (its first letter in lower case, after a quotation mark too) it is not split."""
    text = ("Gemma and Craig Loxley, both 34, bought the tumbledown property in\n"
            "the village of Wrayford last year and had been stripping it back to\n"
            "the brickwork when Craig noticed a draught coming from behind the old\n"
            "kitchen range, and the company said in a statement that it had\n"
            "\"a small number\" of complaints involving the old range and was taking\n"
            "a precautionary step while it investigated the cause of the draught.\n")
    assert len(spans(text)) == 1


def test_a_full_line_before_a_quotation_is_not_cut_off_when_few_lines_were_measured():
    """Only three lines run on into lower case, the longest of them 66 columns: a full 72-column line
    before a quotation was taken for an unwrapped one (longer than any wrapped line) and cut off."""
    text = ("For now, towns like Ashcombe are left to find their own answers. A\nvolunteer-run newsletter "
            "launched there last year now has 2,000\nsubscribers. Its founder, a retired teacher, says she "
            "started it because\n\"someone had to go to the meetings.\"\n\nRoasters have already begun "
            "passing higher costs on to consumers.\nSeveral large coffee brands raised retail prices in "
            "Europe and North\nAmerica last month, and industry groups have warned of further\nincreases.")
    assert len(spans(text)) == 2, [text[s:e] for s, e in spans(text)]


def test_an_indented_paragraph_start_is_not_wrapped_into_the_line_before():
    paragraph = ("Border officials said more than eleven thousand people had crossed since Friday, "
                 "nearly four times the daily average of the previous month, and that the queue "
                 "stretched back for six kilometres along the mountain road.")
    lines = textwrap.wrap(paragraph, 68, initial_indent="  ")
    text = "\n".join(lines + lines)
    assert len(spans(text)) == 2


def test_hand_wrapped_lines_broken_a_little_early_still_run_on():
    text = ("Islanders on Inchmore have been plunged into despair after ferry bosses\n"
            "announced a staggering fare hike that critics say will turn the crossing\n"
            "into a luxury that only the wealthy can afford, a return ticket for a car\n"
            "and two passengers rising from 48 to 71 pounds, a rise that one crofter\n"
            "called robbery. The operator said in a statement that fuel and\n"
            "maintenance costs had risen by 34 per cent over two years and that\n"
            "island residents would receive a discount on all fares.\n")
    assert fit_width(text, split_lines(text))[0] >= 70
    assert len(spans(text)) == 1


def test_fit_width_needs_lines_that_run_on_mid_sentence():
    text = "One line.\nAnother line.\nA third line here.\n"
    assert fit_width(text, split_lines(text)) is None


def test_lines_of_even_length_that_never_run_on_mid_sentence_stay_apart():
    """One paragraph per line, each 60-75 columns and many without a full stop, looks wrapped by its
    lengths; but no line runs on into a line starting in lower case, so there is no sign any line was
    broken by a wrapping program, and a line that does not start in lower case stands alone."""
    lines = ["The Sandmouth pier reopened on Saturday after a two-year repair project.",
             "About 4,000 people visited on the first day, the pier trust said.",
             "The trust's chair, Olu Banjo, thanked volunteers who raised £300,000.",
             "More from the Sandmouth Echo",
             "Seagull steals chips from mayor during speech at the seafront",
             "Heatwave warning issued for the weekend as temperatures soar",
             "Lifeguards return to three beaches earlier than planned this year"]
    text = "\n".join(lines)
    assert wrap_width(text, split_lines(text)) is not None and fit_width(text, split_lines(text)) is None
    assert [text[start:end] for start, end in spans(text)] == lines
    # with as little evidence, a line that starts in lower case still runs on (a sentence broken mid-way);
    # the cost: a wrapped paragraph with fewer than three such breaks is cut before its capitalised lines
    wrapped = ("Volunteers raised the money over two years, with a sponsored swim from\n"
               "the pier to the lifeboat station and a raffle that drew entries from\n"
               "Canada, Australia and New Zealand, the trust said in its statement on\n"
               "Saturday, adding that the cafe would open at Easter and the arcade in\n"
               "the summer.")
    assert fit_width(wrapped, split_lines(wrapped)) is None
    assert [wrapped[start:end].count("\n") for start, end in spans(wrapped)] == [1, 0, 1]


def test_long_lines_are_not_treated_as_wrapped():
    text = "\n".join(["x" * 300, "y" * 280, "z" * 310])
    assert len(split_text(text).paragraphs) == 3


def test_mojibake_is_repaired_for_scoring_but_offsets_stay_on_sent_text():
    text = "Intro line.\nâš¡ Council donâ€™t panic ðŸ˜± now…"
    paragraph = split_text(text).paragraphs[1]
    assert paragraph.text == "⚡ Council don't panic 😱 now…"
    assert paragraph.repaired
    assert text[paragraph.start:paragraph.end] == "âš¡ Council donâ€™t panic ðŸ˜± now…"
    # "panic" in the repaired text maps to "panic" in the sent text
    i = paragraph.text.index("panic")
    start, end = paragraph.to_source_span(i, i + 5)
    assert text[start:end] == "panic"
    # a repaired word maps to the whole sent word
    i = paragraph.text.index("don't")
    start, end = paragraph.to_source_span(i, i + 5)
    assert text[start:end] == "donâ€™t"


def test_fix_word_leaves_real_accents_alone():
    assert fix_word("café") == "café"
    assert fix_word("naïve") == "naïve"
    assert fix_word("âš¡") == "⚡"


def test_empty_and_whitespace_documents_have_no_paragraphs():
    assert split_text("").paragraphs == ()
    assert split_text(" \n\t\n ").paragraphs == ()


def test_short_lines_around_a_long_paragraph_are_not_a_wrapped_text():
    text = ("Town Hall Unleashes Terrifying Bin Crackdown\n"
            "Residents are reeling after a shameless council rammed through a catastrophic, unprecedented shift.\n"
            "News\n⚡ Pensioner Gnome Feud Erupts\nNeighbours say the trouble began when…\nEnd of content\n"
            "No more pages to load")
    assert len(split_text(text).paragraphs) == 7


def test_ascii_runs_and_repaired_words_map_back_word_by_word():
    text = "Plain  words\there and cafÃ© then âš¡ Alert!x\x1fy"
    (paragraph,) = split_text(text).paragraphs
    pairs = [("Plain", "Plain"), ("words", "words"), ("here", "here"), ("and", "and"), ("café", "cafÃ©"),
             ("then", "then"), ("⚡", "âš¡"), ("Alert!x y", "Alert!x\x1fy")]
    assert paragraph.text == " ".join(norm for norm, _ in pairs)
    position = 0
    for norm, raw in pairs:
        start, end = paragraph.to_source_span(position, position + len(norm))
        assert text[start:end] == raw
        position += len(norm) + 1


def test_nel_breaks_lines_but_not_inside_latin1_mojibake():
    assert [p.text for p in split_text("one\x85two").paragraphs] == ["one", "two"]
    # "Å" (C3 85) misread as Latin-1 is "Ã\x85": one word, repaired
    (paragraph,) = split_text("The \xc3\x85land ferry").paragraphs
    assert paragraph.text == "The Åland ferry"
    # two NELs after a full stop are two line breaks (the second was read as a continuation byte, and
    # "…Calm report." came out as a paragraph opening with a teaser-like "\x85")
    assert [p.text for p in split_text("Shocking news.\x85\x85Calm report.").paragraphs] == \
        ["Shocking news.", "Calm report."]
    # U+2005 (E2 80 85) misread as Latin-1: the NEL is the third byte of the sequence, inside the word
    assert len(split_text("a\xe2\x80\x85b").paragraphs) == 1


def test_curly_quotes_are_repaired_but_are_not_mojibake():
    (typographic,) = split_text("It’s a “fine” day").paragraphs
    (broken,) = split_text("Itâ€™s a fine day").paragraphs
    assert typographic.repaired and not typographic.mojibake
    assert broken.repaired and broken.mojibake


def test_a_paragraph_starts_at_its_word_not_at_unicode_spaces_or_a_bom_before_it():
    for text, first in (("\u00a0\u00a0Shocking outrage.", "Shocking outrage."),
                        ("\ufeffCelebrity chef quits\nSecond paragraph.", "Celebrity chef quits"),
                        ("\u3000\u200bIndented line.", "Indented line.")):
        paragraph = split_text(text).paragraphs[0]
        assert text[paragraph.start:paragraph.end] == first == paragraph.text
    # after a letter, U+00A0 may be half of a mojibake pair ("Ã\xa0" is "à"): it stays with its word
    assert split_text("Voil\u00c3\u00a0 tout.").paragraphs[0].text == "Voilà tout."


def test_unicode_spaces_after_or_between_words_are_not_part_of_them():
    """An em space or an ideographic space separates words as an ASCII space does: a paragraph or a
    highlight never ends in one (it used to: "outrage\u3000\u3000" was the last word)."""
    sent = "A shocking\u2003outrage\u3000\u3000\nNext line"
    first = split_text(sent).paragraphs[0]
    assert sent[first.start:first.end] == "A shocking\u2003outrage" and first.text == "A shocking outrage"
    start, end = first.to_source_span(first.text.index("outrage"), len(first.text))
    assert sent[start:end] == "outrage"
    assert split_text("Voil\u00c3\u00a0\u3000tout.").paragraphs[0].text == "Voilà tout."  # U+00A0 still mojibake


def test_a_wrapped_line_ending_in_a_direction_mark_still_ends_its_sentence():
    """The hard-wrap joiner reads lines as they show: a short last line "...far more.\u200e" used to stand
    alone as a paragraph, as if it were a heading, because it did not end in a full stop."""
    lines = ["The council voted on Tuesday to close the old swimming pool at the end of",
             "the summer, after a survey found that the roof was unsafe and that repairs",
             "would cost far more.\u200e",
             "Residents who had campaigned for two years to keep the pool open said they",
             "would go on meeting every week and would ask the county for a grant to build",
             "a smaller pool on the same site.",
             "The leader of the council said the decision had not been taken lightly and",
             "that the site would stay in public hands whatever was eventually built there."]
    paragraphs = split_text("\n".join(lines)).paragraphs
    assert [p.text.split()[-1] for p in paragraphs] == ["more.", "site.", "there."]


def test_format_characters_inside_words_do_not_hide_them_from_scoring():
    """A zero-width joiner or a soft hyphen (`&shy;`) has no glyph: the word is scored as it shows,
    and its span is still the word as sent."""
    sent = "Sho\u200dcking out\u200drage as council slams shame\u00adless plan"
    (paragraph,) = split_text(sent).paragraphs
    assert paragraph.text == "Shocking outrage as council slams shameless plan"
    assert (paragraph.start, paragraph.end) == (0, len(sent))
    start, end = paragraph.to_source_span(0, len("Shocking"))
    assert sent[start:end] == "Sho\u200dcking"
    start, end = paragraph.to_source_span(paragraph.text.index("shameless"), len(paragraph.text) - len(" plan"))
    assert sent[start:end] == "shame\u00adless"
    assert not paragraph.mojibake


def test_a_line_of_format_characters_only_is_blank():
    sent = "First paragraph.\n\u200b\nSecond \u200d paragraph.\u200e\n\ufeff\u2060\n"
    assert [p.text for p in split_text(sent).paragraphs] == ["First paragraph.", "Second paragraph."]
    assert split_text("\ufeff").paragraphs == ()
    second = split_text(sent).paragraphs[1]
    assert sent[second.start:second.end] == "Second \u200d paragraph."  # ends at the word, not the mark


def test_soft_hyphen_in_mojibake_is_still_repaired_and_emoji_joiners_stay():
    """U+00AD is also the second byte of mojibake: "Ã\\xad" is í, "â\\xad\\x90" is ⭐. It is removed only
    after the repair; a zero-width joiner between two symbols is part of one emoji."""
    assert [p.text for p in split_text("â\xad\x90 Top picks aquÃ\xad").paragraphs] == ["⭐ Top picks aquí"]
    assert [p.text for p in split_text("Sahara now ðŸ˜\xadâ˜€ï¸\x8f").paragraphs] == ["Sahara now 😭☀️"]
    (family,) = split_text("👨\u200d👩\u200d👧 family day").paragraphs
    assert family.text == "👨\u200d👩\u200d👧 family day" and not family.repaired


def test_soft_hyphens_joiners_and_marks_at_the_edges_of_words():
    """A soft hyphen after ß or É is not mojibake ("ß\\xad" read as UTF-8 is U+07ED); joiners between letters
    go whatever their number, and between two symbols stay; marks before a word are not part of its span."""
    (word,) = split_text("Groß\u00adstadt CAFÉ\u00adBAR").paragraphs
    assert word.text == "Großstadt CAFÉBAR" and not word.mojibake
    assert split_text("x" + "\u200d" * 5 + "y ✈\u200d✈").paragraphs[0].text == "xy ✈\u200d✈"
    sent = "\u200fשלום\u200f עולם"
    (hebrew,) = split_text(sent).paragraphs
    assert sent[hebrew.start:hebrew.end] == "שלום\u200f עולם" and hebrew.text == "שלום עולם"


def test_the_no_evidence_rule_leaves_indented_and_caseless_wrapped_text_joined():
    """Review of session 22: an indented wrapped paragraph has lines that run on into lower case past the
    indent (fit_width read the indent's space), and a script without case (Hindi) opens no line in lower
    case: the first was cut before each capitalised line, the second before every line."""
    wrapped = ("Volunteers raised the money over two years, with a sponsored swim from\n"
               "the pier to the lifeboat station and a raffle that drew entries from\n"
               "Canada, Australia and New Zealand, the trust said in its statement on\n"
               "Saturday, adding that the cafe would open at Easter and the arcade in\n"
               "the summer. The council said it was delighted with the result and that\n"
               "it would contribute a further sum towards the lighting of the pier, which\n"
               "has been dark since the storm of 2019 damaged the cables under the deck\n"
               "and flooded the old generator house at the end, according to Councillor\n"
               "Jane Smith, who chairs the committee.")
    indented = "\n".join("    " + line for line in wrapped.split("\n"))
    assert fit_width(indented, split_lines(indented)) is not None
    assert len(spans(indented)) == 1
    hindi = textwrap.fill("भारत के प्रधानमंत्री ने आज नई दिल्ली में एक बड़ी बैठक की जिसमें कई राज्यों के मुख्यमंत्री शामिल "
                          "हुए और उन्होंने देश की आर्थिक स्थिति पर विस्तार से चर्चा की तथा आने वाले वर्षों के लिए नई "
                          "योजनाओं की घोषणा की जिससे किसानों और मजदूरों को लाभ होगा। बैठक के बाद एक संवाददाता "
                          "सम्मेलन में उन्होंने कहा कि सरकार हर नागरिक के लिए काम कर रही है।", 40)
    assert hindi.count("\n") >= 6 and len(spans(hindi)) == 1  # since session 23 the danda ends a sentence


def test_other_scripts_full_stops_end_paragraphs_one_per_line():
    """Lines of even length that each end in a danda or an ideographic full stop are paragraphs one per
    line, not wrapped text (session 23: they were run together into one paragraph)."""
    hindi = ("नगर निगम ने आज घोषणा की कि शहर के केंद्र में पार्किंग शुल्क अगले महीने से दोगुना हो जाएगा।\n"
             "दुकानदारों का कहना है कि इससे बाज़ार में आने वाले लोगों की संख्या और घट जाएगी।\n"
             "पार्षद ने कहा कि सड़कों की मरम्मत के लिए यह धन ज़रूरी है और बातचीत जारी रहेगी।\n"
             "शुल्क की समीक्षा अप्रैल में की जाएगी और तब तक नियम लागू रहेंगे।\n")
    chinese = ("市议会今天宣布，市中心的停车费将从下个月起翻倍，商户对此表示强烈不满。\n"
               "议员表示，这笔收入对于修缮道路是必要的，谈判将于周一继续进行。\n"
               "店主们说，自疫情以来客流量已经下降了五分之一，情况越来越糟糕。\n"
               "这项收费将在四月份接受审查。\n")
    quoted = chinese.replace("不满。", "不满。」").replace("进行。", "进行。」")  # a stop inside a closing bracket
    for text in (hindi, chinese, quoted, hindi.replace("।", "॥"), chinese.replace("。", "．")):
        assert [text[p.start:p.end] for p in split_text(text).paragraphs] == text.split("\n")[:-1]


def test_markdown_link_markup_is_left_out_of_the_scored_text():
    """Session 25: a reader sees "Ferry fares rise", not "[Ferry fares rise](https://...)"; offsets still
    cover the whole line as sent, and a span of the link text maps back onto it."""
    sent = ("# Ferry fares\n\nIt was [truly shocking](https://gazette.example/a), she said.\n\n"
            "- [Ferry fares rise](https://gazette.example/b) · 3 min read\n"
            "- [![thumb](https://img.gazette.example/t.jpg)](https://gazette.example/c)\n[](https://gazette.example/d)")
    prose, item, image, bare_link = split_text(sent).paragraphs[1:]
    assert prose.text == "It was truly shocking, she said."
    assert sent[prose.start:prose.end] == "It was [truly shocking](https://gazette.example/a), she said."
    start, end = prose.to_source_span(prose.text.index("shocking"), prose.text.index("shocking") + len("shocking"))
    assert sent[start:end] == "shocking"
    assert item.text == "- Ferry fares rise · 3 min read"
    assert sent[item.start:item.end] == "- [Ferry fares rise](https://gazette.example/b) · 3 min read"
    assert image.text == "- thumb"  # an image inside a link leaves its alt text
    assert bare_link.text == "[](https://gazette.example/d)"  # nothing but markup: as sent


def test_markdown_markup_is_plain_text_only():
    assert parse_html("<p>See [the report](https://gazette.example/r).</p>").paragraphs[0].text == (
        "See [the report](https://gazette.example/r).")
    assert markdown_markup("No links [here] (or here).", [(0, 26)]) == []


def test_only_what_looks_like_a_link_is_markup():
    # a destination must look like a URL, a path or an anchor: code and numbered citations stay as sent
    for sent in ("handlers[event.type](event)", "As shown [1](2), costs rose."):
        assert split_text(sent).paragraphs[0].text == sent
    assert split_text("See [the notes](#notes) and [the page](/about).").paragraphs[0].text == (
        "See the notes and the page.")


def test_markdown_markup_ranges_are_in_order_and_apart():
    """A session-25 review: a link holding another whose markup it covers gave overlapping ranges, and
    markup leaked into the scored text."""
    sent = '[a](x/y([b](c/d)) "t  z")'
    assert markdown_markup(sent, [(0, len(sent))]) == [(0, 1), (2, len(sent))]
    assert split_text(sent).paragraphs[0].text == "a"


def test_mojibake_and_no_break_spaces_at_a_links_edge():
    # U+00A0 after "Ã" is mojibake for "à", in a link as outside one; after a link it still parts words
    assert split_text("Rendez-vous [voilÃ\xa0](https://u.example) demain").paragraphs[0].text == (
        "Rendez-vous voilà demain")
    assert split_text("[a](https://u.example)\xa0b").paragraphs[0].text == "a b"
    assert split_text("See the\xa0[report](https://u.example/r) now").paragraphs[0].text == "See the report now"
    assert split_text("[a](https://u.example)\xa0[b](https://u.example)").paragraphs[0].text == "a b"
    assert split_text("[x](https://u.example/1)[y](https://u.example/2).").paragraphs[0].text == "xy."


def test_no_highlight_runs_across_a_links_edge(model):
    """A phrase over "fans slammed" in "furious [fans](https://...) slammed" would mark the URL in the sent
    text (a session-25 review): such phrases are not highlights, with or without repaired words."""
    sent = ("A shocking outrage erupted as furious [fans](https://x.example/news/fans-react-2027) slammed the "
            "disgraceful betrayal.")
    (paragraph,) = split_text(sent).paragraphs
    assert paragraph.breaks == (paragraph.text.index(" fans"), paragraph.text.index(" slammed"))
    for text in (sent, sent + " Itâ€™s true."):
        (scored,) = score_document(model, text=text, config=ScoringConfig()).paragraphs
        marked = [text[h.start:h.end] for h in scored.highlights]
        assert "outrage" in marked and not any("](" in words or "https" in words for words in marked), marked

"""Fixtures: the committed model, and a tiny model trained inline for unit tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from classifier.features import Lexicon
from classifier.junk import JunkModel
from classifier.loaded import LoadedModel
from classifier.model import LuridModel, load_model
from classifier.text import split_text

# CI runs the same examples every time: a property failure there must be reproducible.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

LOADED = [
    "A terrifying suite of measures was rammed through by reckless officials last night!",
    "The chilling specter of a catastrophic, unprecedented collapse now haunts every family.",
    "Shameless bureaucrats unleashed a disgraceful assault on hard-working taxpayers.",
    "This jaw-dropping fiasco is the worst betrayal in living memory.",
    "Furious residents slammed the outrageous scheme as a total disaster.",
    "SHOCKING: the greedy cronies behind the horrific scandal are finally exposed!",
]
NEUTRAL = [
    "The council approved the budget on Tuesday by seven votes to four.",
    "Officials said the new timetable will take effect next month.",
    "The ministry reported that unemployment fell to 4.1 percent in March.",
    "Rainfall of 40 mm was recorded at the airport, the weather service said.",
    "The company announced quarterly revenue of 2.3 million euros.",
    "The committee will meet again on Thursday to discuss the proposal.",
]
TINY_LEXICON = "term\tweight\tcategory\nterrifying\t0.9\tfear\nslammed\t0.8\tviolence_metaphor\n" \
               "disgraceful\t0.9\toutrage_moral\nfiasco\t0.9\tsuperlative_hyperbole\n"


@pytest.fixture(scope="session")
def neutral_sentences() -> list[str]:
    return list(NEUTRAL)


@pytest.fixture(scope="session")
def model() -> LuridModel:
    """The committed default model (tests use it for orderings and golden documents)."""
    return load_model()


@pytest.fixture(scope="session")
def tiny_lexicon(tmp_path_factory) -> Lexicon:
    path = tmp_path_factory.mktemp("lexicon") / "lexicon.tsv"
    path.write_text(TINY_LEXICON, encoding="utf-8")
    return Lexicon.from_tsv(path)


@pytest.fixture(scope="session")
def tiny_model(tiny_lexicon) -> LuridModel:
    """A model trained inline on a dozen sentences: fast, and independent of the artifact."""
    texts = (LOADED + NEUTRAL) * 3
    labels = ([1] * len(LOADED) + [0] * len(NEUTRAL)) * 3
    loaded = LoadedModel(lexicon=tiny_lexicon, min_df=1).fit(texts, labels, folds=3)
    article = "\n".join(NEUTRAL)
    junk_doc = article + "\nNews\n⚡ You Won't Believe This\nA teaser that stops…\nEnd of content\n"
    docs = [split_text(article), split_text(junk_doc)] * 5
    junk_labels = [[int(i % 2 == 1 and j >= len(NEUTRAL)) for j in range(len(d.paragraphs))] for i, d in enumerate(docs)]
    junk = JunkModel(lexicon=tiny_lexicon).fit([(d.paragraphs, False) for d in docs], junk_labels)
    return LuridModel(loaded=loaded, junk=junk, version="tiny", default_threshold=0.5)




@pytest.fixture
def make_app():
    """Build the service with settings (ServiceConfig fields); the packaged model is loaded once per process."""
    from service import create_app
    from service.config import ServiceConfig

    return lambda **settings: create_app(ServiceConfig(**settings))


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()

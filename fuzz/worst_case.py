"""Time and peak memory of one document at the service's limit (100,000 characters), worst inputs found.

    python fuzz/worst_case.py [CASE ...]

Each case runs in a fresh process (so peak RSS is its own): load the model, score a warm-up sentence,
note RSS, then score the document once with `score_documents` (as the service does) and report the
CPU time (user + system, all threads), the wall time and the peak RSS (getrusage ru_maxrss). On a
shared machine the CPU time is the steadier figure. Numbers are measurements for docs/fuzzing.md, not
limits; nothing here asserts.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

LIMIT = 100_000  # LURID_MAX_DOCUMENT_CHARS_DEFAULT


def fill(unit: str, prefix: str = "", suffix: str = "") -> str:
    """`prefix` + `unit` repeated + `suffix`, cut to exactly LIMIT characters."""
    body = LIMIT - len(prefix) - len(suffix)
    return prefix + (unit * (body // len(unit) + 1))[:body] + suffix


def distinct_words(alphabet: str, length: int) -> str:
    """Space-separated words that are all different (defeats the per-word caches)."""
    words, i = [], 0
    while sum(map(len, words)) + len(words) < LIMIT:
        n, word = i, ""
        for _ in range(length):
            n, r = divmod(n, len(alphabet))
            word += alphabet[r]
        words.append(word)
        i += 1
    return " ".join(words)[:LIMIT]


CASES = {
    # plain text
    "text: one-letter lines ('w\\n')": ("text", lambda: fill("w\n")),
    "text: one-letter paragraphs ('w\\n\\n')": ("text", lambda: fill("w\n\n")),
    "text: one line of ASCII words": ("text", lambda: fill("word ")),
    "text: one line, no space ('a')": ("text", lambda: fill("a")),
    "text: lexicon words, one line ('terrifying ')": ("text", lambda: fill("terrifying ")),
    "text: lexicon words, one per line": ("text", lambda: fill("Terrifying shameless fiasco!\n")),
    "text: emoji words ('😱 ')": ("text", lambda: fill("😱 ")),
    "text: emoji, no space": ("text", lambda: fill("😱")),
    "text: lexicon word, emoji, non-ASCII words": ("text", lambda: fill("Shocking é😱 word\u200b ")),
    "text: ZWJ emoji sequences": ("text", lambda: fill("👨\u200d👩\u200d👧 ")),
    "text: '!' words": ("text", lambda: fill("! ")),
    "text: ALL CAPS words": ("text", lambda: fill("SHOCKING ")),
    "text: quotation marks": ("text", lambda: fill('"a" ')),
    "text: mojibake words ('Ã© ')": ("text", lambda: fill("Ã© ")),
    "text: mojibake of mojibake words": ("text", lambda: fill("Ã\u0192Â© ")),
    "text: distinct non-ASCII words": ("text", lambda: distinct_words("éèêëàâäôöûüçñ", 4)),
    "text: distinct mojibake words": ("text", lambda: distinct_words("Ã©¨ª«¢¤´¶»§±", 4)),
    "text: lone surrogates": ("text", lambda: fill("\ud800 ")),
    "text: NUL, bidi, zero-width": ("text", lambda: fill("\x00\u202e\u200b\u200d ")),
    "text: combining marks on one letter": ("text", lambda: fill("\u0301", prefix="e")),
    "text: hard-wrapped 70 columns": ("text", lambda: fill(("lorem ipsum dolor sit amet " * 3)[:70] + "\n")),
    "text: only whitespace": ("text", lambda: fill(" \t\n")),
    "text: CR line breaks": ("text", lambda: fill("w\r")),
    # HTML
    "html: <p>w</p> blocks": ("html", lambda: fill("<p>w</p>")),
    "html: <li>w unclosed": ("html", lambda: fill("<li>w")),
    "html: <br>w": ("html", lambda: fill("<br>w")),
    "html: blocks in cue-named containers": ("html", lambda: fill("<p>w</p>",
                                                                  prefix='<div class="footer related">' * 64)),
    "html: <a>w</a> inline links, one block": ("html", lambda: fill("<a href=x>w</a> ", prefix="<p>")),
    "html: 20,000-deep <div>": ("html", lambda: fill("<div>", suffix="x")),
    "html: unclosed <p><b><i>": ("html", lambda: fill("<p><b><i>x")),
    "html: hidden-style spans": ("html", lambda: fill('<span style="display:none">x</span>w ')),
    "html: comments": ("html", lambda: fill("<!--x-->w ")),
    "html: entities": ("html", lambda: fill("&amp;&#x1F631; ")),
    "html: emoji paragraphs": ("html", lambda: fill("<p>😱 😱</p>")),
    # the slowest shape found for trafilatura (maintext.py) that stays under its element limit
    "html: nested <div><p>, 250 deep, under the main-text element limit": (
        "html", lambda: fill("<div><p>text here and there</p>" * 250 + "</div>" * 250)),
}


def measure(name: str) -> dict:
    from classifier.model import default_model
    from classifier.scoring import ScoringConfig, score_documents

    model = default_model()
    score_documents(model, [{"text": "A warm-up sentence."}])
    kind, build = CASES[name]
    value = build()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    (result,) = score_documents(model, [{kind: value}], ScoringConfig(max_chars=LIMIT))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    output = json.dumps(result.to_dict())
    return {"case": name, "chars": len(value), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "baseline_mb": before // 1024, "peak_mb": peak // 1024, "paragraphs": len(result.paragraphs),
            "json_mb": round(len(output) / 1e6, 2)}


def main(names: list[str]) -> None:
    if names[:1] == ["--one"]:
        print(json.dumps(measure(names[1])))
        return
    print("| input (100,000 characters) | paragraphs | CPU time | wall time | peak RSS (baseline: model loaded) "
          "| result JSON |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in names or CASES:
        done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if done.returncode:
            print(f"| {name} | failed: {done.stderr.strip().splitlines()[-1]} | | | |", flush=True)
            continue
        row = json.loads(done.stdout)
        print(f"| {name} | {row['paragraphs']:,} | {row['cpu_seconds']:.2f} s | {row['seconds']:.2f} s "
              f"| {row['peak_mb']} MB "
              f"({row['baseline_mb']} MB) | {row['json_mb']} MB |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The figures and the report of a soak (benchmarks/soak.py): windows, memory per worker, kills."""

from __future__ import annotations

import json
import os
import platform
import re

from load import percentile

WARM_UP_S = 60.0  # a worker's memory grows while it first touches the model; slopes start after this
AROUND_S = 1.0  # a kill's report covers requests answered from this long before the signal to after the replacement


def least_squares_slope(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else None


def summarise(run: dict, settings: dict) -> dict:
    """The figures of a run of soak.soak: totals, windows, workers, kills, failures (the --json dict)."""
    attempts, samples, labels = run["attempts"], run["samples"], run["labels"]
    count = max(int(round(settings["seconds"] / settings["window_s"])), 1)
    windows = []
    for index in range(count):
        start, end = index * settings["window_s"], (index + 1) * settings["window_s"]
        last = index == count - 1  # answers after the deadline (requests already in flight) count in the last
        mine = [a for a in attempts if start <= a.done < end or (last and a.done >= end)]
        latencies = sorted((a.done - a.sent) * 1000 for a in mine if a.outcome == "200")
        _, memory, held = next((s for s in samples if s[0] >= end - 1e-6), samples[-1])
        windows.append({
            "end_s": round(end, 1), "requests": len(mine), "ok": len(latencies),
            "requests_per_s": round(len(latencies) / settings["window_s"], 1),
            "articles_per_s": round(sum(a.articles for a in mine if a.outcome == "200") / settings["window_s"], 1),
            "p50_ms": round(percentile(latencies, 50), 1), "p99_ms": round(percentile(latencies, 99), 1),
            "errors": sum(1 for a in mine if not a.ok), "retries": sum(1 for a in mine if a.retry),
            "rss_mb": {("master" if pid == 0 else labels[pid]): round(mb, 1) for pid, mb in memory.items()},
            "connections": {labels[pid]: n for pid, n in held.items()}})
    workers = []
    for pid, label in labels.items():
        series = [(t, m[pid]) for t, m, _ in samples if pid in m]
        # A worker holding no client connection scores nothing and its memory stays put: the slope is
        # fitted from its first minute of serving on, so that the step when it starts is not read as a leak.
        serving = [t for t, _, held in samples if held.get(pid)]
        settled = [(t / 60, mb) for t, mb in series if serving and t - serving[0] >= WARM_UP_S]
        slope = least_squares_slope(settled)
        workers.append({"worker": label, "pid": pid, "first_seen_s": round(series[0][0], 1),
                        "last_seen_s": round(series[-1][0], 1), "rss_first_mb": round(series[0][1], 1),
                        "rss_last_mb": round(series[-1][1], 1), "rss_max_mb": round(max(mb for _, mb in series), 1),
                        "served_from_s": round(serving[0], 1) if serving else None,
                        "slope_mb_per_min": None if slope is None else round(slope, 3)})
    master_series = [(t / 60, m[0]) for t, m, _ in samples if 0 in m]
    kills = [describe_kill(kill, attempts, labels) for kill in run["kills"]]
    for kill in kills:  # clients keep their connections: how many did the replacement ever get?
        kill["replacement_connections_at_end"] = samples[-1][2].get(kill["replacement_pid"])
    failures = [a for a in attempts if not a.ok]
    by_payload = {}
    for name in dict.fromkeys(settings["mix"]):
        latencies = sorted((a.done - a.sent) * 1000 for a in attempts if a.payload == name and a.outcome == "200")
        by_payload[name] = {"ok": len(latencies), "p50_ms": round(percentile(latencies, 50), 1),
                            "p99_ms": round(percentile(latencies, 99), 1)}
    outcomes = {}
    for a in attempts:
        outcomes[a.outcome] = outcomes.get(a.outcome, 0) + 1
    return {
        "settings": settings,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": round(run["load"][0], 2), "load_average_after": round(run["load"][1], 2)},
        "totals": {"requests": len(attempts), "ok_200": outcomes.get("200", 0), "clean_503": outcomes.get("503", 0),
                   "errors": len(failures), "retries": sum(1 for a in attempts if a.retry),
                   "retries_ok": sum(1 for a in attempts if a.retry and a.ok), "outcomes": outcomes,
                   "articles": sum(a.articles for a in attempts if a.outcome == "200"),
                   "server_exit_code": run["exit_code"]},
        "by_payload": by_payload,
        "master": {"rss_first_mb": round(master_series[0][1], 1), "rss_last_mb": round(master_series[-1][1], 1),
                   "slope_mb_per_min": round(least_squares_slope(master_series) or 0.0, 3)},
        "workers": workers, "kills": kills, "windows": windows,
        "failures": [{"sent_s": round(a.sent, 3), "done_s": round(a.done, 3), "payload": a.payload,
                      "outcome": a.outcome, "retry": a.retry, "client_port": a.client_port}
                     for a in failures[:50]],
    }


def describe_kill(kill, attempts: list, labels: dict) -> dict:
    """What happened to the requests around one kill: in flight at the signal, and up to the replacement."""
    end = (kill.replaced if kill.replaced is not None else kill.signalled) + AROUND_S
    around = [a for a in attempts if kill.signalled - AROUND_S <= a.done <= end]
    in_flight = [a for a in attempts if a.sent <= kill.signalled < a.done and not a.retry]

    def tally(group):
        counts = {}
        for a in group:
            counts[a.outcome] = counts.get(a.outcome, 0) + 1
        return counts

    return {
        "signal": f"SIG{kill.signal}", "at_s": round(kill.signalled, 2), "worker": labels.get(kill.victim),
        "pid": kill.victim, "client_connections_held": len(kill.victim_ports),
        "exited_after_s": None if kill.gone is None else round(kill.gone - kill.signalled, 2),
        "replacement": labels.get(kill.replacement), "replacement_pid": kill.replacement,
        "replaced_after_s": None if kill.replaced is None else round(kill.replaced - kill.signalled, 2),
        "in_flight": len(in_flight),
        "in_flight_on_victim": tally(a for a in in_flight if a.client_port in kill.victim_ports),
        "in_flight_elsewhere": tally(a for a in in_flight if a.client_port not in kill.victim_ports),
        "around_window_s": [round(kill.signalled - AROUND_S, 2), round(end, 2)],
        "around_first_attempts": tally(a for a in around if not a.retry),
        # a retry is sent as soon as its first attempt failed, but may be answered after the window ends
        "around_retries": tally(a for a in attempts if a.retry and kill.signalled - AROUND_S <= a.sent <= end),
        "errors_on_victim_connections": sum(1 for a in around if not a.ok and a.client_port in kill.victim_ports),
        "errors_elsewhere": sum(1 for a in around if not a.ok and a.client_port not in kill.victim_ports),
    }


def as_json(summary: dict) -> str:
    """The summary with the windows as columns (one list per figure), a few KB for a 10-minute soak."""
    windows = summary["windows"]
    names = list(dict.fromkeys(name for w in windows for name in w["rss_mb"]))
    series = {key: [w[key] for w in windows] for key in windows[0] if key not in ("rss_mb", "connections")}
    series["rss_mb"] = {name: [w["rss_mb"].get(name) for w in windows] for name in names}
    series["connections"] = {name: [w["connections"].get(name) for w in windows] for name in names[1:]}
    columns = {**summary, "windows": series}
    text = json.dumps(columns, indent=1)
    # one line per list of numbers, not one line per number
    return re.sub(r"\[\s*([^\[\]{}]*?)\s*\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n"



def number(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def counts(tally: dict) -> str:
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items(), key=lambda kv: -kv[1])) or "none"


def held(window: dict, worker: str) -> str:
    """A worker's memory at the end of a window, and how many client connections it held then."""
    if window["rss_mb"].get(worker) is None:
        return "–"
    return f"{window['rss_mb'][worker]:.1f} ({window['connections'].get(worker, 0)})"


def report(summary: dict) -> str:
    """The markdown report, from the summary."""
    settings, machine, totals = summary["settings"], summary["machine"], summary["totals"]
    windows, workers = summary["windows"], summary["workers"]
    first, last = windows[0], windows[-1]
    lines = [
        "# Soak test of the scoring service",
        "",
        f"Written by `python benchmarks/soak.py` (`make soak`). Server: `python -m service` (gunicorn, "
        f"{settings['workers']} gthread workers of 2 threads, preloaded model) on 127.0.0.1. Client: "
        f"{settings['clients']} threads of the same script, one keep-alive connection each, sending requests back to "
        f"back for {settings['seconds']:g} s, in turn: {', '.join(settings['mix'])} (a 1,500-word authored article, "
        f"one paragraph, a batch of 16 articles; text from training_data/). Machine: {machine['cores']} cores, "
        f"shared by the server, the client and other work running at the same time (load average "
        f"{machine['load_average_before']:.2f} just before, {machine['load_average_after']:.2f} just after), "
        f"Python {machine['python']}. Nothing here is asserted but correctness (`--check`).",
        "",
        "## Summary",
        "",
        "| | |",
        "| --- | --- |",
        f"| requests sent | {totals['requests']} ({totals['articles']} articles scored) |",
        f"| answered 200 | {totals['ok_200']} |",
        f"| answered 503 (JSON) | {totals['clean_503']} |",
        f"| errors (anything else: other statuses, bad bodies, connection errors) | {totals['errors']}"
        + (f": {counts({k: v for k, v in totals['outcomes'].items() if k not in ('200', '503')})}"
           if totals["errors"] else "") + " |",
        f"| retries (once, after a connection error; each is also a request above) | {totals['retries']}, "
        f"{totals['retries_ok']} answered 200 or 503 |",
        f"| throughput, first and last window | {first['requests_per_s']:.1f} → {last['requests_per_s']:.1f} "
        f"requests/s; {first['articles_per_s']:.1f} → {last['articles_per_s']:.1f} articles/s |",
        f"| p99 (all payloads), first and last window | {first['p99_ms']:.0f} → {last['p99_ms']:.0f} ms |",
        f"| master RSS, first and last sample | {summary['master']['rss_first_mb']:.1f} → "
        f"{summary['master']['rss_last_mb']:.1f} MB |",
        f"| server exit code on SIGTERM at the end | {totals['server_exit_code']} |",
        "",
        "Latency per payload over the whole soak (200s only): " + "; ".join(
            f"{name} p50 {row['p50_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms ({row['ok']} requests)"
            for name, row in summary["by_payload"].items()) + ".",
        "",
        "## Memory per worker (VmRSS)",
        "",
        f"Sampled every {settings['window_s']:g} s from /proc/<pid>/status. The slope is a least-squares fit over "
        "the samples taken from a worker's first minute of serving on (while it first scores, its memory grows "
        "as it touches the model and fills its allocator; a worker holding no client connection scores nothing); "
        "flat means no leak.",
        "",
        "| worker | pid | seen from–to (s) | serving from (s) | RSS first | RSS last | RSS max | slope |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for w in workers:
        serving = "never" if w["served_from_s"] is None else f"{w['served_from_s']:g}"
        lines.append(f"| {w['worker']} | {w['pid']} | {w['first_seen_s']:g}–{w['last_seen_s']:g} | {serving} | "
                     f"{w['rss_first_mb']:.1f} MB | {w['rss_last_mb']:.1f} MB | {w['rss_max_mb']:.1f} MB | "
                     f"{number(w['slope_mb_per_min'], 3)} MB/min |")
    lines += ["", "## Worker kills", ""]
    if not summary["kills"]:
        lines.append("No worker was killed in this run (`--kill-at 0`).")
    for kill in summary["kills"]:
        lines += [
            f"**{kill['signal']} to {kill['worker']} (pid {kill['pid']}) at {kill['at_s']:.1f} s.** It held "
            f"{kill['client_connections_held']} of the {settings['clients']} client connections. It exited "
            f"{number(kill['exited_after_s'], 2)} s after the signal; the master's replacement "
            f"{kill['replacement'] or '(none seen)'} (pid {kill['replacement_pid']}) was first seen "
            f"{number(kill['replaced_after_s'], 2)} s after the signal. At the end of the run the replacement "
            f"held {kill['replacement_connections_at_end'] or 0} client connections.",
            "",
            f"- In flight at the signal: {kill['in_flight']} requests. On the killed worker's connections: "
            f"{counts(kill['in_flight_on_victim'])}; on the other worker's: {counts(kill['in_flight_elsewhere'])}.",
            f"- Every request answered from {kill['around_window_s'][0]:.1f} s to {kill['around_window_s'][1]:.1f} s "
            f"(from {1:g} s before the signal to 1 s after the replacement appeared): "
            f"{counts(kill['around_first_attempts'])}; retries: {counts(kill['around_retries'])}. Errors on the "
            f"killed worker's connections: {kill['errors_on_victim_connections']}; elsewhere: "
            f"{kill['errors_elsewhere']}.",
            "",
        ]
    lines += [
        "What a signal to a worker does, and what it cannot:",
        "",
        "- **SIGTERM** is gunicorn's graceful stop for one worker: it stops accepting, finishes the requests it "
        "is serving, answers any request already arriving on its kept-alive connections with "
        "`Connection: close` (gunicorn keeps them open up to 2 s for that), then exits; the master forks a "
        "replacement from the preloaded app. This is what an orchestrator or `kill` sends by default.",
        "- **SIGKILL** ends the worker at once. Its accepted connections are file descriptors of that process "
        "alone (the master holds only the listening socket), so the kernel closes them: requests it was "
        "serving, and requests already sent on its kept-alive connections, get a reset or a closed connection, "
        "never a status. No server-side setting of gunicorn changes that; a reverse proxy in front can retry "
        "such a request on another worker or answer 502/503 itself. The client here retries once on a new "
        "connection (scoring is idempotent); retries are counted above and not folded into the errors.",
        "- **A replacement starts idle.** The clients here keep their connections open. Those the stopped "
        "worker closed are opened again at once, and the surviving worker, still accepting, takes them; the "
        "replacement only gets connections opened after it exists. With clients that never reconnect, one "
        "worker then serves everything until the connections turn over (gunicorn's `max_requests`, a client "
        "pool that recycles connections, or a proxy in front would spread them).",
        "",
        "## Per window",
        "",
        "Memory and the client connections each worker held are read at the end of the window.",
        "",
    ]
    names = ["master"] + [w["worker"] for w in workers]
    lines += [
        "| until (s) | requests | 200/s | articles/s | p50 ms | p99 ms | errors | retries | master MB | "
        + " | ".join(f"{name} MB (connections)" for name in names[1:]) + " |",
        "| " + " | ".join(["---"] * (8 + len(names))) + " |",
    ]
    for w in windows:
        lines.append(f"| {w['end_s']:g} | {w['requests']} | {w['requests_per_s']:.1f} | {w['articles_per_s']:.1f} | "
                     f"{w['p50_ms']:.0f} | {w['p99_ms']:.0f} | {w['errors']} | {w['retries']} | "
                     f"{number(w['rss_mb'].get('master'))} | "
                     + " | ".join(held(w, name) for name in names[1:]) + " |")
    if summary["failures"]:
        lines += ["", "## Requests that got no 200 or 503 (first 50)", "",
                  "| sent (s) | done (s) | payload | outcome | retry | client port |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {f['sent_s']:.3f} | {f['done_s']:.3f} | {f['payload']} | {f['outcome']} | "
                  f"{'yes' if f['retry'] else 'no'} | {f['client_port']} |" for f in summary["failures"]]
    return "\n".join(lines) + "\n"

"""Soak test of the real service: saturation for minutes, memory watched, a worker killed midway.

    python benchmarks/soak.py [--seconds 600] [--window 10] [--clients 16]
                              [--kill-at 300] [--kill-signal TERM] [--check]
                              [--out benchmarks/soak.md] [--json benchmarks/soak.json]

The server is `python -m service` with 2 workers on a free loopback port,
started and stopped as benchmarks/load.py does. `--clients` threads, each with
its own keep-alive connection, send requests back to back (saturation): a mix
of 1,500-word articles, single paragraphs and batches of 16 articles, the
payloads of load.py. The client is this process, on the same cores as the
server.

Every `--window` seconds: requests answered, throughput, p50/p99 latency,
errors, and the resident memory (VmRSS) of the gunicorn master and of each
worker, read from /proc. A worker is a process whose parent is the master.

At each `--kill-at` second (comma-separated; 0 disables) the worker holding
most client connections gets the matching `--kill-signal` (TERM or KILL,
comma-separated as well).
The soak records which client connections that worker held (from
/proc/<pid>/fd and /proc/net/tcp), how long the master took to fork a
replacement, and the outcome of every request in flight. A request that gets
no answer (a reset or a closed connection) is an error and stays one; the
client then retries it once on a new connection, and retries are counted
apart.

`--check` exits 1 unless every request got a 200 with one result per document
or a JSON 503, every killed worker was replaced, and the server stopped with
exit code 0. It never looks at speed or memory growth.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from load import HERE, free_port, payloads, start_server, stop_server
from soak_report import as_json, report, summarise

WORKERS = 2
# A payload mix per client, in turn: mostly single articles, some paragraphs, an occasional batch.
MIX = ("article", "paragraph", "article", "paragraph", "article", "batch", "article", "paragraph")
KILL_POLL_S = 0.02  # how often the master's children are listed while a replacement is awaited


@dataclass
class Attempt:
    sent: float
    done: float
    payload: str
    outcome: str  # "200", "503", "status 500", "not JSON (200)", "connection: ConnectionResetError"...
    client_port: int
    retry: bool = False
    articles: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in ("200", "503")


@dataclass
class Kill:
    at: float
    signal: str
    victim: int = 0
    victim_ports: set = field(default_factory=set)
    signalled: float = 0.0
    gone: float | None = None
    replacement: int | None = None
    replaced: float | None = None
    before: tuple = ()


# /proc readers -----------------------------------------------------------------------------------------

def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat from the state field on (the command name may hold spaces); [] once it has gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return []


def workers_of(master: int) -> list[int]:
    """Live children of the master (zombies, killed but not yet reaped, excluded), oldest first.

    /proc/<pid>/task/*/children needs CONFIG_PROC_CHILDREN, which this machine's kernel lacks, so the parent
    pid of every process is read instead.
    """
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = stat_fields(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[1]) == master:
                found.append((int(fields[19]), int(entry.name)))  # start time in clock ticks, pid
    return [pid for _, pid in sorted(found)]


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kilobytes = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), None)
    return int(kilobytes) / 1024 if kilobytes else None


def connection_owners(workers: list[int], server_port: int) -> dict[int, int]:
    """Client port -> worker pid, for the established loopback connections to the server."""
    inodes = {}
    for pid in workers:
        try:
            for descriptor in os.scandir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(descriptor.path)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue
    owners = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if state == "01" and inode in inodes and int(local.rpartition(":")[2], 16) == server_port:
                owners[int(remote.rpartition(":")[2], 16)] = inodes[inode]
    return owners


# the client ---------------------------------------------------------------------------------------------

def classify(status: int, raw: bytes, documents: int) -> str:
    """"200" for a 200 with one result per document, "503" for a JSON error 503, else what was wrong."""
    try:
        answer = json.loads(raw)
    except ValueError:
        return f"not JSON ({status})"
    if status == 200:
        return "200" if len(answer.get("results", ())) == documents else "200 with wrong results"
    if status == 503:
        return "503" if "error" in answer else "503 without an error object"
    return f"status {status}"


def send(connection: http.client.HTTPConnection, body: bytes, documents: int, t0: float):
    """One request: (sent, done, outcome, client port); the connection is closed after any failure."""
    sent = time.monotonic() - t0
    client_port = 0
    try:
        if connection.sock is None:
            connection.connect()
        client_port = connection.sock.getsockname()[1]
        connection.request("POST", "/v1/score", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return sent, time.monotonic() - t0, f"connection: {type(error).__name__}", client_port
    return sent, time.monotonic() - t0, classify(response.status, raw, documents), client_port


def run_client(port: int, bodies: dict, offset: int, t0: float, deadline: float, attempts: list) -> None:
    """Send the MIX back to back until the deadline; one retry, on a new connection, after a connection error."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    turn = offset
    while time.monotonic() < deadline:
        name = MIX[turn % len(MIX)]
        turn += 1
        body, articles, documents = bodies[name]
        for retry in (False, True):
            sent, done, outcome, client_port = send(connection, body, documents, t0)
            attempts.append(Attempt(sent, done, name, outcome, client_port, retry, articles))
            if not outcome.startswith("connection"):
                break
    connection.close()


# the soak -----------------------------------------------------------------------------------------------

def soak(args) -> dict:
    named = dict(zip(("paragraph", "article", "batch"), payloads().values()))
    bodies = {name: (json.dumps(body).encode(), articles, len(body.get("documents", (body,))))
              for name, (body, articles) in named.items()}
    kills = [Kill(at, name) for at, name in zip(args.kill_at, args.kill_signal) if at > 0]
    load_before = os.getloadavg()[0]
    port = free_port()
    process, _ = start_server(port, LURID_WORKERS=str(WORKERS))
    master = process.pid  # `python -m service` execs gunicorn: same pid
    attempts: list[Attempt] = []
    samples = []  # (seconds, {pid: MB} with the master under key 0, {worker pid: client connections held})
    labels: dict[int, str] = {}  # worker pid -> w1, w2... in the order first seen
    try:
        for body, _, documents in bodies.values():  # warm-up: every shape scored before timing
            warm_up = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            for _ in range(WORKERS):
                send(warm_up, body, documents, 0.0)
            warm_up.close()
        t0 = time.monotonic()
        deadline = t0 + args.seconds
        clients = [threading.Thread(target=run_client, args=(port, bodies, i, t0, deadline, attempts))
                   for i in range(args.clients)]
        for client in clients:
            client.start()

        def sample(now: float) -> None:
            workers = workers_of(master)
            for pid in workers:
                labels.setdefault(pid, f"w{len(labels) + 1}")
            memory = {pid: rss_mb(pid) for pid in (master, *workers)}
            held = list(connection_owners(workers, port).values())
            samples.append((now, {(0 if pid == master else pid): mb for pid, mb in memory.items() if mb},
                            {pid: held.count(pid) for pid in workers}))
            answered = sum(1 for a in list(attempts) if not a.outcome.startswith("connection"))
            errors = sum(1 for a in list(attempts) if not a.ok)
            print(f"{now:7.1f} s  answered {answered:6}  errors {errors}  RSS MB (client connections) "
                  + " ".join(f"{'master' if pid == master else labels[pid]}={mb:.0f}"
                             + ("" if pid == master else f" ({held.count(pid)})")
                             for pid, mb in memory.items() if mb), flush=True)

        sample(0.0)
        next_sample = args.window
        pending = list(kills)
        awaited = []
        while True:
            now = time.monotonic() - t0
            if now >= next_sample and next_sample <= args.seconds + 1e-9:
                sample(now)
                next_sample += args.window
            if pending and now >= pending[0].at:
                awaited.append(signal_worker(pending.pop(0), master, port, t0))
            for kill in list(awaited):
                workers, now = workers_of(master), time.monotonic() - t0
                if kill.gone is None and kill.victim not in workers:
                    kill.gone = now
                fresh = [pid for pid in workers if pid not in kill.before]
                if kill.replacement is None and fresh:
                    kill.replacement, kill.replaced = fresh[0], now
                if kill.gone is not None and kill.replacement is not None:
                    awaited.remove(kill)
            if next_sample > args.seconds + 1e-9 and not pending and not awaited or now > args.seconds + 60:
                break
            time.sleep(KILL_POLL_S if awaited else min(0.2, max(next_sample - now, 0.0)))
        for client in clients:
            client.join()
    finally:
        exit_code = stop_server(process)
    return {"attempts": attempts, "samples": samples, "labels": labels, "kills": kills,
            "exit_code": exit_code, "load": (load_before, os.getloadavg()[0])}


def signal_worker(kill: Kill, master: int, port: int, t0: float) -> Kill:
    """Send the kill's signal to the worker holding most client connections (the youngest of equals).

    Clients keep their connections, so a replacement worker may hold none: killing it would test nothing.
    """
    kill.before = tuple(workers_of(master))
    owners = connection_owners(list(kill.before), port)
    held = list(owners.values())
    kill.victim = max(reversed(kill.before), key=held.count)
    kill.victim_ports = {client for client, pid in owners.items() if pid == kill.victim}
    kill.signalled = time.monotonic() - t0
    os.kill(kill.victim, getattr(signal, f"SIG{kill.signal}"))
    print(f"{kill.signalled:7.1f} s  SIG{kill.signal} to worker {kill.victim} "
          f"({len(kill.victim_ports)} client connections)", flush=True)
    return kill


def check(summary: dict) -> list[str]:
    """Correctness only: what went wrong, [] when nothing did. Never speed or memory."""
    problems = [f"{n} request(s) got {outcome}" for outcome, n in summary["totals"]["outcomes"].items()
                if outcome not in ("200", "503")]
    for kill in summary["kills"]:
        if kill["replacement_pid"] is None or kill["exited_after_s"] is None:
            problems.append(f"worker {kill['pid']} ({kill['signal']}) was not replaced")
    if summary["totals"]["server_exit_code"] != 0:
        problems.append(f"the server exited with {summary['totals']['server_exit_code']} on SIGTERM")
    return problems


def seconds_list(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def signal_list(text: str) -> list[str]:
    names = [part.strip().upper().removeprefix("SIG") for part in text.split(",")]
    for name in names:
        if name not in ("TERM", "KILL"):
            raise argparse.ArgumentTypeError(f"{name}: use TERM or KILL")
    return names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="length of the soak (default 600)")
    parser.add_argument("--window", type=float, default=10.0, help="sampling interval in seconds (default 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent keep-alive clients (default 16)")
    parser.add_argument("--kill-at", type=seconds_list, default=None,
                        help="seconds at which to signal a worker, comma-separated (default: half-way; 0: none)")
    parser.add_argument("--kill-signal", type=signal_list, default=["TERM"],
                        help="TERM or KILL, one per --kill-at, comma-separated (default TERM)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless every request got a 200 or a JSON 503 and every killed worker was replaced")
    parser.add_argument("--out", type=Path, default=HERE / "soak.md", help="the markdown report")
    parser.add_argument("--json", type=Path, default=None, help="the series as JSON (default: not written)")
    args = parser.parse_args(argv)
    args.kill_at = args.kill_at if args.kill_at is not None else [args.seconds / 2]
    if len(args.kill_signal) == 1:
        args.kill_signal = args.kill_signal * len(args.kill_at)
    if len(args.kill_signal) != len(args.kill_at) or any(not 0 <= at < args.seconds for at in args.kill_at):
        parser.error("give one --kill-signal per --kill-at, each time within --seconds")

    settings = {"seconds": args.seconds, "window_s": args.window, "clients": args.clients, "workers": WORKERS,
                "mix": list(MIX)}
    summary = summarise(soak(args), settings)
    args.out.write_text(report(summary), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.json:
        args.json.write_text(as_json(summary), encoding="utf-8")
        print(f"wrote {args.json}")
    if args.check:
        problems = check(summary)
        for problem in problems:
            print(f"soak check failed: {problem}", file=sys.stderr)
        print("soak check:", "FAILED" if problems else "passed (status codes, JSON bodies, worker replaced)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Markdown report of ci/bench.sh's raw numbers.

    python3 report.py results.tsv callgrind.tsv

results.tsv:   mode transport test size impl round value mbps   (value: msg/s or us)
callgrind.tsv: test size impl rep n, then cgsplit.py's three fields (total, inside libzmq
               calls, the calls) for the run of N and for the run of 2N

Speeds are relative to C: throughput / C's throughput, and C's latency / latency, so above 1
is faster than C whichever the test. Instruction counts are relative to C the other way
round (the binding's count / C's): below 1 is fewer instructions.
"""

import statistics
import sys
from collections import defaultdict

IMPLS = ["c", "c-again", "zmq4", "rust-zmq", "pyzmq"]
# c-again is the C binary run a second time in each round (a control, see ci/bench.sh).
NAMES = {"c": "C", "c-again": "C′", "zmq4": "zmq4", "rust-zmq": "rust-zmq", "pyzmq": "pyzmq"}
MODES = {
    "unpinned": "unpinned (the scheduler places every thread on either CPU)",
    "pinned": "pinned (`taskset -c 0`: every process and libzmq I/O thread on CPU 0)",
    "batch": "pinned with SCHED_BATCH (`taskset -c 0 chrt -b 0`: no wake-up preemption)",
}
TARGET_C = 0.98


def read(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def spread(values):
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else 0.0


def fmt_int(x):
    return f"{x:,.0f}"


def timed_tables(rows):
    # data[mode][(transport, test, size)][impl] = [(value, mbps), ...]
    data = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for mode, tr, test, size, impl, _round, value, mbps in rows:
        data[mode][(tr, test, int(size))][impl].append(
            (float(value), None if mbps == "-" else float(mbps))
        )
    out = []
    for mode in [m for m in MODES if m in data]:
        cases = data[mode]
        impls = [i for i in IMPLS if any(i in c for c in cases.values())]
        rounds = max(len(v) for c in cases.values() for v in c.values())
        out.append(f"### Wall clock, {MODES[mode]}")
        out.append("")
        out.append(
            f"Medians of {rounds} round(s). thr: msg/s (Mb/s); lat: one-way latency in µs. "
            "×C: speed relative to C (above 1 is faster). C′: the same C binary run once more "
            "in each round, a control: its ×C is how far a row moves with no difference in "
            "the code. spread: (max − min) / median over the rounds."
        )
        out.append("")
        head = ["transport", "test", "size (B)"]
        for i in impls:
            head.append(NAMES[i])
            if i != "c":
                head.append("×C")
        if "rust-zmq" in impls:
            head.append("zmq4 ÷ rust-zmq")
        head.append("spread C / zmq4")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        ratios = defaultdict(list)  # impl -> [(ratio, case)]
        vs_rz = []
        order = sorted(cases, key=lambda k: (k[0] != "tcp", k[1] != "thr", k[2]))
        for case in order:
            tr, test, size = case
            per = cases[case]
            med = {}
            for i in impls:
                if per.get(i):
                    med[i] = statistics.median(v for v, _ in per[i])
            row = [tr, test, str(size)]

            def speed(i):
                if i not in med or "c" not in med or not med[i]:
                    return None
                return med[i] / med["c"] if test == "thr" else med["c"] / med[i]

            for i in impls:
                if i not in med:
                    row.append("–")
                    if i != "c":
                        row.append("–")
                    continue
                if test == "thr":
                    mb = statistics.median(m for _, m in per[i])
                    row.append(f"{fmt_int(med[i])} ({mb:,.1f})")
                else:
                    row.append(f"{med[i]:.2f}")
                if i != "c":
                    r = speed(i)
                    if r is None:
                        row.append("–")
                    else:
                        ratios[i].append((r, case))
                        mark = "" if i != "zmq4" or r >= TARGET_C else " ⚠"
                        row.append(f"{r:.3f}{mark}")
            if "rust-zmq" in impls:
                a, b = speed("zmq4"), speed("rust-zmq")
                if a is not None and b:
                    vs_rz.append((a / b, case))
                    row.append(f"{a / b:.3f}")
                else:
                    row.append("–")
            sp = []
            for i in ["c", "zmq4"]:
                vals = [v for v, _ in per.get(i, [])]
                sp.append(f"{100 * spread(vals):.0f} %" if vals else "–")
            row.append(" / ".join(sp))
            out.append("| " + " | ".join(row) + " |")
        out.append("")
        for i in ["zmq4", "c-again"]:
            z = ratios.get(i, [])
            if not z:
                continue
            ok = sum(1 for r, _ in z if r >= TARGET_C)
            lo, lo_case = min(z)
            geo = statistics.geometric_mean([r for r, _ in z])
            others = " (⚠ marks the others)" if i == "zmq4" else ""
            out.append(
                f"{NAMES[i]} ≥ {TARGET_C}× C in {ok} of {len(z)} rows{others}; "
                f"geometric mean {geo:.3f}×; lowest {lo:.3f}× "
                f"({lo_case[0]} {lo_case[1]} {lo_case[2]} B)."
            )
        control = dict((case, r) for r, case in ratios.get("c-again", []))
        short = [(r, case) for r, case in ratios.get("zmq4", []) if r < TARGET_C]
        if control and short:
            within = sum(
                1 for r, case in short if case in control and 1 - r <= abs(1 - control[case])
            )
            out.append(
                f"Of the {len(short)} ⚠ rows, C′ is as far from C or further in {within}."
            )
        if vs_rz:
            ok = sum(1 for r, _ in vs_rz if r >= 1.0)
            geo = statistics.geometric_mean([r for r, _ in vs_rz])
            out.append(
                f"zmq4 ≥ 1.0× rust-zmq in {ok} of {len(vs_rz)} rows; geometric mean {geo:.3f}×."
            )
        for i in ["rust-zmq", "pyzmq"]:
            if ratios.get(i):
                geo = statistics.geometric_mean([r for r, _ in ratios[i]])
                out.append(f"{NAMES[i]}: geometric mean {geo:.3f}× C.")
        out.append("")
    return out


def parse_calls(text):
    out = {}
    for item in filter(None, text.split(",")):
        name, _, count = item.partition("=")
        out[name] = int(count)
    return out


def callgrind_table(rows):
    # per[(test, size)][impl] = [(total, outside libzmq, {call: count}) per message, per rep]
    per = defaultdict(lambda: defaultdict(list))
    for test, size, impl, _rep, n, ta, aa, ca, tb, ab, cb in rows:
        n = int(n)
        total = (int(tb) - int(ta)) / n
        outside = ((int(tb) - int(ab)) - (int(ta) - int(aa))) / n
        a, b = parse_calls(ca), parse_calls(cb)
        calls = {k: (b.get(k, 0) - a.get(k, 0)) / n for k in set(a) | set(b)}
        per[(test, int(size))][impl].append((total, outside, calls))
    if not per:
        return []
    out = [
        "### Instructions per message (callgrind)",
        "",
        "(instructions of a run of 2N − those of a run of N) / N, every thread, median of the "
        "repetitions (C's spread shows the run-to-run noise). inproc_lat: per round trip (two "
        "messages, both ends); inproc_thr: per message (both ends). ×C: instructions relative "
        "to C (below 1 is fewer). \"outside libzmq\": the same difference for the instructions "
        "not spent inside the libzmq calls the program makes, i.e. the tool's own loop and, "
        "for the bindings, their wrappers.",
        "",
        "| test | size (B) | C | zmq4 | ×C | rust-zmq | ×C | outside libzmq: C / zmq4 / rust-zmq "
        "| C spread | zmq4 ×C per repetition |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    worst = []
    keys = sorted(per, key=lambda k: (k[0] != "inproc_lat", k[1]))
    for test, size in keys:
        p = per[(test, size)]
        med = {i: statistics.median(t for t, _, _ in p[i]) for i in p if p[i]}
        glue = {i: statistics.median(g for _, g, _ in p[i]) for i in p if p[i]}
        c = med.get("c")
        row = [test, str(size), fmt_int(c) if c else "–"]
        for i in ["zmq4", "rust-zmq"]:
            if i not in med or not c:
                row += ["–", "–"]
                continue
            row += [fmt_int(med[i]), f"{med[i] / c:.3f}"]
            if i == "zmq4":
                worst.append((med[i] / c, test, size))
        row.append(
            " / ".join(fmt_int(glue[i]) if i in glue else "–" for i in ["c", "zmq4", "rust-zmq"])
        )
        row.append(f"{100 * spread([t for t, _, _ in p['c']]):.1f} %" if p.get("c") else "–")
        if p.get("zmq4") and p.get("c") and len(p["zmq4"]) == len(p["c"]):
            row.append(", ".join(f"{z[0] / cc[0]:.3f}" for z, cc in zip(p["zmq4"], p["c"])))
        else:
            row.append("–")
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    if worst:
        hi = max(worst)
        ok = sum(1 for r, _, _ in worst if r <= 1.02)
        out.append(
            f"zmq4 within 2 % of C's instructions in {ok} of {len(worst)} rows; "
            f"highest {hi[0]:.3f}× ({hi[1]} {hi[2]} B)."
        )
        out.append("")
    # The libzmq calls per message, from the first repetition. They should not depend on the
    # size; a size whose calls differ is listed with its own entry.
    out.append("libzmq calls the program makes per message (per round trip for inproc_lat):")
    out.append("")
    out.append("| test | C | zmq4 | rust-zmq |")
    out.append("|---|---|---|---|")
    for test in sorted({t for t, _ in per}):
        cells = []
        for i in ["c", "zmq4", "rust-zmq"]:
            seen = []
            for t, size in keys:
                if t != test or not per[(t, size)].get(i):
                    continue
                calls = per[(t, size)][i][0][2]
                text = ", ".join(
                    f"{k.removeprefix('zmq_')} {v:g}"
                    for k, v in sorted(calls.items())
                    if round(v, 2) != 0
                )
                if text not in [x for x, _ in seen]:
                    seen.append((text, size))
            cells.append(
                "; ".join(x if k == 0 else f"{x} (at {sz} B)" for k, (x, sz) in enumerate(seen))
                or "–"
            )
        out.append(f"| {test} | " + " | ".join(cells) + " |")
    out.append("")
    out.append(
        "(The C tools' zmq_sendmsg and zmq_recvmsg are libzmq's older names for zmq_msg_send "
        "and zmq_msg_recv, and call them.)"
    )
    out.append("")
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    lines = timed_tables(read(argv[1])) + callgrind_table(read(argv[2]))
    print("\n".join(lines).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

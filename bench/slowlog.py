#!/usr/bin/env python3
"""bench/slowlog.py FILE — sums what bench/lifecycle.sh's MOT_BENCH_SLOWLOG
recorded: per step, Redis's time per command (a script by its name), in
total and per request of the step, largest first."""
import collections
import sys


def tokens_of(line):
    """redis-cli --csv: integers bare, strings in double quotes (\" inside).
    Yields (text, quoted)."""
    i, n = 0, len(line)
    while i < n:
        if line[i] == '"':
            j, text = i + 1, []
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n:
                    j += 1
                text.append(line[j])
                j += 1
            yield "".join(text), True
            i = j + 2                       # the closing quote and the comma
        else:
            j = line.find(",", i)
            j = n if j < 0 else j
            yield line[i:j], False
            i = j + 1


def entries(tokens):
    """Splits SLOWLOG GET's flattened output into (duration, argv) entries:
    each is id, time, duration (bare integers), then its quoted arguments,
    the client's address and name."""
    i = 0
    while i + 2 < len(tokens):
        duration = int(tokens[i + 2][0])
        j = i + 3
        argv = []
        while j < len(tokens) and tokens[j][1]:
            argv.append(tokens[j][0])
            j += 1
        yield duration, argv[:-2]
        i = j


def main(path):
    scripts, steps, order = {}, {}, []
    step = None
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("# script "):
                _, _, sha, name = line.split()
                scripts[sha] = name
            elif line.startswith("# step "):
                _, _, name, count = line.split()
                step = (name, int(count))
                order.append(step)
                steps[step] = collections.Counter()
            elif step and line.strip():
                for duration, argv in entries(list(tokens_of(line.rstrip("\n")))):
                    if not argv:
                        continue
                    what = argv[0].upper()
                    if what == "EVALSHA" and len(argv) > 1:
                        what = scripts.get(argv[1], argv[1][:8]) + ".lua"
                    steps[step][what] += duration
    for step in order:
        name, count = step
        total = sum(steps[step].values())
        print(f"{name}: {total / 1e6:.2f} s of Redis for {count} requests = {total / count:.1f} µs each")
        for what, us in steps[step].most_common(8):
            print(f"  {what:24} {us / count:8.1f} µs per request")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""scripts/timing.py: time build commands side by side, as scripts/bench and
scripts/compat do: each command run R times, interleaved, each run into a new output
folder; the folders are removed only at the end.

Why not remove the last output before each run, as ../shared/tools/bench-anchors does: on
ext4 without a journal (this project's VM) the inode allocator skips inodes freed in the
last minutes one by one, so making a file costs more the more were just deleted. Removing
the previous output right before each run made `cp -r` of a 10,000-week site take 0.7 s,
then 2.6 s, then 4.7 s; a run into a new folder, minutes after any mass deletion, 0.6 s.

usage: scripts/timing.py [--runs R] NAME=COMMAND ...

  NAME=COMMAND  a name for the table and a shell command; {out} in it is replaced by
                the run's output folder, which does not exist when the command starts
  --runs R      runs per command (default 3); the table shows medians
  --keep DIR    write the outputs under DIR and keep them (default: a temporary folder,
                removed at the end)

Measured per run, under /usr/bin/time (apt-get install -y time): wall time, CPU time
(user + system) and peak RSS ("Maximum resident set size" of /usr/bin/time -v), and
the files and bytes it wrote. The table's last column divides each wall time by the
first command's.

example:
  scripts/timing.py --runs 5 'copy=cp -r /tmp/site-out {out}' 'tar=tar -C /tmp -cf {out} site-out'
"""

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    rss_kib: int
    files: int
    bytes: int


def tree_size(path):
    """Files and bytes under `path` (a file counts as one)."""
    if os.path.isfile(path):
        return 1, os.path.getsize(path)
    files = size = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(dirpath, name)).st_size
    return files, size


def measure(argv, out):
    """Runs `argv` once, writing `out` (a path that does not exist yet); raises
    CalledProcessError when it fails.

    Under /usr/bin/time: a child forked from this Python process would count Python's
    own memory as its peak RSS until it execs."""
    with tempfile.NamedTemporaryFile("r", prefix="timing-", suffix=".txt") as report:
        timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *argv]
        started = time.perf_counter()
        done = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, argv, stderr=done.stderr)
        # The last line: a command's own failure is reported above it.
        rss_kib, user, system = report.read().split("\n")[-2].split()
    files, size = tree_size(out)
    return Run(wall, float(user) + float(system), int(rss_kib), files, size)


def interleaved(commands, runs, root):
    """`commands`: (name, make_argv) pairs, make_argv(out) giving the command that writes
    `out`. Runs each in turn, `runs` times, into new folders under `root`.
    Returns {name: [Run, ...]}."""
    os.makedirs(root, exist_ok=True)
    results = {name: [] for name, _ in commands}
    for run in range(runs):
        for i, (name, make_argv) in enumerate(commands):
            out = os.path.join(root, f"out-{i}-{run}")
            results[name].append(measure(make_argv(out), out))
    return results


def median(runs, field):
    return statistics.median(getattr(r, field) for r in runs)


def table(results):
    """A Markdown table of medians; the last column is wall time over the first row's."""
    first = next(iter(results.values()))
    lines = [
        f"| command | wall s (median of {len(first)}) | wall min–max | CPU s | peak RSS MiB "
        f"| files | bytes | wall ÷ {next(iter(results))} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in results.items():
        walls = [r.wall_s for r in runs]
        lines.append(
            f"| {name} | {median(runs, 'wall_s'):.3f} | {min(walls):.3f}–{max(walls):.3f} "
            f"| {median(runs, 'cpu_s'):.2f} | {median(runs, 'rss_kib') / 1024:.1f} "
            f"| {runs[-1].files} | {runs[-1].bytes:,} "
            f"| {median(runs, 'wall_s') / median(first, 'wall_s'):.2f}× |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("-h", "--help", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("commands", nargs="*")
    args = ap.parse_args()
    if args.help or not args.commands:
        print(__doc__.strip())
        return 0 if args.help else 2
    root = args.keep or tempfile.mkdtemp(prefix="timing-")
    os.makedirs(root, exist_ok=True)
    commands = []
    for spec in args.commands:
        name, sep, command = spec.partition("=")
        if not sep or not name:
            print(f"scripts/timing.py: {spec!r} is not NAME=COMMAND", file=sys.stderr)
            return 2
        commands.append(
            (name, lambda out, c=command: ["bash", "-c", c.replace("{out}", shlex.quote(out))]))
    try:
        results = interleaved(commands, args.runs, root)
    except subprocess.CalledProcessError as e:
        print(f"scripts/timing.py: failed: {e.cmd[-1]}\n{e.stderr.decode(errors='replace')}",
              file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

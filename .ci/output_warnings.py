#!/usr/bin/env python3
"""Fail when an executed chapter shows a warning in its outputs.

The book shows what each chapter printed, so a warning in an output (a `RuntimeWarning` from NumPy, tqdm's
"IProgress not found", a library's `WARNING` log line) is something every reader sees. This script reads the
executed notebooks that `jupyter-book build` leaves in `_build/jupyter_execute/` and lists every output that holds a
warning: a stream on stderr (where Python's `warnings` and `logging` write) whose text names a warning category
(`...Warning`) or a `WARNING` log level. Other stderr text (progress messages a chapter means to show) passes.

Usage (from the repository root, after the book was built):
    python .ci/output_warnings.py [DIR_OR_NOTEBOOK ...]     # default: _build/jupyter_execute
Exit status 1 if any output holds a warning (each printed as `notebook: cell N: first line`), else 0.
"""
import json, re, sys
from pathlib import Path

WARNING = re.compile(r'\b\w*Warning\b|\bWARNING\b')


def warnings_in(nb_path):
    "(cell index, first warning line) for every stderr output of notebook `nb_path` that holds a warning."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    found = []
    for i, cell in enumerate(nb.get('cells', [])):
        for out in cell.get('outputs', []):
            if out.get('output_type') != 'stream' or out.get('name') != 'stderr': continue
            text = ''.join(out.get('text', ''))
            lines = [l for l in text.splitlines() if WARNING.search(l)]
            if lines: found.append((i, lines[0].strip()[:200]))
    return found


def notebooks(args):
    paths = [Path(a) for a in args] or [Path('_build/jupyter_execute')]
    for p in paths:
        if p.is_dir(): yield from sorted(p.rglob('*.ipynb'))
        elif p.exists(): yield p
        else: raise SystemExit(f'{p}: not found (was the book built?)')


def main(argv):
    nbs = list(notebooks(argv))
    if not nbs:
        print('no executed notebooks found (was the book built?)', file=sys.stderr); return 1
    bad = [(nb, i, line) for nb in nbs for i, line in warnings_in(nb)]
    for nb, i, line in bad: print(f'{nb}: cell {i}: {line}')
    if bad:
        print(f'ERROR: {len(bad)} outputs in {len({b[0] for b in bad})} executed chapters show a warning; fix it at its '
              'source (the reader of the book sees it)', file=sys.stderr)
        return 1
    print(f'no warnings in the outputs of {len(nbs)} executed notebooks')
    return 0


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))

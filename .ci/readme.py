#!/usr/bin/env python3
"""Render nbs/index.ipynb to README.md with nbconvert (offline; no Quarto).

What the README shows is what the book's home page shows: cells flagged
`#| hide` (or `#| default_exp`) are dropped, the `#|` directive lines are
stripped from the other code cells, and outputs are left out so the README
depends only on the notebook's sources (re-running index.ipynb never makes it
stale). Code cells become ```python fences; markdown cells are copied as is.

The README holds exactly two set-up commands, each a one-line ```bash fence: the
main job and the test command (the one that runs `nbdev_test`). CI runs them as
`--command` prints them, so the README and CI cannot diverge.

Usage (from the repository root):
    python .ci/readme.py                  # write README.md
    python .ci/readme.py --check          # exit 1 with a diff if README.md is not current
    python .ci/readme.py --command test   # print README.md's test command (`main`: the main job)
"""
import difflib, re, sys
from pathlib import Path

sys.dont_write_bytecode = True   # keep .ci/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tag_hidden import directives, strip_directives  # noqa: E402

SRC, DEST = Path('nbs/index.ipynb'), Path('README.md')
HEADER = '<!-- Generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file. -->\n\n'


def render(src=SRC):
    "README text rendered from notebook `src`."
    import nbformat
    from nbconvert import MarkdownExporter
    nb = nbformat.read(src, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == 'code':
            d = directives(cell.source)
            if 'hide' in d or 'default_exp' in d: continue
            cell.source = strip_directives(cell.source).strip('\n')
            if not cell.source: continue
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    nb.metadata['language_info'] = {'name': 'python'}   # fences read ```python
    body, _ = MarkdownExporter().from_notebook_node(nb)
    lines = [l.rstrip() for l in body.strip().splitlines()]
    text = '\n'.join(lines)
    while '\n\n\n' in text: text = text.replace('\n\n\n', '\n\n')
    return HEADER + text + '\n'


def commands(text):
    "`{'main': ..., 'test': ...}`: the two one-line ```bash commands in README `text`; raises if there are not exactly two."
    blocks = [b.strip() for b in re.findall(r'^```bash[ \t]*\n(.*?)^```[ \t]*$', text, flags=re.M | re.S)]
    if len(blocks) != 2: raise SystemExit(f"README.md must hold exactly 2 ```bash set-up commands, found {len(blocks)}")
    if any('\n' in b for b in blocks): raise SystemExit("each README.md ```bash block must be a single command line")
    test = [b for b in blocks if 'nbdev_test' in b]
    if len(test) != 1: raise SystemExit("exactly one README.md ```bash command must run nbdev_test (the test command)")
    return {'test': test[0], 'main': next(b for b in blocks if b != test[0])}


def main(argv):
    if '--command' in argv:
        print(commands(DEST.read_text(encoding='utf-8'))[argv[argv.index('--command') + 1]])
        return 0
    new = render()
    if '--check' in argv:
        old = DEST.read_text(encoding='utf-8') if DEST.exists() else ''
        if old != new:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       'README.md (committed)', 'README.md (from nbs/index.ipynb)'))
            print('README.md is not current: run `python .ci/readme.py` and commit.', file=sys.stderr)
            return 1
        return 0
    DEST.write_text(new, encoding='utf-8')
    return 0


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))

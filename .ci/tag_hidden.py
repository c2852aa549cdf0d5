#!/usr/bin/env python3
"""Give nbdev cell directives their Jupyter Book meaning, as cell tags.

Jupyter Book (myst-nb) does not read nbdev's `#|` directives, so this script
writes the matching tag into each code cell's metadata (nbdev_clean keeps the
`tags` key, see `allowed_cell_metadata_keys` in settings.ini):

    #| hide, #| default_exp   -> remove-cell      (not in the book)
    #| echo: false            -> remove-input     (output only)
    #| output: false          -> remove-output    (code only)
    #| eval: false, #| bench  -> skip-execution   (as nbdev_test by default;
                                                   the stored outputs are shown)

The directives are the single source: tags in this managed set that no
directive asks for are removed; other tags are left alone. Notebooks are
written the way nbdev_clean writes them, so the two never fight.

Usage (from the repository root):
    python .ci/tag_hidden.py            # tag nbs/*.ipynb in place
    python .ci/tag_hidden.py --check    # exit 1 and list cells whose tags are not current
    python .ci/tag_hidden.py FILE ...   # only these notebooks
"""
import json, re, sys
from pathlib import Path

MANAGED = ('remove-cell', 'remove-input', 'remove-output', 'skip-execution')
_DIRECTIVE = re.compile(r'^\s*#\s*\|')
_CELL_MAGIC = re.compile(r'^\s*%%\w+')


def directives(source):
    "nbdev directives at the top of a code cell's `source`, as `{name: [args]}` (names as nbdev spells them, e.g. 'eval:')."
    if isinstance(source, list): source = ''.join(source)
    found = {}
    for line in source.splitlines():
        if not line.strip() or _CELL_MAGIC.match(line): continue
        if not _DIRECTIVE.match(line): break
        s = _DIRECTIVE.sub('', line, count=1).strip()
        if s.endswith(':'): s = s[:-1]           # `#| hide:` is the Quarto-compliant spelling of `#| hide`
        s = s.replace(':', ': ')
        name, *args = s.split() or ['']
        if name: found[name] = args
    return found


def strip_directives(source):
    "`source` without its leading directive lines (what a reader should see)."
    if isinstance(source, list): source = ''.join(source)
    lines = source.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (not lines[i].strip() or _DIRECTIVE.match(lines[i])): i += 1
    return ''.join(lines[i:])


def _false(args): return bool(args) and args[0].lower() == 'false'


def wanted_tags(cell):
    "The managed tags that `cell`'s directives ask for."
    if cell.get('cell_type') != 'code': return []
    d = directives(cell.get('source', ''))
    tags = []
    if 'hide' in d or 'default_exp' in d: tags.append('remove-cell')
    if _false(d.get('echo:', [])): tags.append('remove-input')
    if _false(d.get('output:', [])): tags.append('remove-output')
    if _false(d.get('eval:', [])) or 'bench' in d: tags.append('skip-execution')
    return tags


def retag(nb):
    "Bring the managed tags of every cell of notebook dict `nb` up to date; return [(cell index, old, new)] changes."
    changes = []
    for i, cell in enumerate(nb.get('cells', [])):
        old = list(cell.get('metadata', {}).get('tags', []))
        new = [t for t in old if t not in MANAGED] + wanted_tags(cell)
        if new != old:
            changes.append((i, old, new))
            md = cell.setdefault('metadata', {})
            if new: md['tags'] = new
            else: md.pop('tags', None)
    return changes


def nb_text(nb):
    "Serialise like nbdev_clean (execnb.nbio.nb2str), so a cleaned notebook stays byte-identical."
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + '\n'


def main(argv):
    check = '--check' in argv
    files = [Path(a) for a in argv if a != '--check'] or sorted(Path('nbs').glob('*.ipynb'))
    stale = 0
    for f in files:
        nb = json.loads(f.read_text(encoding='utf-8'))
        changes = retag(nb)
        for i, old, new in changes:
            first = ''.join(nb['cells'][i].get('source', '')).splitlines()[:1]
            print(f"{f}: cell {i} ({first[0] if first else ''!r}): tags {old} -> {new}")
        if changes:
            stale += 1
            if not check: f.write_text(nb_text(nb), encoding='utf-8')
    if check and stale:
        print(f"{stale} notebook(s) have cell tags that do not match their #| directives: "
              f"run `python .ci/tag_hidden.py` and commit.", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))

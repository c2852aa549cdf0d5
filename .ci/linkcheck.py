"""Sphinx's link checker over the report book: `python .ci/linkcheck.py [--external]`.

Runs `jupyter-book build --builder linkcheck` on nbs/ with the book's own configuration, except that the notebooks
are not executed (links live in the prose, and the html build has just executed everything) and, unless
`--external` is given, web links are listed but not fetched (CI is offline but for the package registries).
Local links (files, images, downloads) are checked; cross-references between chapters are resolved by the html build
with `-W`, and `#anchors` are checked in Chromium by .ci/book_check.py. Fails on any broken link or any warning.
"""
import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def config(external: bool) -> dict:
    "The book's _config.yml, adapted for a link check."
    cfg = yaml.safe_load((ROOT/'nbs'/'_config.yml').read_text())
    cfg.setdefault('execute', {})['execute_notebooks'] = 'off'
    sphinx = cfg.setdefault('sphinx', {})
    sphinx['local_extensions'] = {k: str(ROOT/'nbs'/v) for k, v in (sphinx.get('local_extensions') or {}).items()}
    conf = sphinx.setdefault('config', {})
    # unexecuted, cleaned notebooks carry no kernel language: silence myst-nb's lexer notes for this build only
    conf['suppress_warnings'] = list(conf.get('suppress_warnings') or []) + ['mystnb.lexer', 'myst-nb.lexer']
    conf['linkcheck_report_timeouts_as_broken'] = True
    if not external: conf['linkcheck_ignore'] = [r'https?://']
    return cfg


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--external', action='store_true', help='also fetch http(s) links (needs the internet)')
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix='movierec-linkcheck-'))
    try:
        cfg = work/'_config.yml'
        cfg.write_text(yaml.safe_dump(config(a.external), sort_keys=False))
        proc = subprocess.run(['jupyter-book', 'build', '-W', '--keep-going', str(ROOT/'nbs'), '--builder', 'linkcheck',
                               '--config', str(cfg), '--path-output', str(work)], cwd=ROOT)
        out = next(work.rglob('output.json'), None)
        if out is None:
            print(f"linkcheck: no output.json under {work} (exit {proc.returncode})", file=sys.stderr)
            return 1
        rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        status = collections.Counter(r['status'] for r in rows)
        bad = [r for r in rows if r['status'] in ('broken', 'timeout')]
        for r in bad: print(f"BROKEN {r['filename']}:{r['lineno']}: {r['uri']} ({r['info']})", file=sys.stderr)
        print(f"linkcheck: {len(rows)} links ({', '.join(f'{k} {v}' for k, v in sorted(status.items()))})"
              + ('' if a.external else '; web links listed, not fetched (offline: pass --external to fetch them)'))
        return 1 if bad or proc.returncode else 0
    finally: shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())

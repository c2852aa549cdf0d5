#!/usr/bin/env python3
"""Execute every notebook once, exactly as `nbdev_test` does, and keep the outputs for the book.

    python .ci/execute_notebooks.py [--flags slow] [--do_print] [--timing] [--out _build/executed]
    python .ci/execute_notebooks.py --to-cache _build/executed _build/.jupyter_cache

The first form is `nbdev_test` (same notebooks, same cell skipping: `tst_flags` of settings.ini minus `--flags`,
`#| eval: false`, `nbdev_export(` calls; same in-process execnb shell, `IN_TEST=1`, cwd nbs/, 2 workers, the same
`nbdev Tests Failed On The Following Notebooks:` report and exit status) that also writes each notebook that passed,
with its outputs, to `--out`. The second form puts those executed notebooks into the Jupyter Book's execution cache
(jupyter-cache, keyed by the code cells' sources), so `jupyter-book build` (execute_notebooks: cache) renders them
without executing them again; a notebook not in the cache (one that failed) is executed by the book and fails it.
"""
import argparse, json, os, sys, time, traceback
from pathlib import Path


def _execute(fn, skip_flags, force_flags, do_print, out, basepath):
    "nbdev.test.test_nb, plus: write the notebook with its outputs to `out` when it passed."
    from nbdev.test import working_directory, L, IN_NOTEBOOK, str2bool, CaptureShell, FrontmatterProc, NBProcessor, nb_lang
    if basepath: sys.path.insert(0, str(basepath))
    if not IN_NOTEBOOK: os.environ["IN_TEST"] = '1'
    flags = set(L(skip_flags)) - set(L(force_flags))
    nb = NBProcessor(fn, procs=FrontmatterProc, process=True).nb
    fm = getattr(nb, 'frontmatter_', {})
    if str2bool(fm.get('skip_exec', False)) or nb_lang(nb) != 'python': return True, 0

    def _no_eval(cell):
        if cell.cell_type != 'code': return True
        if 'nbdev_export' + '(' in cell.source: return True
        direc = getattr(cell, 'directives_', {}) or {}
        if direc.get('eval:', [''])[0].lower() == 'false': return True
        return flags & direc.keys()

    start = time.time()
    k = CaptureShell(fn)
    if do_print: print(f'Starting {fn}', flush=True)
    try:
        with working_directory(fn.parent):
            k.run_all(nb, exc_stop=True, preproc=_no_eval)
            res = True
    except Exception:
        sys.stderr.write(k.prettytb(fname=fn) + '\n')
        res = False
    if do_print: print(f'- Completed {fn}', flush=True)
    if res and out:
        raw = json.loads(Path(fn).read_text(encoding='utf-8'))    # the file as committed, plus the outputs
        for c in nb.cells:
            if c.cell_type != 'code' or not hasattr(c, 'idx_'): continue
            dst = raw['cells'][c.idx_]
            dst['outputs'] = json.loads(json.dumps(list(getattr(c, 'outputs', []) or [])))
            for o in dst['outputs']:
                if o.get('output_type') == 'execute_result': o.setdefault('metadata', {})
            dst['execution_count'] = getattr(c, 'execution_count', None)
        raw.setdefault('metadata', {})['language_info'] = dict(   # what a Jupyter kernel records (the book's lexer)
            name='python', version=sys.version.split()[0], mimetype='text/x-python', file_extension='.py',
            codemirror_mode=dict(name='ipython', version=3), pygments_lexer='ipython3', nbconvert_exporter='python')
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out)/Path(fn).name).write_text(json.dumps(raw, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return res, time.time() - start


def run_tests(a):
    from nbdev.test import parallel, working_directory, get_config, nbglob, _keep_file   # nbdev_test's own helpers
    cfg = get_config()
    skip_flags, force_flags = cfg.tst_flags.split(), a.flags.split()
    files = [f.absolute() for f in sorted(nbglob(a.path, as_path=True)) if _keep_file(f, '.notest')]
    if not files: return print('No files were eligible for testing')
    out = Path(a.out).absolute() if a.out else None
    n_workers = a.n_workers if a.n_workers is not None else (0 if len(files) == 1 else min(os.cpu_count() or 1, 8))
    wd = cfg.nbs_path
    # the workers must find `_execute` in a module: the notebook shell replaces a worker's `__main__`
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from execute_notebooks import _execute as execute
    with working_directory(wd if (wd and wd.exists()) else os.getcwd()):
        results = parallel(execute, files, skip_flags=skip_flags, force_flags=force_flags, do_print=a.do_print,
                           out=out, basepath=cfg.config_path, n_workers=n_workers, pause=0.01)
    passed, times = zip(*results)
    if a.timing:
        for i, t in sorted(enumerate(times), key=lambda o: o[1], reverse=True): print(f"{files[i].name}: {int(t)} secs")
    if all(passed): print("Success.")
    else:
        failed = '\n\t'.join(f.name for p, f in zip(passed, files) if not p)
        sys.stderr.write(f"\nnbdev Tests Failed On The Following Notebooks:\n{'=' * 50}\n\t{failed}\n")
        sys.exit(1)


def to_cache(executed, cache_path, nbs='nbs'):
    "Put every executed notebook into the jupyter-cache at `cache_path`, as the execution of nbs/<name>."
    from jupyter_cache import get_cache
    cache = get_cache(cache_path)
    n = 0
    for p in sorted(Path(executed).glob('*.ipynb')):
        cache.cache_notebook_file(p, uri=str((Path(nbs)/p.name).absolute()), check_validity=False, overwrite=True)
        n += 1
    print(f"{n} executed notebooks from {executed} in the book's execution cache {cache_path}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--path', default=None, help='a notebook name or glob (default: every notebook, as nbdev_test)')
    p.add_argument('--flags', default='', help='space-separated test flags to run that are normally skipped')
    p.add_argument('--n_workers', type=int, default=None)
    p.add_argument('--timing', action='store_true')
    p.add_argument('--do_print', action='store_true')
    p.add_argument('--out', default='_build/executed', help="folder for the executed notebooks ('' : none)")
    p.add_argument('--to-cache', nargs=2, metavar=('EXECUTED', 'CACHE'), help='fill the book execution cache instead')
    a = p.parse_args()
    if a.to_cache: to_cache(*a.to_cache)
    else: run_tests(a)

"""Surprise's SVD against our ALS on the 25.6 M-rating training set of the scale benchmarks (issue 6).

Child (one fresh process, project venv with scikit-surprise 1.1.5):
    python bench/peers/surprise_svd.py child /tmp/synth32m-train --epochs 2 --factors 64 --max-rss-gb 20
Driver (alternates Surprise children and our-ALS children, writes the JSON):
    python bench/peers/surprise_svd.py drive /tmp/synth32m-train --runs 1 --ours-runs 3 --epochs 2 --json bench/surprise_32m.json

The child times, separately: the DataFrame of the .npy arrays, `Dataset.load_from_df` (a Python list of rating
tuples), `build_full_trainset` (Surprise's dicts of per-user and per-item lists), and `SVD(n_factors, n_epochs).fit`.
Surprise's SVD is single-threaded SGD (Cython); there is no thread setting. A watchdog thread samples the RSS every
0.2 s and ends the child, reporting the steps that finished, if it passes `--max-rss-gb`.
"""
import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

from common import paired_ratios, summarise_ours, emit, loadavg, machine_info, ours_command, rss_gb, resume, run_child, summarize, write_json, peak_rss_gb, MARK


def child(a):
    import numpy as np
    import pandas as pd
    import surprise
    done = dict(side='Surprise SVD', surprise=surprise.__version__, numpy=np.__version__, pandas=pd.__version__,
                epochs=a.epochs, n_factors=a.factors, threads=1, max_rss_gb=a.max_rss_gb, steps={})
    step = ['start']

    def watchdog():
        while True:
            r = rss_gb()
            if r > a.max_rss_gb:
                print(MARK + json.dumps({**done, 'aborted': f'RSS {r:.1f} GB > {a.max_rss_gb} GB during {step[0]}',
                                         **peak_rss_gb()}), flush=True)
                os._exit(3)
            time.sleep(0.2)
    threading.Thread(target=watchdog, daemon=True).start()

    def timed(name, f):
        step[0] = name
        t0 = time.perf_counter(); out = f(); done['steps'][name] = dict(s=time.perf_counter() - t0, rss_gb_after=rss_gb())
        return out

    d = Path(a.train_dir)
    df = timed('dataframe', lambda: pd.DataFrame({n: np.load(d/f'{n}.npy') for n in ('user', 'item', 'rating')}))
    done['n_train'] = len(df)
    reader = surprise.Reader(rating_scale=(0.5, 5.0))
    data = timed('load_from_df', lambda: surprise.Dataset.load_from_df(df, reader))
    trainset = timed('build_full_trainset', data.build_full_trainset)
    del data, df
    done['prep_s'] = sum(v['s'] for v in done['steps'].values())
    algo = surprise.SVD(n_factors=a.factors, n_epochs=a.epochs, random_state=0)
    timed('fit', lambda: algo.fit(trainset))
    done['fit_s'] = done['steps']['fit']['s']
    done['epoch_s'] = done['fit_s'] / a.epochs
    emit(done)


def drive(a):
    here = Path(__file__).resolve()
    sur_cmd = [sys.executable, str(here), 'child', str(a.train_dir), '--epochs', str(a.epochs),
               '--factors', str(a.factors), '--max-rss-gb', str(a.max_rss_gb)]
    our_cmd = ours_command(a.train_dir, a.epochs, a.factors)
    out = dict(benchmark='surprise_svd_32m', machine=machine_info(), train=str(a.train_dir),
               train_meta=json.loads((Path(a.train_dir)/'meta.json').read_text()),
               n_factors=a.factors, epochs=a.epochs,
               commands=dict(export='python bench/peers/export_train.py /tmp/synth32m ' + str(a.train_dir),
                             driver=' '.join(['python', 'bench/peers/surprise_svd.py'] + sys.argv[1:]),
                             peer_child=' '.join(sur_cmd), ours_child=' '.join(our_cmd)),
               note="Surprise's SVD is single-threaded SGD on a Python-dict trainset; ours is ALS with 2 Numba threads. "
                    "Not the same algorithm: the comparison is seconds per epoch of each library's matrix factorization.")
    ours, peer = [], []
    if a.append and Path(a.json).exists():   # add rounds to an earlier session's file (every round is still back to back)
        ours, peer = resume(out, a.json, 'surprise_runs', 'bench/peers/surprise_svd.py')
    n = max(a.runs, a.ours_runs)
    for i in range(n):          # interleaved: ours, Surprise, ours, ...
        if i < a.ours_runs:
            ours.append(run_child(our_cmd)); print('ours', json.dumps(ours[-1]), flush=True)
        if i < a.runs:
            peer.append(run_child(sur_cmd, timeout=a.timeout)); print('surprise', json.dumps(peer[-1]), flush=True)
        out.update(ours_runs=ours, surprise_runs=peer)
        write_json(summarise(out), a.json)      # partial results survive an interrupted session
    print(json.dumps({k: v for k, v in summarise(out).items() if not k.endswith('_runs')}, indent=2))


def summarise(out):
    out = dict(out)
    ours, peer = out.get('ours_runs', []), out.get('surprise_runs', [])
    summarise_ours(out, ours)
    ok = [r for r in peer if 'aborted' not in r]
    if peer:
        out['surprise_peak_rss_gb'] = max(r['peak_rss_gb'] for r in peer)
        out['surprise_completed'] = len(ok)
        out['surprise_aborted'] = [r['aborted'] for r in peer if 'aborted' in r]
        for step in ('dataframe', 'load_from_df', 'build_full_trainset'):
            xs = [r['steps'][step]['s'] for r in peer if step in r['steps']]
            if xs: out[f'surprise_{step}_s'] = summarize(xs)
    if ok:
        out['surprise_prep_s'] = summarize([r['prep_s'] for r in ok])
        out['surprise_epoch_s'] = summarize([r['epoch_s'] for r in ok])
    if ours and ok:
        out['ratio_epoch_ours_to_surprise'] = out['ours_epoch_s']['median'] / out['surprise_epoch_s']['median']
        out['ratio_prep_ours_to_surprise'] = out['ours_prep_s']['median'] / out['surprise_prep_s']['median']
        out['ratio_peak_rss_ours_to_surprise'] = out['ours_peak_rss_gb'] / out['surprise_peak_rss_gb']
        pairs = paired_ratios(ours, peer)
        out['paired_epoch_ratios'] = summarize(pairs)
    out['loadavg'] = [dict(side=r.get('side'), before=r['loadavg_before'], after=r['loadavg_after'])
                      for r in ours + peer]
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('role', choices=['child', 'drive', 'summarise']); ap.add_argument('train_dir')
    ap.add_argument('--epochs', type=int, default=2); ap.add_argument('--factors', type=int, default=64)
    ap.add_argument('--max-rss-gb', type=float, default=20.0)
    ap.add_argument('--runs', type=int, default=1); ap.add_argument('--ours-runs', type=int, default=3)
    ap.add_argument('--timeout', type=float, default=5400)
    ap.add_argument('--json', default='bench/surprise_32m.json')
    ap.add_argument('--append', action='store_true', help='add rounds to the runs already in --json')
    a = ap.parse_args()
    if a.role == 'summarise':   # recompute the summary of an existing JSON from its runs (no new measurement)
        write_json(summarise(json.loads(Path(a.json).read_text())), a.json)
    else: child(a) if a.role == 'child' else drive(a)

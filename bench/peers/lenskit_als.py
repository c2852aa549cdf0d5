"""LensKit's biased explicit ALS against our ALS on the 25.6 M-rating training set of the scale benchmarks (issue 6).

LensKit lives in its own venv (the current release needs Python >= 3.12.5; the project's venv is 3.11):
    /root/.pyenv/versions/3.13.0/bin/python -m venv /work/venv-lenskit
    /work/venv-lenskit/bin/pip install lenskit==2026.4.0
Child (one fresh process, LensKit venv; 2 threads via LK_NUM_THREADS / LK_NUM_BACKEND_THREADS):
    LK_NUM_THREADS=2 LK_NUM_BACKEND_THREADS=2 /work/venv-lenskit/bin/python bench/peers/lenskit_als.py child /tmp/synth32m-train --epochs 2
Driver (project venv; alternates LensKit children and our-ALS children, writes the JSON):
    python bench/peers/lenskit_als.py drive /tmp/synth32m-train --runs 3 --epochs 2 --json bench/lenskit_als.json

The child times, separately: the data preparation (reading the .npy arrays and building LensKit's `Dataset` with
`from_interactions_df`), the trainer's set-up (rating matrix, bias model, CSR of both sides: LensKit's own part of
the fit), each epoch (`train_epoch`, i.e. one user and one item half-step), and the whole fit (set-up + epochs +
finalize, what `BiasedMFScorer.train` does). This module imports nothing outside the standard library at the top, so
the driver runs in the project venv and the child in LensKit's.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

from common import paired_ratios, summarise_ours, emit, machine_info, ours_command, resume, run_child, summarize, write_json

THREADS = 2


def child(a):
    import numpy as np
    import pandas as pd
    import lenskit
    from lenskit.als import BiasedMFScorer
    from lenskit.data import from_interactions_df
    from lenskit.parallel import ensure_parallel_init, get_parallel_config
    from lenskit.training import TrainingOptions
    ensure_parallel_init()
    par = get_parallel_config()
    import torch
    d = Path(a.train_dir)
    t0 = time.perf_counter()
    df = pd.DataFrame({n: np.load(d/f'{n}.npy') for n in ('user', 'item', 'rating')})
    data = from_interactions_df(df, user_col='user', item_col='item', rating_col='rating')
    prep = time.perf_counter() - t0
    del df
    scorer = BiasedMFScorer(embedding_size=a.factors, epochs=a.epochs)
    t0 = time.perf_counter()
    trainer = scorer.create_trainer(data, TrainingOptions(rng=0))   # what BiasedMFScorer.train does, step by step
    setup = time.perf_counter() - t0
    epochs = []
    for _ in range(a.epochs):
        te = time.perf_counter(); trainer.train_epoch(); epochs.append(time.perf_counter() - te)
    trainer.finalize()
    fit = time.perf_counter() - t0
    emit(dict(side='LensKit BiasedMFScorer (ALS)', lenskit=lenskit.__version__, numpy=np.__version__,
              pandas=pd.__version__, torch=torch.__version__, python=sys.version.split()[0],
              n_train=int(data.interaction_count), n_users=int(data.user_count), n_items=int(data.item_count),
              epochs=a.epochs, n_factors=a.factors, prep_s=prep, trainer_setup_s=setup, epoch_runs_s=epochs,
              fit_s=fit, epoch_s=fit / a.epochs, epoch_only_s=float(np.median(epochs)),
              threads=dict(num_threads=par.num_threads, num_backend_threads=par.num_backend_threads,
                           torch=torch.get_num_threads())))


def drive(a):
    here = Path(__file__).resolve()
    lk_env = dict(LK_NUM_THREADS=str(THREADS), LK_NUM_BACKEND_THREADS=str(THREADS))
    lk_cmd = [a.lenskit_python, str(here), 'child', str(a.train_dir), '--epochs', str(a.epochs), '--factors', str(a.factors)]
    our_cmd = ours_command(a.train_dir, a.epochs, a.factors)
    out = dict(benchmark='lenskit_als_32m', machine=machine_info(), train=str(a.train_dir),
               train_meta=json.loads((Path(a.train_dir)/'meta.json').read_text()), n_factors=a.factors, epochs=a.epochs,
               threads=THREADS,
               commands=dict(venv=f'{a.base_python} -m venv /work/venv-lenskit && /work/venv-lenskit/bin/pip install lenskit==2026.4.0',
                             export='python bench/peers/export_train.py /tmp/synth32m ' + str(a.train_dir),
                             driver=' '.join(['python', 'bench/peers/lenskit_als.py'] + sys.argv[1:]),
                             peer_child=' '.join([f'{k}={v}' for k, v in lk_env.items()] + lk_cmd),
                             ours_child=' '.join(our_cmd)),
               note="Both sides fit biased explicit ALS with 64 factors for the same number of epochs on the same "
                    "ratings with 2 threads; LensKit solves each row exactly (Cholesky, Rust/rayon), ours with conjugate-"
                    "gradient half-steps. epoch_s = whole fit / epochs on both sides (LensKit's includes its trainer "
                    "set-up, ours its in-fit preparation); lenskit_epoch_only_s is LensKit's train_epoch alone.")
    ours, peer = [], []
    if a.append and Path(a.json).exists():   # add rounds to an earlier session's file (every round is still back to back)
        ours, peer = resume(out, a.json, 'lenskit_runs', 'bench/peers/lenskit_als.py')
    for i in range(a.runs):         # interleaved: ours, LensKit, ours, LensKit, ...
        ours.append(run_child(our_cmd)); print('ours', json.dumps(ours[-1]), flush=True)
        peer.append(run_child(lk_cmd, env=lk_env, timeout=a.timeout)); print('lenskit', json.dumps(peer[-1]), flush=True)
        out.update(ours_runs=ours, lenskit_runs=peer)
        write_json(summarise(out), a.json)      # partial results survive an interrupted session
    print(json.dumps({k: v for k, v in summarise(out).items() if not k.endswith('_runs')}, indent=2))


def summarise(out):
    out = dict(out)
    ours, peer = out.get('ours_runs', []), out.get('lenskit_runs', [])
    summarise_ours(out, ours)
    if peer:
        out['lenskit'] = peer[0]['lenskit']
        out['lenskit_versions'] = {k: peer[0][k] for k in ('lenskit', 'numpy', 'pandas', 'torch', 'python')}
        out['lenskit_epoch_s'] = summarize([r['epoch_s'] for r in peer])
        out['lenskit_epoch_only_s'] = summarize([r['epoch_only_s'] for r in peer])
        out['lenskit_trainer_setup_s'] = summarize([r['trainer_setup_s'] for r in peer])
        out['lenskit_prep_s'] = summarize([r['prep_s'] for r in peer])
        out['lenskit_peak_rss_gb'] = max(r['peak_rss_gb'] for r in peer)
    if ours and peer:
        out['ratio_epoch_ours_to_lenskit'] = out['ours_epoch_s']['median'] / out['lenskit_epoch_s']['median']
        out['ratio_prep_ours_to_lenskit'] = out['ours_prep_s']['median'] / out['lenskit_prep_s']['median']
        out['ratio_peak_rss_ours_to_lenskit'] = out['ours_peak_rss_gb'] / out['lenskit_peak_rss_gb']
        eo = [r['epoch_only_s'] for r in ours if 'epoch_only_s' in r]
        if eo:   # the epochs alone, without either side's in-fit set-up (only runs of ours that recorded it)
            out['ours_epoch_only_s'] = summarize(eo)
            out['ratio_epoch_only_ours_to_lenskit'] = out['ours_epoch_only_s']['median'] / out['lenskit_epoch_only_s']['median']
        pairs = paired_ratios(ours, peer)
        out['paired_epoch_ratios'] = summarize(pairs)
    out['loadavg'] = [dict(side=r.get('side'), before=r['loadavg_before'], after=r['loadavg_after']) for r in ours + peer]
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('role', choices=['child', 'drive', 'summarise']); ap.add_argument('train_dir')
    ap.add_argument('--epochs', type=int, default=2); ap.add_argument('--factors', type=int, default=64)
    ap.add_argument('--runs', type=int, default=3); ap.add_argument('--timeout', type=float, default=5400)
    ap.add_argument('--lenskit-python', default='/work/venv-lenskit/bin/python')
    ap.add_argument('--base-python', default='/root/.pyenv/versions/3.13.0/bin/python')
    ap.add_argument('--json', default='bench/lenskit_als.json')
    ap.add_argument('--append', action='store_true', help='add rounds to the runs already in --json')
    a = ap.parse_args()
    if a.role == 'summarise':   # recompute the summary of an existing JSON from its runs (no new measurement)
        write_json(summarise(json.loads(Path(a.json).read_text())), a.json)
    else: child(a) if a.role == 'child' else drive(a)

"""Child: one fit of our explicit ALS on the exported training set, in a fresh process (project venv).

    python bench/peers/ours_als.py /tmp/synth32m-train --epochs 2 --factors 64

Times the data preparation (reading the .npy arrays, building `Interactions` and its by-user/by-item views) and the
fit separately, after a Numba warm-up on tiny data (compilation is not part of the fit time, as in `movierec bench
als`). Numba uses its default thread count (the machine's 2 cores). Prints one `__RESULT__{json}` line.
"""
import argparse
import time
from pathlib import Path

import numba
import numpy as np

from common import emit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('train_dir'); ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--factors', type=int, default=64)
    a = ap.parse_args()
    from movierec.core import Interactions
    from movierec.models.als import ALS
    from movierec.synth import generate
    ALS(n_factors=a.factors, n_epochs=1, track_objective=False).fit(generate(scale=0.001, seed=1).ratings)  # warm-up
    d = Path(a.train_dir)
    t0 = time.perf_counter()
    user, item, rating = (np.load(d/f'{n}.npy') for n in ('user', 'item', 'rating'))
    train = Interactions(user, item, rating)
    train.by_user; train.by_item
    prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    m = ALS(n_factors=a.factors, n_epochs=a.epochs, track_objective=False).fit(train)
    fit = time.perf_counter() - t0
    assert len(m.history) == a.epochs, 'stopped early: the per-epoch time would be wrong'
    emit(dict(side='movierec ALS', n_train=len(train), epochs=a.epochs, n_factors=a.factors, prep_s=prep, fit_s=fit,
              epoch_s=fit / a.epochs, epoch_runs_s=[float(h['seconds']) for h in m.history],
              epoch_only_s=float(np.median([h['seconds'] for h in m.history])), train_rmse=float(m.history[-1]['train_rmse']),
              threads=numba.get_num_threads(), numba=numba.__version__, numpy=np.__version__))


if __name__ == '__main__':
    main()

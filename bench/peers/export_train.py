"""Export the scale benchmarks' training set as .npy arrays, for peers that cannot import movierec.

Run with the project's venv:  python bench/peers/export_train.py /tmp/synth32m /tmp/synth32m-train
Writes user.npy, item.npy (int32, dense indices), rating.npy (float32) and meta.json to the output folder: exactly
`split.random_split(data.load(DATA).ratings, 0.2, seed=0).train`, the training set of `movierec bench als`.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

from movierec import data, split


def main(folder, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    ds = data.load(folder, progress=False)
    train = split.random_split(ds.ratings, 0.2, seed=0).train
    arrays = dict(user=np.ascontiguousarray(train.user, dtype=np.int32),
                  item=np.ascontiguousarray(train.item, dtype=np.int32),
                  rating=np.ascontiguousarray(train.rating, dtype=np.float32))
    for name, a in arrays.items(): np.save(out/f'{name}.npy', a)
    meta = dict(source=str(folder), split='movierec.split.random_split(ratings, 0.2, seed=0).train',
                n_train=len(train), n_users=int(train.shape[0]), n_items=int(train.shape[1]),
                rating_sum=float(arrays['rating'].astype(np.float64).sum()), seconds=time.perf_counter() - t0)
    (out/'meta.json').write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta))


if __name__ == '__main__':
    if len(sys.argv) != 3: sys.exit('usage: python bench/peers/export_train.py DATA_FOLDER OUT_FOLDER')
    main(sys.argv[1], sys.argv[2])

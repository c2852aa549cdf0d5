"""Shared pieces of the peer benchmarks (bench/peers/*.py): fresh-process children, machine facts, our ALS child.

Each peer script has two roles. Its *child* role fits one model on the exported training set (bench/peers/
export_train.py) in a fresh process and prints one `__RESULT__{json}` line; its *driver* role (run with the project's
venv) alternates peer children and our-ALS children, so drifts in machine load hit both sides alike, and writes the
JSON. Everything here uses only the standard library, so the peers' own venvs can import it.
"""
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = '__RESULT__'


def peak_rss_gb() -> dict:
    "This process's peak RSS in GB: `ru_maxrss` (as the brief asks) and `VmHWM` (the process's own high-water mark)."
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    try: hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) / 2**20
    except (OSError, StopIteration): hwm = ru
    return dict(peak_rss_gb=hwm, ru_maxrss_gb=ru)


def rss_gb() -> float:
    "This process's current RSS in GB."
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:')) / 2**20


def loadavg() -> list:
    "The 1, 5 and 15 minute load averages (what `uptime` prints)."
    return list(os.getloadavg())


def emit(result: dict):
    "Print the child's result line (with its peak RSS) for the driver."
    result = {**result, **peak_rss_gb()}
    print(MARK + json.dumps(result), flush=True)


def run_child(cmd: list, timeout=7200, env=None) -> dict:
    "Run `cmd` in a fresh process; its parsed result line plus the load averages before/after and the command."
    before = loadavg()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t0
    lines = [l for l in proc.stdout.splitlines() if l.startswith(MARK)]
    if not lines:
        raise RuntimeError(f"child failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    res = json.loads(lines[-1][len(MARK):])
    res.update(loadavg_before=before, loadavg_after=loadavg(), process_wall_s=wall, exit_code=proc.returncode,
               command=' '.join(cmd), started_utc=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - wall)))
    return res


def summarize(xs: list) -> dict:
    "Median, min and max of repeated measurements, with the runs themselves."
    return dict(median=statistics.median(xs), min=min(xs), max=max(xs), runs=list(xs))


def summarise_ours(out: dict, ours: list):
    "Add the summary of our runs to `out`: seconds per epoch, in-fit preparation, peak RSS."
    if not ours: return
    out['ours_epoch_s'] = summarize([r['epoch_s'] for r in ours])
    out['ours_prep_s'] = summarize([r['prep_s'] for r in ours])
    out['ours_peak_rss_gb'] = max(r['peak_rss_gb'] for r in ours)


def machine_info() -> dict:
    "What the numbers were measured on (the driver's view)."
    mem = next(int(l.split()[1]) for l in open('/proc/meminfo') if l.startswith('MemTotal:')) / 2**20
    return dict(python=platform.python_version(), platform=platform.platform(), cpus=os.cpu_count(),
                mem_total_gb=round(mem, 1), loadavg_at_start=loadavg())


def write_json(out: dict, path):
    "Write `out` as indented JSON atomically (temp file, then rename)."
    path = Path(path)
    tmp = path.with_name(path.name + '.tmp')
    tmp.write_text(json.dumps(out, indent=2), encoding='utf-8')
    os.replace(tmp, path)


OURS_CHILD = HERE/'ours_als.py'


def ours_command(train_dir, epochs, n_factors=64, python=None) -> list:
    "The command line of one fresh-process fit of our ALS on the exported training set (project venv)."
    return [python or sys.executable, str(OURS_CHILD), str(train_dir), '--epochs', str(epochs),
            '--factors', str(n_factors)]


def paired_ratios(ours: list, peer: list) -> list:
    "Our seconds per epoch / the peer's, each peer run paired with the run of ours that started last before it."
    out = []
    for p in peer:
        if 'epoch_s' not in p: continue
        before = [o for o in ours if o['started_utc'] <= p['started_utc']]
        if before: out.append(max(before, key=lambda o: o['started_utc'])['epoch_s'] / p['epoch_s'])
    return out


def resume(out: dict, json_path, peer_key: str, script: str) -> tuple:
    "Earlier rounds (`--append`): `(ours_runs, peer_runs)` read from `json_path`, with its machine and driver commands carried into `out`."
    old = json.loads(Path(json_path).read_text())
    out['machine'] = old['machine']
    drivers = old['commands']['driver']
    out['commands']['driver'] = ([drivers] if isinstance(drivers, str) else drivers) + [' '.join(['python', script] + sys.argv[1:])]
    return old['ours_runs'], old[peer_key]

#!/usr/bin/env python3
"""End-to-end test of the Streamlit dashboard (movierec/app.py) in a real browser.

    python .ci/e2e_app.py [--results DIR] [--screenshots DIR] [--port N]

Without --results it builds a results folder with `movierec.pipeline.run` on a tiny synthetic dataset in a temporary
folder. It starts `movierec dashboard` (what users run) on 127.0.0.1 (a free port unless --port), waits for
/_stcore/health, and drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) through Playwright: it opens every
page, searches an unknown title (expects the message), searches and rates two movies, checks the recommendations,
tries the cold-start, similar-movies and map tabs and the A/B view (with its intervals), and saves a screenshot of each step in --screenshots
(default _build/e2e_app). It fails (exit 1) on any browser console error or page error, any Streamlit exception
element, the word "Traceback" on a page, or an unexpected error box. The server is always stopped.

Needs: pip install -e ".[app]" playwright; apt-get install chromium (do not run `playwright install`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']


class E2EFailure(Exception): pass


def log(msg): print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def build_results(work: Path) -> Path:
    "A results folder written by `movierec run`'s code on a tiny synthetic dataset."
    from movierec import synth
    from movierec.pipeline import run
    data, out = work/'data', work/'results'
    t = time.perf_counter()
    synth.write_movielens(data, scale=0.002, seed=0)
    quick = {'models': {'bias_als': {'n_epochs': 5}, 'full_als': {'n_epochs': 5}, 'genre_als': {'n_epochs': 5},
                        'bpr': {'n_epochs': 20}, 'ials': {'n_epochs': 5}}}
    run(quick, data=data, out=out, progress=False)
    log(f"built {out} from synthetic data in {time.perf_counter() - t:.1f} s")
    return out


def start_server(results: Path, port: int, logfile: Path) -> subprocess.Popen:
    # what a user runs: `movierec dashboard` (Streamlit's server in-process, the results preloaded in a thread)
    cmd = [sys.executable, '-m', 'movierec.cli', 'dashboard', '--results', str(results), '--port', str(port),
           '--address', '127.0.0.1', '--headless']
    log('starting: ' + ' '.join(cmd))
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    return subprocess.Popen(cmd, cwd=ROOT, stdout=open(logfile, 'wb'), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def stop_server(proc: subprocess.Popen):
    if proc.poll() is not None: return
    try:
        os.killpg(proc.pid, signal.SIGTERM)      # the server's own process group (start_new_session)
        proc.wait(10)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try: os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError: pass
        proc.wait(10)


def wait_healthy(port: int, proc: subprocess.Popen, timeout=90):
    url, t0 = f'http://127.0.0.1:{port}/_stcore/health', time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None: raise E2EFailure(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200 and r.read().strip() == b'ok':
                    log(f"server healthy after {time.perf_counter() - t0:.1f} s")
                    return
        except OSError: pass
        time.sleep(0.25)
    raise E2EFailure(f"{url} did not answer 'ok' within {timeout} s")


class Driver:
    "A Playwright page on the app, with the checks every step makes."
    def __init__(self, page, base_url, shots: Path, timeout_ms=60_000):
        self.page, self.base_url, self.shots, self.timeout = page, base_url, shots, timeout_ms
        self.problems, self.n_shots = [], 0
        page.on('console', lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == 'error' else None)
        page.on('pageerror', lambda e: self.problems.append(f"page error: {e}"))
        page.set_default_timeout(timeout_ms)

    def idle(self):
        "Wait until the script run triggered by the last action has finished."
        self.page.wait_for_timeout(300)
        self.page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=self.timeout)
        self.page.wait_for_timeout(300)

    def check(self, step, allow_errors=()):
        "Fail on exceptions, tracebacks, console/page errors, and error boxes not matching `allow_errors`."
        page = self.page
        if page.locator('[data-testid="stException"]').count():
            raise E2EFailure(f"{step}: Streamlit exception on the page: {page.locator('[data-testid=stException]').first.inner_text()[:2000]}")
        body = page.locator('[data-testid="stApp"]').inner_text()
        if 'Traceback' in body: raise E2EFailure(f"{step}: 'Traceback' on the page")
        for box in page.locator('[data-testid="stAlertContentError"]').all():
            text = box.inner_text()
            if not any(a in text for a in allow_errors): raise E2EFailure(f"{step}: error box: {text}")
        if self.problems: raise E2EFailure(f"{step}: " + '; '.join(self.problems))

    def shot(self, name):
        "Screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it first."
        self.n_shots += 1
        path = self.shots/f"{self.n_shots:02d}_{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate("() => Math.max(...Array.from(document.querySelectorAll("
                                    "'[data-testid=stMain], [data-testid=stMainBlockContainer], section'), e => e.scrollHeight))")
        self.page.set_viewport_size({'width': size['width'], 'height': max(size['height'], min(int(height) + 40, 8000))})
        self.page.wait_for_timeout(500)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(size)
        log(f"screenshot {path}")

    def goto_page(self, name):
        self.page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
        self.idle()
        self.check(f"page {name}")

    def expect_text(self, text, step):
        try: self.page.get_by_text(text).first.wait_for(state='visible', timeout=self.timeout)
        except Exception as e: raise E2EFailure(f"{step}: did not find {text!r} on the page") from e

    def search(self, label_index, query):
        "Type `query` into the n-th 'Search a movie title' box and submit it."
        box = self.page.get_by_label('Search a movie title').nth(label_index)
        box.fill(query)
        box.press('Enter')
        self.idle()


def drive(d: Driver, base_url: str, queries):
    page = d.page
    t0 = time.perf_counter()
    page.goto(base_url)
    page.wait_for_selector('[data-testid="stSidebar"]')
    d.idle()
    d.expect_text('Quick insights', 'Home')
    log(f"Home rendered {time.perf_counter() - t0:.1f} s after opening the page")
    d.check('Home'); d.shot('home')

    d.goto_page('EDA'); d.expect_text('Ratings per month', 'EDA')
    if page.get_by_text('Figures of the run').count(): raise E2EFailure('EDA: the run\'s figures are on the EDA page')
    d.shot('eda')
    d.goto_page('Models'); d.expect_text('One model', 'Models'); d.expect_text('Best by NDCG@10', 'Models')
    d.shot('models')
    d.goto_page('Metrics'); d.expect_text('A/B: two models on the same split', 'Metrics')
    d.expect_text('sign-flip permutation test', 'A/B statistics')
    d.check('Metrics'); d.shot('metrics')

    d.goto_page('Recommender')
    d.expect_text('Search a movie title above', 'Recommender (no ratings yet)')
    d.search(0, 'zzzz no such title')
    d.expect_text('No movie title contains', 'unknown title')
    d.check('unknown title', allow_errors=('No movie title contains',))
    d.shot('recommender_unknown_title')
    for query in queries:
        d.search(0, query)
        d.check(f'search {query!r}')
        page.get_by_role('button', name='Add rating').click()
        d.idle()
        d.check(f'rate {query!r}')
    d.expect_text('no retraining', 'recommendations')
    caption = page.get_by_text('no retraining').first.inner_text()
    log(f"recommendation caption: {caption}")
    if not page.locator('[data-testid="stDataFrame"]').count(): raise E2EFailure('recommendations: no table')
    d.shot('recommender_recommendations')

    page.get_by_role('tab', name='Cold start').click()
    d.idle()
    page.locator('[data-testid="stMultiSelect"]').filter(has_text='Genres of the new movie').locator('input').click()
    page.keyboard.type('Drama'); page.keyboard.press('Enter')
    page.keyboard.press('Escape')
    d.idle()
    d.expect_text('mean predicted rating', 'cold start')
    d.check('cold start'); d.shot('recommender_cold_start')

    page.get_by_role('tab', name='Similar movies').click()
    d.idle()
    d.search(1, queries[0])
    d.check('similar movies'); d.shot('recommender_similar')

    page.get_by_role('tab', name='Map of the movies').click()
    d.idle()
    d.expect_text('placed by PCA of the centred item factors', 'map of the movies')
    d.check('map of the movies'); d.shot('recommender_map')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--results', type=Path, help='results folder (default: build one from synthetic data)')
    ap.add_argument('--screenshots', type=Path, default=ROOT/'_build'/'e2e_app', help='where to save the screenshots')
    ap.add_argument('--port', type=int, default=0, help='server port (default: a free one)')
    ap.add_argument('--queries', nargs='+', default=None, help='titles to search and rate (default: two popular ones)')
    ap.add_argument('--timeout', type=float, default=60, help='seconds to wait for any one step')
    a = ap.parse_args(argv)
    chromium = os.environ.get('CHROMIUM', '/usr/bin/chromium')
    if not Path(chromium).exists():
        log(f"FAILED: no browser at {chromium} (apt-get install chromium, or set CHROMIUM)"); return 1
    from playwright.sync_api import sync_playwright
    work = Path(tempfile.mkdtemp(prefix='movierec-e2e-'))
    a.screenshots.mkdir(parents=True, exist_ok=True)
    for old in a.screenshots.glob('*.png'): old.unlink()
    proc, logfile = None, work/'streamlit.log'
    try:
        if not a.results: os.environ['MOVIEREC_HOME'] = str(work/'home')    # the synthetic data's cache goes in work/ too
        results = a.results or build_results(work)
        queries = a.queries or _popular_titles(results)
        port = a.port or free_port()
        proc = start_server(results, port, logfile)
        wait_healthy(port, proc)
        base_url = f'http://127.0.0.1:{port}/'
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={'width': 1500, 'height': 1100})
                d = Driver(page, base_url, a.screenshots, int(a.timeout * 1000))
                try: drive(d, base_url, queries)
                except Exception:
                    try: d.shot('failure')               # what the page showed when the step failed
                    except Exception: pass
                    raise
            finally: browser.close()
        log(f"PASSED: every page rendered without errors; {d.n_shots} screenshots in {a.screenshots}")
        return 0
    except Exception as e:
        log(f"FAILED: {type(e).__name__}: {e}")
        return 1
    finally:
        if proc is not None:
            stop_server(proc)
            log(f"server stopped; its log ({logfile}):")
            print(logfile.read_text(errors='replace')[-4000:], flush=True)
        shutil.rmtree(work, ignore_errors=True)


def _popular_titles(results: Path, n=2):
    "The first words of the two most rated movies' titles, to search for."
    from movierec.app import load_app
    cat = load_app(results).catalog
    best = sorted(range(cat.n_items), key=lambda j: -cat.n_ratings[j])[:n]
    return [cat.titles[j] for j in best]


if __name__ == '__main__':
    sys.exit(main())

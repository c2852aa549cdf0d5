#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and fail on anything broken.

The book (`jupyter-book build nbs/ --path-output .`) is served from `_build/html` on 127.0.0.1 and each page is
loaded by Debian's Chromium, driven by Playwright (the Python package, using the system browser; nothing is
downloaded). A page fails when
  - it or anything it loads (script, style sheet, image, font) answers with an HTTP error or does not load,
  - the browser console reports an error or the page throws (the browser's own /favicon.ico probe aside),
  - MathJax (served by the book itself) leaves math untypeset or reports a formula error,
  - an image has no pixels (naturalWidth 0), or
  - a link to another page of the book (or an #anchor on it) points nowhere.
Links leaving the site are listed but not followed: CI has no internet.

Usage (from the repository root):
    python .ci/book_check.py [--html _build/html] [--chromium /usr/bin/chromium] [--screenshots DIR]
Exit status 0 when every page is clean, 1 otherwise (each problem printed as `page: problem`).
"""
import argparse, functools, http.server, socketserver, sys, threading
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']

# Each page lists its links, anchors and images in one go.
PAGE_FACTS = """() => ({
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id)
        .concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.name)),
  images: Array.from(document.images).map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
})"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass


def serve(root):
    "Start a static file server for `root` on a free port of 127.0.0.1; returns (server, base url)."
    handler = functools.partial(QuietHandler, directory=str(root))
    server = socketserver.ThreadingTCPServer(('127.0.0.1', 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f'http://127.0.0.1:{server.server_address[1]}/'


def check(html, chromium, shots=None):
    "Problems found on the pages under `html`, as a list of strings."
    from playwright.sync_api import sync_playwright
    pages = sorted(p.relative_to(html).as_posix() for p in html.glob('*.html'))
    if not pages: return [f'{html}: no HTML pages (was the book built?)']
    server, base = serve(html)
    problems, facts, external = [], {}, set()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for name in pages:
                page = browser.new_page()
                found = []
                page.on('console', lambda m, f=found: f.append(f'console {m.type}: {m.text} ({m.location.get("url")})')
                        if m.type == 'error' and not m.location.get('url', '').endswith('/favicon.ico') else None)
                page.on('pageerror', lambda e, f=found: f.append(f'page error: {e}'))
                page.on('requestfailed', lambda r, f=found: f.append(f'failed to load {r.url} ({r.failure})')
                        if urlparse(r.url).hostname == '127.0.0.1' else None)
                page.on('response', lambda r, f=found: f.append(f'HTTP {r.status} for {r.url}') if r.status >= 400 else None)
                resp = page.goto(base + name, wait_until='load')
                if resp is None or not resp.ok: found.append(f'HTTP {resp.status if resp else "?"} for the page itself')
                if page.evaluate('() => !!window.MathJax'):   # math typeset by the page's own MathJax, offline
                    typeset = page.evaluate('''() => MathJax.startup && MathJax.startup.promise
                        ? MathJax.startup.promise.then(() => document.querySelectorAll('mjx-container').length) : -1''')
                    n_math = page.evaluate("() => document.querySelectorAll('.math').length")
                    if n_math and typeset <= 0: found.append(f'{n_math} math elements but MathJax typeset none')
                    n_errors = page.evaluate("() => document.querySelectorAll('mjx-merror').length")
                    if n_errors: found.append(f'{n_errors} math formulas that MathJax could not typeset')
                info = page.evaluate(PAGE_FACTS)
                facts[name] = info
                found += [f'image without pixels: {im["src"]}' for im in info['images'] if not im['ok']]
                if shots: page.screenshot(path=str(Path(shots) / (Path(name).stem + '.png')), full_page=False)
                problems += [f'{name}: {p}' for p in found]
                page.close()
            browser.close()
    finally:
        server.shutdown()
    for name, info in facts.items():
        for link in info['links']:
            target, anchor = urldefrag(link)
            if not target.startswith(base):
                if urlparse(target).scheme in ('http', 'https'): external.add(target)
                continue
            rel = target[len(base):] or 'index.html'
            if rel.endswith('/'): rel += 'index.html'
            if not (html / rel).exists(): problems.append(f'{name}: broken link to {rel}')
            elif anchor and rel in facts and anchor not in facts[rel]['ids']:
                problems.append(f'{name}: link to {rel}#{anchor}, but that page has no such anchor')
    n_links = sum(len(i['links']) for i in facts.values())
    n_images = sum(len(i['images']) for i in facts.values())
    print(f'book check: {len(pages)} pages opened in Chromium, {n_links} links and {n_images} images checked; '
          f'{len(external)} external links not followed (no internet in CI)')
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--html', default='_build/html', type=Path, help='the built book')
    ap.add_argument('--chromium', default='/usr/bin/chromium', help="the browser (Debian's chromium package)")
    ap.add_argument('--screenshots', type=Path, help='save a screenshot of each page here')
    a = ap.parse_args(argv)
    if not Path(a.chromium).exists():
        print(f'{a.chromium} not found: install Debian\'s chromium (apt-get install -y chromium)', file=sys.stderr)
        return 1
    if a.screenshots: a.screenshots.mkdir(parents=True, exist_ok=True)
    problems = check(a.html, a.chromium, a.screenshots)
    for p in problems: print(p, file=sys.stderr)
    print(f'book check: {"FAILED, " + str(len(problems)) + " problems" if problems else "every page clean"}')
    return 1 if problems else 0


if __name__ == '__main__': sys.exit(main())

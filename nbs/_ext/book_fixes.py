"""Small Sphinx fixes for the movierec book (loaded through `sphinx.local_extensions` in _config.yml).

- MathJax from the book itself when `nbs/_assets/mathjax/tex-mml-chtml.js` exists (`.ci/mathjax.sh` puts it there
  from the npm registry), so math renders without internet; otherwise Sphinx's default CDN copy.
- Each script once per page: sphinx-thebe 0.3.1 registers its inline configuration twice under jupyter-book 1.0,
  and the second `const THEBE_JS_URL` throws in the browser.
- A light colour mode by default: the theme's script reports an empty mode as a console error.
- nbdev's `#|` directive lines (`#| export`, `#| slow`, ...) are dropped from the code cells shown: they are
  instructions for nbdev, already turned into cell tags by .ci/tag_hidden.py.
"""
from pathlib import Path

ASSETS = '_assets'                          # copied into the site's _static/ (not `_static` itself: jupyter-book
LOCAL_MATHJAX = 'mathjax/tex-mml-chtml.js'   # would add every .js file under it to every page)


def _local_mathjax(app, config):
    if (Path(app.confdir) / ASSETS / LOCAL_MATHJAX).is_file():
        config.html_static_path = [*config.html_static_path, ASSETS]
        config.mathjax_path = LOCAL_MATHJAX


def _script_key(js):
    return str(getattr(js, 'filename', js) or ''), str(getattr(js, 'attributes', {}).get('body', ''))  # None and '' alike


def _page_fixes(app, pagename, templatename, context, doctree):
    seen, scripts = set(), []
    for js in context.get('script_files', []):
        key = _script_key(js)
        if key not in seen: seen.add(key); scripts.append(js)
    context['script_files'] = scripts
    if not context.get('default_mode'): context['default_mode'] = 'light'


def _is_cell_input(node):
    parent = node.parent
    return parent is not None and 'cell_input' in parent.get('classes', [])


def _strip_directives(app, doctree):
    from docutils import nodes
    for block in list(doctree.findall(nodes.literal_block)):
        if not _is_cell_input(block): continue
        lines = block.astext().split('\n')
        k = 0
        while k < len(lines) and lines[k].lstrip().startswith('#|'): k += 1
        if k == 0: continue
        code = '\n'.join(lines[k:]).strip('\n')
        if code: block.children = [nodes.Text(code)]; block.rawsource = code
        else: block.parent.remove(block)


def setup(app):
    app.connect('doctree-read', _strip_directives)
    app.connect('config-inited', _local_mathjax)
    app.connect('html-page-context', _page_fixes, priority=900)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}

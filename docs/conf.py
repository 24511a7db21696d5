"""Sphinx configuration for python-quoine."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

from quoine._version import __version__  # noqa: E402

project = "python-quoine"
author = "python-quoine developers"
copyright = "2017-2024, python-quoine developers"  # noqa: A001
version = ".".join(__version__.split(".")[:2])
release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
]

# No network here: intersphinx is loaded but has nothing to fetch.
intersphinx_mapping = {}

napoleon_google_docstring = True
napoleon_numpy_docstring = False
# "Attributes:" sections become :ivar: fields rather than attribute entries, so an
# attribute that is also a documented property (QuoineRateLimitError.retry_after)
# is not described twice.
napoleon_use_ivar = True

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {}

templates_path = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
master_doc = "index"
language = "en"
pygments_style = "sphinx"

html_theme = "alabaster"
html_theme_options = {
    "description": "Quoine / Liquid REST API v2 client",
    "fixed_sidebar": True,
}
html_static_path = []
html_title = f"python-quoine {release}"


def _join_split_return_literal(app, what, name, obj, options, lines):
    """Work around one docstring until it is fixed in quoine/.

    ``ExecutionsMixin.get_my_executions`` has an inline literal in its
    ``Returns:`` section that spans two lines; napoleon then splits that section
    at the first colon inside the literal and docutils warns about an
    unterminated literal. Joining the two lines before napoleon runs renders it
    as intended. This does nothing once the docstring keeps the literal on one
    line.
    """
    if not name.endswith("get_my_executions"):
        return
    for i in range(len(lines) - 1):
        line = lines[i]
        if line.strip().startswith("``{") and line.count("``") == 1:
            lines[i] = line.rstrip() + " " + lines[i + 1].strip()
            del lines[i + 1]
            return


def setup(app):
    # Priority below napoleon's default (500) so this runs first.
    app.connect("autodoc-process-docstring", _join_split_return_literal, priority=400)

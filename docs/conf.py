"""Sphinx configuration for python-quoine."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
sys.path.insert(0, os.path.abspath("_ext"))

from quoine._version import __version__

project = "python-quoine"
author = "python-quoine developers"
copyright = "2017-2026, python-quoine developers"
version = ".".join(__version__.split(".")[:2])
release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
    "answer_types",
]

# No network here: intersphinx is loaded but has nothing to fetch.
intersphinx_mapping = {}

napoleon_google_docstring = True
napoleon_numpy_docstring = False

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

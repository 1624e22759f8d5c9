"""Sphinx configuration for the skaug documentation (``make -C doc html``).

The build runs offline and warning-free (``-W``): the gallery executes
``examples/plot_*.py`` and ``examples/quickstart.py``, the API pages are generated
from the numpydoc docstrings. Links to other projects' docs (intersphinx) need the
network, so they are opt-in: ``SKAUG_DOCS_INTERSPHINX=1 make -C doc html``.
"""

import os
import sys
from pathlib import Path

import skaug

DOC = Path(__file__).resolve().parent
sys.path.insert(0, str(DOC / "sphinxext"))

project = "skaug"
author = "skaug developers"
copyright = "skaug developers (BSD-3-Clause)"
release = skaug.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
if os.environ.get("SKAUG_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "pandas": ("https://pandas.pydata.org/docs", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "imblearn": ("https://imbalanced-learn.org/stable", None),
        "skorch": ("https://skorch.readthedocs.io/en/stable", None),
        "torch": ("https://docs.pytorch.org/docs/stable", None),
    }

# MathJax comes from its CDN. For pages viewed offline, point this at a local
# copy: SKAUG_DOCS_MATHJAX=file:///path/to/mathjax/es5/tex-chtml.js
if os.environ.get("SKAUG_DOCS_MATHJAX"):
    mathjax_path = os.environ["SKAUG_DOCS_MATHJAX"]

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
default_role = "literal"

# -- API pages ---------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
# The page's table of contents shows "fit()", not "UncertaintySampler.fit()".
toc_object_entries_show_parents = "hide"
# A skaug override without its own docstring is a skorch hook (get_loss,
# on_batch_end...): not part of skaug's API, and skorch's text would be wrong.
autodoc_inherit_docstrings = False
# The Attributes/Methods tables come from the docstrings themselves.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- gallery -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(DOC.parent / "examples"),
    "gallery_dirs": "auto_examples",
    # quickstart.py has no figure; it runs for its printed output
    "filename_pattern": r"/(plot_.*|quickstart)\.py$",
    "within_subsection_order": "skaug_gallery_order.ExampleOrder",
    "doc_module": ("skaug",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 5,
    "thumbnail_size": (460, 300),
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skaug {release}"
html_static_path = ["_static"]
html_css_files = ["skaug.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Pages without the left navigation: the home page, the one-page sections, and
# the examples (their code is 88 columns wide and needs the room).
html_sidebars = {
    "index": [],
    "getting_started": [],
    "benchmarks": [],
    "auto_examples/*": [],
}
html_context = {"default_mode": "light"}


# -- API pages: which members a class page lists ----------------------------
_KEPT_FOREIGN = ("skaug", "imblearn")  # imblearn: fit_resample and fit


def _skip_foreign_member(app, what, name, obj, skip, options):
    """Keep skaug's own methods (and imbalanced-learn's ``fit_resample``) on the
    class pages; drop those inherited from scikit-learn and skorch, whose
    docstrings point into their own docs (get_params, set_output, score...)
    and are documented there."""
    if what != "class" or skip:
        return None
    if name.startswith("set_") and name.endswith("_request"):
        return True  # scikit-learn's metadata-routing setters
    function = getattr(obj, "__func__", obj)
    module = getattr(function, "__module__", None) or ""
    if module and not module.startswith(_KEPT_FOREIGN):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_member)

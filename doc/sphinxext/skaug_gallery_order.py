"""Order of the gallery examples: from a first look to the specialised ones."""

ORDER = (
    "quickstart.py",
    "plot_uncertainty_sampler.py",
    "plot_drift_augmentor.py",
    "plot_generator_comparison.py",
    "plot_adaptive_synthesis.py",
)


class ExampleOrder:
    """Sort key for sphinx-gallery's ``within_subsection_order``: the files in
    ``ORDER`` first, in that order, then any other by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        rank = ORDER.index(filename) if filename in ORDER else len(ORDER)
        return (rank, filename)

    def __repr__(self):
        return f"<{type(self).__name__}>"

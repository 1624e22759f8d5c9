"""Per-table checkpoints of a long benchmark run.

A run of ``bench_generators_real.py`` takes about an hour on two cores; an
interrupted run should not lose the tables it finished. :class:`TableCheckpoint`
appends each finished table's results to a JSON-lines file, and a later run
with the same settings reads them back and skips those tables. The settings
(and skaug's version) are stored with every line; a file written with other
settings is refused, so results of different runs are never mixed silently;
the code is not part of the settings (a commit that touches only the docs
should not void a run), so delete the file after changing a generator.
Timings stay comparable across the restart because every ratio in these
benchmarks is measured against a reference fitted on the same table in the
same process.
"""

import json
from pathlib import Path

import numpy as np


def _plain(value):
    """What ``json`` cannot write by itself: numpy scalars and arrays."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to a checkpoint")


class TableCheckpoint:
    """Finished tables of a run, one JSON line each.

    Parameters
    ----------
    path : str, Path or None
        The JSON-lines file; ``None`` keeps nothing (every table runs).
    settings : dict
        What the results depend on (JSON-ready); a line written with other
        settings makes :meth:`load` raise.
    """

    def __init__(self, path, settings):
        self.path = None if path is None else Path(path)
        self.settings = json.loads(json.dumps(settings, default=_plain))

    def load(self):
        """The finished tables: ``{table name: payload}``."""
        if self.path is None or not self.path.exists():
            return {}
        done = {}
        for number, line in enumerate(self.path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry["settings"] != self.settings:
                raise ValueError(
                    f"{self.path} line {number} was written with other settings "
                    f"({entry['settings']}, this run: {self.settings}); pass another "
                    "checkpoint path or delete the file to start afresh."
                )
            done[entry["table"]] = entry["payload"]
        return done

    def save(self, table, payload):
        """Append one finished table."""
        if self.path is None:
            return
        entry = {"table": table, "settings": self.settings, "payload": payload}
        with self.path.open("a") as handle:
            handle.write(json.dumps(entry, default=_plain) + "\n")

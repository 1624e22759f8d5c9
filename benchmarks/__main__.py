"""Run skaug's benchmark suite: ``python -m benchmarks [--quick | --full]``.

Each part prints its table(s) and writes ``benchmarks/results/<part>.json``
(or ``--out DIR``) with its settings, results, wall time and the
environment. Parts (``--parts`` picks some, in this order):

* ``cost``: a default ``UncertaintySampler().fit_resample`` as a ratio to a
  ``HistGradientBoostingClassifier`` fit on the same rows, at 1k and 10k rows
  (``bench_sampler_cost.py``; about a minute);
* ``generators``: fit time, sampling speed and quality of skaug's generators
  and, when ``sdv`` is importable, SDV's (``bench_generator_quality.py``);
* ``ceiling``: TabularVAE's epoch throughput against a plain PyTorch loop
  (``bench_ceiling.py``);
* ``scaling``: ``UncertaintySampler.fit_resample`` and
  ``DriftAugmentor.augment`` time and peak memory from 1k rows up
  (``bench_scaling.py``);
* ``searches``: the cost of a cached 3 x 3 alpha/beta grid against one fit
  per fold (``bench_sampler.py``);
* ``downstream``: UncertaintySampler (default, unguided and tuned) against
  imbalanced-learn's over-samplers (``bench_sampler.py``);
* ``drift``: DriftAugmentor's drift reduction (``bench_drift.py``; ``--full``
  only unless named in ``--parts``);
* ``drift_real``: whether a test set augmented by DriftAugmentor can be
  trusted, on five real drift scenarios (``bench_drift_real.py``; the
  default generator, the copula on these tables, 3 seeds; ``--full`` adds
  the VAE; run only when named in ``--parts``);
* ``drift_noise``: how large a drift that is only sampling noise is, and how
  often the augmentor's significance test adds rows anyway, on random splits
  of real tables (``bench_drift_noise.py``; run only when named in
  ``--parts``);
* ``real``: the generators on real tables (``bench_generators_real.py``;
  needs the ``bench`` extra; about an hour on 2 cores, ``--full`` adds two
  large tables; ``--full`` only unless named in ``--parts``);
* ``real_sampler``: UncertaintySampler and its ablation against classical
  over-samplers on the real tables (``bench_sampler_real.py``; needs the
  ``bench`` extra; hours on 2 cores; run only when named in ``--parts``, by
  ``--quick`` and ``--full`` alike).

``--quick`` (default) is sized for about 10 minutes on 2 cores without SDV;
``--full`` takes hours. Torch runs on one thread in every part. ``--device
cuda`` runs the ceiling and scaling parts on a GPU (the others stay on the
CPU), e.g. ``python -m benchmarks --full --parts ceiling scaling --device
cuda`` for the GPU figures at 100k and 1M rows.
"""

import argparse
import importlib
import inspect
import json
import os
import platform
import sys
import time
from pathlib import Path

PARTS = {
    "generators": ("benchmarks.bench_generator_quality", "run"),
    "ceiling": ("benchmarks.bench_ceiling", "run"),
    "scaling": ("benchmarks.bench_scaling", "run"),
    "searches": ("benchmarks.bench_sampler", "run_searches"),
    "downstream": ("benchmarks.bench_sampler", "run_downstream"),
    "drift": ("benchmarks.bench_drift", "run"),
    "real": ("benchmarks.bench_generators_real", "run"),
    "cost": ("benchmarks.bench_sampler_cost", "run"),
    "real_sampler": ("benchmarks.bench_sampler_real", "run"),
    "drift_real": ("benchmarks.bench_drift_real", "run"),
    "drift_noise": ("benchmarks.bench_drift_noise", "run"),
}
QUICK_PARTS = ["cost", "generators", "ceiling", "scaling", "searches", "downstream"]
#: Parts that run only when named in ``--parts``, even with ``--full``.
NAMED_ONLY = ["real_sampler", "drift_real", "drift_noise"]
RESULTS = Path(__file__).resolve().parent / "results"


def environment():
    import numpy
    import sklearn
    import torch

    import skaug

    versions = {
        "python": platform.python_version(),
        "skaug": skaug.__version__,
        "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__,
        "torch": torch.__version__,
    }
    for name in ("pandas", "skorch", "imblearn", "sdv"):
        try:
            versions[name] = importlib.import_module(name).__version__
        except ImportError:
            versions[name] = None
    return {
        "versions": versions,
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": 1,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick", action="store_true", help="about 10 minutes on 2 cores (default)"
    )
    mode.add_argument("--full", action="store_true", help="every part at full size")
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=list(PARTS),
        metavar="PART",
        help=f"run only these parts ({', '.join(PARTS)})",
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help=f"JSON folder (default {RESULTS})"
    )
    parser.add_argument(
        "--device",
        default="cpu",
        help="torch device of the parts that take one (ceiling, scaling), e.g. cuda",
    )
    args = parser.parse_args(argv)
    full = args.full
    every = [part for part in PARTS if part not in NAMED_ONLY]
    parts = args.parts or (every if full else QUICK_PARTS)
    args.out.mkdir(parents=True, exist_ok=True)
    env = environment()
    started = time.perf_counter()
    timings = {}
    for part in parts:
        module_name, function = PARTS[part]
        print(f"\n===== {part} ({'full' if full else 'quick'}) =====", flush=True)
        part_started = time.perf_counter()
        run = getattr(importlib.import_module(module_name), function)
        kwargs = {"full": full}
        if "device" in inspect.signature(run).parameters:
            kwargs["device"] = args.device
        payload = run(**kwargs)
        seconds = time.perf_counter() - part_started
        timings[part] = seconds
        record = {
            "part": part,
            "mode": "full" if full else "quick",
            "seconds": seconds,
            "environment": env,
            **payload,
        }
        path = args.out / f"{part}.json"
        path.write_text(json.dumps(record, indent=2, default=float))
        print(f"----- {part}: {seconds:.0f} s, wrote {path}", flush=True)
    total = time.perf_counter() - started
    print(
        "\nwall time per part: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
    )
    print(f"total: {total:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How much DriftAugmentor lowers drift, by scenario, generator and region method.

The data are the ten ``mean ...`` columns of the breast-cancer data, split in
half (stratified on the label): the first half is the training data, the
drifted test sets are drawn from the second half.

Scenarios:

* ``covariate``: the test set keeps only the rows whose ``mean radius`` is
  above the 40th percentile (it lacks small tumours); drift on ``mean radius``;
* ``label``: every malignant tumour, a quarter of the benign ones; drift on the
  labels (``target="y"``: the regions are the classes whatever
  ``region_method`` says, so only ``histogram`` is run);
* ``multi``: rows with ``mean texture`` above its 30th percentile and ``mean
  smoothness`` below its 80th; drift on every feature (``target=None``: only
  ``density_ratio``, as ``histogram`` needs a 1-D target).

Generators: ``"gaussian_copula"``, ``"vae"``, ``"gan"``, ``"copulagan"`` and
``"sdv"`` when the SDV library is installed. Region methods:
``"density_ratio"`` and ``"histogram"`` where a 1-D target exists.

Baseline ``copy_train``: the same fitted regions and the same per-region
allocation, filled with training rows drawn at random (without replacement
while a region has enough) from the regions with a positive allocation. It
needs no generator; it shows what a generator adds over copying real rows.

Columns: ``drift_before``/``drift_after`` (KS, mean over the target's
features), ``reduction`` (absolute) and ``rel`` (relative), ``added`` rows
(the cap is ``0.5 * len(X_test)``), ``accept`` (share of generated candidates
that fell in a region that needed them; 1.0 when conditioned directly),
``det_auc`` and ``mean_ks`` of the generator on held-out training rows
(``generator_quality_``; AUC 0.5 is best), and ``fit_s``/``augment_s`` wall
times. Every augmentor uses ``random_state=0``.

``--quick`` (default): the nets train for fewer epochs (VAE 150, GAN and
CopulaGAN 100, instead of 300). ``--full``: default epochs. ``--json PATH``
writes the results. Torch runs on one thread so that timings are steady.
"""

import argparse
import importlib.util
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from skaug import DriftAugmentor
from skaug.models import CopulaGAN, TabularGAN, TabularVAE
from skaug.utils._random import SEED_MAX

FACTOR = 0.5


def load_split():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X[[c for c in X.columns if c.startswith("mean ")]]
    y = y.to_numpy()  # 0 = malignant, 1 = benign
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def scenarios(X_pool, y_pool):
    """name -> (target, test rows of the pool, region methods)."""
    radius = X_pool["mean radius"]
    covariate = (radius > radius.quantile(0.4)).to_numpy()

    rng = np.random.RandomState(0)
    benign = np.flatnonzero(y_pool == 1)
    label = np.zeros(len(y_pool), dtype=bool)
    label[y_pool == 0] = True
    label[rng.choice(benign, len(benign) // 4, replace=False)] = True

    texture, smooth = X_pool["mean texture"], X_pool["mean smoothness"]
    multi = (
        (texture > texture.quantile(0.3)) & (smooth < smooth.quantile(0.8))
    ).to_numpy()
    return {
        "covariate": ("mean radius", covariate, ["density_ratio", "histogram"]),
        "label": ("y", label, ["histogram"]),
        "multi": (None, multi, ["density_ratio"]),
    }


def generators(full):
    """name -> generator (a string, or an instance with fewer epochs)."""
    if full:
        gens = {"gaussian_copula": "gaussian_copula", "vae": "vae", "gan": "gan"}
        gens["copulagan"] = "copulagan"
    else:
        gens = {
            "gaussian_copula": "gaussian_copula",
            "vae": TabularVAE(max_epochs=150, random_state=0),
            "gan": TabularGAN(max_epochs=100, random_state=0),
            "copulagan": CopulaGAN(max_epochs=100, random_state=0),
        }
    if importlib.util.find_spec("sdv") is not None:
        gens["sdv"] = "sdv"
    return gens


def copy_train_baseline(augmentor, X_train, y_train, X_test, y_test):
    """Fill the augmentor's regions with copied training rows.

    Rebuilds the regions exactly as ``augment`` does (same seed, same inputs);
    this uses private helpers of ``DriftAugmentor`` because the regions object
    it fits is not exposed.
    """
    started = time.perf_counter()
    rng = check_random_state(augmentor.random_state)
    rng = np.random.RandomState(rng.randint(SEED_MAX))  # as in augment
    regions = augmentor._make_regions(rng)
    regions.fit(
        augmentor._region_inputs(X_train, y_train),
        augmentor._region_inputs(X_test, y_test),
    )
    max_samples = int(augmentor.augmentation_factor * len(X_test))
    allocation = regions.allocate(max_samples)
    train_region = np.asarray(
        regions.assign(augmentor._region_inputs(X_train, y_train))
    )
    draw = np.random.RandomState(0)
    chosen = []
    for r, quota in enumerate(allocation):
        if quota == 0:
            continue
        members = np.flatnonzero(train_region == r)
        if len(members) == 0:
            continue
        chosen.append(draw.choice(members, quota, replace=quota > len(members)))
    chosen = np.concatenate(chosen) if chosen else np.empty(0, dtype=int)
    X_out = pd.concat([X_test, X_train.iloc[chosen]], ignore_index=True)
    y_out = np.r_[y_test, y_train[chosen]]
    # the augmentor measures drift against its training data, X_train here
    before = augmentor._overall(augmentor._drift_table(X_test, y_test))
    after = augmentor._overall(augmentor._drift_table(X_out, y_out))
    return {
        "drift_before": before,
        "drift_after": after,
        "added": len(chosen),
        "accept": 1.0,
        "augment_s": time.perf_counter() - started,
    }


def main(full=False, json_path=None):
    torch.set_num_threads(1)
    started = time.perf_counter()
    X_train, X_pool, y_train, y_pool = load_split()
    gens = generators(full)
    print(
        f"{len(X_train)} training rows; generators: {', '.join(gens)}"
        + (
            ""
            if full
            else "\n--quick: fewer epochs (VAE 150, GAN and CopulaGAN 100; "
            "the defaults are 300)"
        )
        + ("" if "sdv" in gens else "\nsdv: not installed, skipped")
    )
    rows = []
    for scenario, (target, mask, methods) in scenarios(X_pool, y_pool).items():
        X_test, y_test = X_pool[mask], y_pool[mask]
        for gen_name, generator in gens.items():
            augmentor = DriftAugmentor(
                target=target,
                generator=generator,
                region_method=methods[0],
                augmentation_factor=FACTOR,
                random_state=0,
            )
            augmentor.fit(X_train, y_train)
            quality = augmentor.generator_quality_
            for method in methods:
                # region_method is read in augment only, so the fitted
                # generator is reused for the other method
                augmentor.set_params(region_method=method)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    report = augmentor.augment(X_test, y_test).report
                rows.append(
                    {
                        "scenario": scenario,
                        "n_test": len(X_test),
                        "method": method,
                        "generator": gen_name,
                        "drift_before": report.drift_before,
                        "drift_after": report.drift_after,
                        "added": report.samples_added,
                        "accept": report.acceptance_rate,
                        "det_auc": quality.get("detection_auc", np.nan),
                        "mean_ks": quality.get("mean_ks", np.nan),
                        "fit_s": augmentor.fit_seconds_,
                        "augment_s": report.augment_seconds,
                        "warnings": len(caught),
                    }
                )
                print(
                    f"  {scenario:9s} {method:13s} {gen_name:15s} "
                    f"{report.drift_before:.3f} -> {report.drift_after:.3f}, "
                    f"{report.samples_added} rows",
                    flush=True,
                )
        # the baseline depends on the regions only, not on the generator
        for method in methods:
            augmentor.set_params(region_method=method)
            base = copy_train_baseline(augmentor, X_train, y_train, X_test, y_test)
            rows.append(
                {
                    "scenario": scenario,
                    "n_test": len(X_test),
                    "method": method,
                    "generator": "copy_train",
                    **base,
                    "det_auc": np.nan,
                    "mean_ks": np.nan,
                    "fit_s": 0.0,
                    "warnings": 0,
                }
            )

    table = pd.DataFrame(rows)
    table["reduction"] = table["drift_before"] - table["drift_after"]
    table["rel"] = table["reduction"] / table["drift_before"]
    columns = [
        "drift_before",
        "drift_after",
        "reduction",
        "rel",
        "added",
        "accept",
        "det_auc",
        "mean_ks",
        "fit_s",
        "augment_s",
        "warnings",
    ]
    shown = table.set_index(["scenario", "n_test", "method", "generator"])[columns]
    total = time.perf_counter() - started
    print()
    print(
        f"DriftAugmentor, KS drift, augmentation_factor={FACTOR} "
        f"({'full' if full else 'quick'}); warnings = UserWarnings raised "
        "(e.g. fewer rows generated than allocated)"
    )
    with pd.option_context("display.width", 200):
        print(shown.to_string(float_format="%.3f"))
    print(f"\ntotal wall time: {total:.0f} s")

    payload = {
        "settings": {"full": full, "augmentation_factor": FACTOR},
        "results": json.loads(table.to_json(orient="records")),
        "total_seconds": total,
    }
    if json_path is not None:
        Path(json_path).write_text(json.dumps(payload, indent=2))
    return payload


def run(full=False):
    """``python -m benchmarks``'s drift part."""
    return main(full=full)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="fewer epochs for the nets (default)",
    )
    mode.add_argument("--full", action="store_true", help="default epochs")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args()
    main(full=args.full, json_path=args.json)

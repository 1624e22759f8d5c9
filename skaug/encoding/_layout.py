"""The layout of the encoded matrix: where each input column lives, and the
names of the encoded columns.

The generators read the layout from :class:`Span` records (CTGAN's
``SpanInfo`` idea): one activation and one loss per span, never a guess.
"""

from collections import namedtuple

Span = namedtuple("Span", ["feature", "kind", "start", "stop"])
Span.__doc__ = """Where one input column lives in the encoded matrix.

Attributes
----------
feature : str or int
    The input column it encodes: the column name for a DataFrame, the column
    position for an array.
kind : {"numeric", "categorical", "missing"}
    ``"numeric"``: one continuous column, decoded as is (identity activation,
    Gaussian loss). ``"categorical"``: a one-hot block, decoded by argmax
    (softmax activation, cross-entropy loss). ``"missing"``: the two-column
    one-hot block ``[observed, missing]`` that follows the numeric column of a
    feature that had missing values at fit; decoded by argmax.
start, stop : int
    The slice ``start:stop`` of the encoded columns.
"""


def _categorical_suffix(col, i):
    if i == col.missing_position:
        return "missing"
    if i == col.other_position:
        return "other"
    return str(col.decode_values[i])


def assign_layout(columns):
    """Give each fitted column its encoded positions, in input order.

    Sets ``start`` and ``stop`` of every column.

    Returns
    -------
    spans : list of Span
    suffixes : list of (int, str or None)
        Per encoded column, the position of its input column and the suffix
        of its name (``None``: the input name as is).
    categories : dict
        The values that each categorical block decodes to, by feature.
    width : int
        Number of encoded columns.
    """
    spans, suffixes, categories = [], [], {}
    start = 0
    for col in columns:
        col.start = start
        if col.kind == "numeric":
            spans.append(Span(col.feature, "numeric", start, start + 1))
            suffixes.append((col.position, None))
            start += 1
            if col.has_missing:
                spans.append(Span(col.feature, "missing", start, start + 2))
                suffixes.append((col.position, "observed"))
                suffixes.append((col.position, "missing"))
                start += 2
        else:
            width = len(col.decode_values)
            spans.append(Span(col.feature, "categorical", start, start + width))
            suffixes.extend(
                (col.position, _categorical_suffix(col, i)) for i in range(width)
            )
            categories[col.feature] = col.decode_values.tolist()
            start += width
        col.stop = start
    return spans, suffixes, categories, start


def _unique_names(names):
    """Make feature names unique by suffixing repeats with ``_1``, ``_2``..."""
    taken = set(names)
    if len(taken) == len(names):
        return names
    seen, out = set(), []
    for name in names:
        new, k = name, 0
        while new in seen or (new != name and new in taken):
            k += 1
            new = f"{name}_{k}"
        seen.add(new)
        out.append(new)
    return out


def encoded_names(input_names, suffixes):
    """Unique names of the encoded columns: ``name`` or ``name__suffix``.

    Examples
    --------
    >>> from skaug.encoding._layout import encoded_names
    >>> encoded_names(["a", "b"], [(0, None), (1, "x"), (1, "x")])
    ['a', 'b__x', 'b__x_1']
    """
    names = [
        input_names[position]
        if suffix is None
        else f"{input_names[position]}__{suffix}"
        for position, suffix in suffixes
    ]
    return _unique_names(names)

"""Encode mixed tabular data into a dense float matrix, and decode it back.

:class:`TabularEncoder` is the one place where skaug turns a table (numeric,
integer, boolean, categorical and string columns, with missing values) into the
float matrix that the generators and the uncertainty models train on, and turns
generated rows back into a table with the original columns, order and dtypes.
Its :attr:`~TabularEncoder.spans_` publish the layout of the encoded columns, so
that a generator applies the right activation and loss to each block without
guessing.
"""

from skaug.encoding._encoder import TabularEncoder
from skaug.encoding._layout import Span

__all__ = ["Span", "TabularEncoder"]

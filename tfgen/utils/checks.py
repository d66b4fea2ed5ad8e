"""Argument checks shared by layers and models, with errors that name the argument."""

import numpy as np


def at_least_one(owner, **counts):
  """Raises a ValueError naming `owner` and the argument unless every count is an integer >= 1."""
  for name, value in counts.items():
    if int(value) < 1:
      raise ValueError(f"{owner} needs {name} >= 1, got {value}")


def rate(name, value):
  """`value` as a float in [0, 1) (a dropout rate), or a ValueError naming `name`."""
  value = float(value)
  if not 0.0 <= value < 1.0:
    raise ValueError(f"{name} must be in [0, 1), got {value}")
  return value


def numeric(owner, x):
  """Raises a ValueError naming `owner` unless `x` holds numbers (not strings or objects)."""
  dtype = getattr(x, "dtype", None)
  if dtype is None:
    return
  kind = getattr(dtype, "kind", None)  # NumPy's
  is_number = (kind in "biuf") if kind is not None else (dtype.is_floating or dtype.is_integer
                                                         or dtype.is_bool)
  if not is_number:
    raise ValueError(f"{owner} expects numbers, got values of dtype {dtype}")


def _finite_number(value):
  """True for a finite int or float (NumPy's too), False for booleans, strings, NaN and inf."""
  return (not isinstance(value, bool)
          and isinstance(value, (int, float, np.integer, np.floating)) and bool(np.isfinite(value)))


def integer(owner, name, value, minimum, maximum):
  """`value` as an int in [minimum, maximum], or a ValueError naming `owner` and `name`.

  Integral floats (3.0) pass; booleans, fractions, NaN, inf and strings do not.
  """
  if not _finite_number(value) or int(value) != value:
    raise ValueError(f"{owner} needs an integer {name}, got {value!r}")
  if not minimum <= int(value) <= maximum:
    raise ValueError(f"{owner} needs {name} in [{minimum}, {maximum}], got {int(value)}")
  return int(value)


def positive(owner, name, value, maximum=1e6):
  """`value` as a float in (0, maximum], or a ValueError naming `owner` and `name`.

  The default maximum suits scales: one near float32's largest overflows the densities.
  """
  if not _finite_number(value) or not 0 < value <= maximum:
    raise ValueError(f"{owner} needs {name} in (0, {maximum:g}], got {value!r}")
  return float(value)

"""Orderings of an autoregressive model's positions, as degrees 1..N."""

import numpy as np

ORDERINGS = ("natural", "reverse", "random")


def position_degrees(ordering, num_positions, rng):
  """Degree (place in the generation order, 1..N) of each grid position.

  Args:
    ordering: "natural" (row-major), "reverse", or "random" (a permutation from `rng`).
    num_positions: N.
    rng: numpy Generator, used for "random".
  """
  if ordering == "natural":
    return np.arange(1, num_positions + 1)
  if ordering == "reverse":
    return np.arange(num_positions, 0, -1)
  if ordering == "random":
    return rng.permutation(num_positions) + 1
  raise ValueError(f"ordering must be one of {', '.join(ORDERINGS)}, got {ordering!r}")

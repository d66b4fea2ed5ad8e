"""Argument checks shared by layers and models, with errors that name the argument."""


def rate(name, value):
  """`value` as a float in [0, 1) (a dropout rate), or a ValueError naming `name`."""
  value = float(value)
  if not 0.0 <= value < 1.0:
    raise ValueError(f"{name} must be in [0, 1), got {value}")
  return value

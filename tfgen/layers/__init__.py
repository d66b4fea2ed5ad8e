"""Layers shared by tfgen's models."""

from tfgen.layers.masked_dense import MaskedDense

__all__ = ["MaskedDense"]

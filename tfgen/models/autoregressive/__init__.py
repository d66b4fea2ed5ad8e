"""Autoregressive models: p(x) = prod_i p(x_i | x_<i)."""

from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel
from tfgen.models.autoregressive.made import MADE

__all__ = ["AutoregressiveModel", "MADE"]

"""Datasets: `load(name, split, ...)` -> (tf.data.Dataset, DatasetInfo)."""

from tfgen.data.data_error import DataError
from tfgen.data.dataset_info import DatasetInfo
from tfgen.data.loader import load, load_text, names

__all__ = ["DataError", "DatasetInfo", "load", "load_text", "names"]

"""Metadata that comes with every dataset `tfgen.data.load` returns."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
  """What a model needs to know about its data.

  Attributes:
    name: the dataset name given to `load`.
    split: "train", "valid" or "test".
    shape: shape of one example, e.g. (8, 8, 1) for digits or (64,) for text windows.
    num_values: values per element (2 for binary pixels, 17 for digits, 256 for
      8-bit pixels, the vocabulary size for text); None for continuous data.
    num_examples: examples in this split.
    vocabulary: for text, the characters in id order; else None.
    num_classes: number of labels when the data has them, else None.
    class_names: names of the labels where the data names them, else None.
    source: where the data came from (a path, "tfds:NAME" or "scikit-learn").
  """
  name: str
  split: str
  shape: tuple
  num_values: int | None
  num_examples: int
  vocabulary: str | None = None
  num_classes: int | None = None
  class_names: tuple | None = None
  source: str = ""

  def to_dict(self):
    return dataclasses.asdict(self)

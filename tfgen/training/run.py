"""A run config's data: its splits as datasets, in the form `fit` takes.

The run's folder is `tfgen.training.workdir.Workdir`.
"""

from tfgen import data


def load_split(config, split, batch_size=None, shuffle=None, seed=None):
  """The config's dataset split: (tf.data.Dataset, DatasetInfo).

  With data.with_labels each element is a pair (x, labels), the inputs of a
  conditional model; `as_fit_inputs` wraps it for `fit`. `seed` seeds the
  shuffle (None = config.seed).
  """
  return data.load(config.data.name, split, batch_size=batch_size or config.data.batch_size,
                   path=config.data.path or None, data_dir=config.data.data_dir or None,
                   shuffle=shuffle, seed=config.seed if seed is None else int(seed),
                   with_labels=bool(config.data.with_labels),
                   sequence_length=config.data.sequence_length)


def split_batches(config, split, batch_size):
  """The split's batches in order (no shuffle), each as (x, labels or None)."""
  dataset, _ = load_split(config, split, batch_size=batch_size, shuffle=False)
  for batch in dataset:
    yield batch if config.data.with_labels else (batch, None)


def as_fit_inputs(dataset, config):
  """A labeled dataset's (x, labels) pairs as one input tuple, so fit does not take labels as y."""
  if not config.data.with_labels:
    return dataset
  return dataset.map(lambda x, labels: ((x, labels),))


def check_conditioning(config, data_info, model):
  """A conditional model needs labeled data with as many classes as it has conditions."""
  num_conditions = model.num_conditions
  with_labels = bool(config.data.with_labels)
  if num_conditions and not with_labels:
    raise ValueError(f"model.num_conditions={num_conditions} needs labeled data: set "
                     "data.with_labels=True")
  if with_labels and num_conditions != data_info.num_classes:
    raise ValueError(f"{data_info.name} has {data_info.num_classes} classes but "
                     f"model.num_conditions={num_conditions}; set them equal")

"""`load(name, split)`: every tfgen dataset as a batched, prefetched tf.data pipeline."""

import numpy as np
import tensorflow as tf

from tfgen.data import audio_sources
from tfgen.data import image_sources
from tfgen.data import text_sources
from tfgen.data.data_error import DataError
from tfgen.data.dataset_info import DatasetInfo

IMAGE_DATASETS = {
    # name: (values per pixel, loader(split, path, data_dir))
    "digits": (17, lambda split, path, data_dir: image_sources.digits(split)),
    "binarized_digits": (2, lambda split, path, data_dir: image_sources.digits(split, binarize=True)),
    "binarized_mnist": (2, image_sources.binarized_mnist),
    "mnist": (256, image_sources.mnist),
    "photo_patches": (256, lambda split, path, data_dir: image_sources.photo_patches(split)),
}
TEXT_DATASETS = ("names", "tiny_shakespeare", "text:<path>", "lines:<path>")
AUDIO_DATASETS = ("tones", "wav:<folder>")


def names():
  """The dataset names `load` knows."""
  return sorted(IMAGE_DATASETS) + list(TEXT_DATASETS) + list(AUDIO_DATASETS)


def load_text(name, path=None, data_dir=None):
  """A text dataset's (train_text, valid_text, source), before it is cut into windows.

  Args:
    name: "names", "tiny_shakespeare", "text:PATH" (a file, first 90% / last
      10%) or "lines:PATH" (a file of one item a line, lines shuffled first).
    path, data_dir: as for `load`.
  """
  for prefix, read in (("text:", text_sources.text_file), ("lines:", text_sources.lines_file)):
    if name.startswith(prefix):
      file_path = name[len(prefix):] or path
      if not file_path:
        raise DataError(f"{prefix} needs a file, as {prefix}PATH or with --config.data.path=PATH")
      return read(file_path)
  if name == "names":
    return text_sources.names(path or None)
  if name == "tiny_shakespeare":
    return text_sources.tiny_shakespeare(path, data_dir)
  raise DataError(f"unknown dataset {name!r}; known: {', '.join(names())}")


def _finish(dataset, split, batch_size, shuffle, seed, drop_remainder, num_examples):
  if shuffle is None:
    shuffle = split == "train"
  if shuffle:
    dataset = dataset.shuffle(min(num_examples, 60000), seed=seed, reshuffle_each_iteration=True)
  return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def load(name, split="train", batch_size=64, path=None, data_dir=None, shuffle=None, seed=0,
         with_labels=False, sequence_length=64, drop_remainder=False):
  """Loads a dataset split as (tf.data.Dataset, DatasetInfo).

  Images come as float32 [batch, H, W, C] holding integer values 0..num_values-1;
  text as int32 [batch, sequence_length] character ids (non-overlapping windows).

  Args:
    name: "digits" (embedded, 8x8, 17 levels), "binarized_digits", "binarized_mnist"
      (fixed 50k/10k/10k), "mnist", "names" (embedded census names),
      "photo_patches" (embedded 8x8 RGB patches of two photos, 256 levels),
      "tiny_shakespeare", "text:<path>" (character windows), "lines:<path>" (a
      file of one item a line, shuffled, in character windows), "tones" (generated
      8 kHz sine tones) or "wav:<folder>" (every WAV file below it, mono, 8 kHz),
      both as 8-bit mu-law windows.
    split: "train", "valid" or "test" (text: "test" is the validation text).
    batch_size: examples per batch.
    path: a local file or folder to read instead of TFDS (see each source).
    data_dir: TFDS data folder.
    shuffle: shuffle examples (default: only the train split).
    seed: shuffle seed.
    with_labels: yield (x, label) pairs where the data has labels.
    sequence_length: text window length.
    drop_remainder: drop a last partial batch.

  Raises:
    DataError: one line naming the file or dataset and the problem.

  Example:
    dataset, info = tfgen.data.load("binarized_digits", "train", batch_size=32)
    info.shape, info.num_values   # (8, 8, 1), 2
  """
  if int(batch_size) < 1:
    raise DataError(f"batch_size must be >= 1, got {batch_size}")
  path = path or None
  if name in IMAGE_DATASETS:
    num_values, source_fn = IMAGE_DATASETS[name]
    images, labels, source = source_fn(split, path, data_dir)
    if with_labels and labels is None:
      raise DataError(f"{name} has no labels for the {split} split")
    info = DatasetInfo(name=name, split=split, shape=tuple(images.shape[1:]), num_values=num_values,
                       num_examples=len(images), num_classes=10 if labels is not None else None,
                       source=source)
    tensors = (images, labels) if with_labels else images
    dataset = tf.data.Dataset.from_tensor_slices(tensors)
    to_float = lambda x: tf.cast(x, tf.float32)
    dataset = dataset.map((lambda x, y: (to_float(x), y)) if with_labels else to_float)
    return _finish(dataset, split, int(batch_size), shuffle, seed, drop_remainder, len(images)), info
  if split not in image_sources.SPLITS:
    raise DataError(f"unknown split {split!r}; use one of {', '.join(image_sources.SPLITS)}")
  if with_labels and (name == "tones" or name.startswith("wav:")):
    class_names, streams, source = (
        audio_sources.labeled_tones() if name == "tones" else
        audio_sources.labeled_wav_folder(name[len("wav:"):] or path))
    return _labeled_windows([stream[0 if split == "train" else 1] for stream in streams],
                            class_names, name, split, sequence_length, source, batch_size,
                            shuffle, seed, drop_remainder)
  if with_labels:
    raise DataError(f"{name} is a sequence dataset and has no labels")
  if name == "tones" or name.startswith("wav:"):
    train_ids, valid_ids, source = (audio_sources.tones() if name == "tones" else
                                    audio_sources.wav_folder(name[len("wav:"):] or path))
    ids = train_ids if split == "train" else valid_ids
    return _windows(ids, name, split, sequence_length, audio_sources.NUM_LEVELS, None, source,
                    batch_size, shuffle, seed, drop_remainder)
  train_text, valid_text, source = load_text(name, path, data_dir)
  vocabulary = "".join(sorted(set(train_text) | set(valid_text)))
  text = train_text if split == "train" else valid_text
  lookup = {char: index for index, char in enumerate(vocabulary)}
  ids = np.fromiter((lookup[char] for char in text), dtype=np.int32, count=len(text))
  return _windows(ids, name, split, sequence_length, len(vocabulary), vocabulary, source,
                  batch_size, shuffle, seed, drop_remainder)


def _cut_windows(ids, sequence_length, where, unit):
  """ids -> [num_windows, sequence_length], non-overlapping; fewer ids than a window raises."""
  num_windows = len(ids) // sequence_length
  if num_windows < 1:
    raise DataError(f"{where} {len(ids)} {unit}, fewer than one window of {sequence_length}; "
                    "lower sequence_length")
  return ids[:num_windows * sequence_length].reshape(num_windows, sequence_length)


def _labeled_windows(streams, class_names, name, split, sequence_length, source, batch_size,
                     shuffle, seed, drop_remainder):
  """Windows of each class's stream, as (window, label) pairs."""
  sequence_length = int(sequence_length)
  windows, labels = [], []
  for label, (class_name, ids) in enumerate(zip(class_names, streams)):
    windows.append(_cut_windows(ids, sequence_length, f"{name} {split}: class {class_name!r} has",
                                "samples"))
    labels.append(np.full(len(windows[-1]), label, np.int32))
  windows, labels = np.concatenate(windows), np.concatenate(labels)
  info = DatasetInfo(name=name, split=split, shape=(sequence_length,),
                     num_values=audio_sources.NUM_LEVELS, num_examples=len(windows),
                     num_classes=len(class_names), class_names=tuple(class_names), source=source)
  dataset = tf.data.Dataset.from_tensor_slices((windows, labels))
  return _finish(dataset, split, int(batch_size), shuffle, seed, drop_remainder, len(windows)), info


def _windows(ids, name, split, sequence_length, num_values, vocabulary, source, batch_size,
             shuffle, seed, drop_remainder):
  """Non-overlapping windows of `ids` as a batched dataset, with their DatasetInfo."""
  sequence_length = int(sequence_length)
  windows = _cut_windows(ids, sequence_length, f"{name} {split}:",
                         "characters" if vocabulary else "samples")
  num_windows = len(windows)
  info = DatasetInfo(name=name, split=split, shape=(sequence_length,), num_values=num_values,
                     num_examples=num_windows, vocabulary=vocabulary, source=source)
  dataset = tf.data.Dataset.from_tensor_slices(windows)
  return _finish(dataset, split, int(batch_size), shuffle, seed, drop_remainder, num_windows), info

"""Trains a CycleGAN between two image domains through tfgen's trainer (resumable, one workdir)."""

import os

import keras
import numpy as np
import tensorflow as tf

from apps.style_transfer import configs
from apps.style_transfer import image_domains
from tfgen import data
from tfgen.configs import common
from tfgen.data import DataError
from tfgen.training import distribution
from tfgen.training import train_lib
from tfgen.utils import images as images_lib

NUM_VALUES = 256


class TranslationStrips(keras.callbacks.Callback):
  """After each epoch: rows of a -> G(a) -> F(G(a)) and b -> F(b) -> G(F(b)) for fixed images.

  Args:
    path_for_epoch: epoch (1-based) -> PNG path.
    images_a, images_b: a few validation images of each domain, uint8.
  """

  def __init__(self, path_for_epoch, images_a, images_b):
    super().__init__()
    self.path_for_epoch = path_for_epoch
    self.images_a = np.asarray(images_a, np.float32)
    self.images_b = np.asarray(images_b, np.float32)

  def on_epoch_end(self, epoch, logs=None):
    write_strips(self.model, self.images_a, self.images_b, self.path_for_epoch(epoch + 1))


def write_strips(model, images_a, images_b, path):
  """Writes a grid of A -> B -> A and B -> A -> B strips (three columns) to `path`."""
  rows = []
  for images, there, back in ((images_a, "a2b", "b2a"), (images_b, "b2a", "a2b")):
    translated = model.translate(images, there).numpy()
    returned = model.translate(translated, back).numpy()
    rows.append(np.stack([images, translated, returned], axis=1).reshape((-1,) + images.shape[1:]))
  images_lib.save_grid(path, np.round(np.concatenate(rows)), NUM_VALUES, num_columns=3)
  return path


def _split(images, num_valid, seed):
  """(train, valid) by a fixed permutation; a domain of fewer than 2 * num_valid images
  validates on its training images."""
  order = np.random.default_rng(seed).permutation(len(images))
  if len(images) < 2 * num_valid:
    return images, images[order[:max(1, min(num_valid, len(images)))]]
  return images[order[num_valid:]], images[order[:num_valid]]


def load_domains(config, domain_a, domain_b):
  """((train_a, valid_a), (train_b, valid_b)), uint8 squares of config.data.load_size."""
  load_size = int(config.data.load_size)
  if int(config.data.crop_size) > load_size:
    raise ValueError(f"data.crop_size ({config.data.crop_size}) must be at most data.load_size "
                     f"({load_size})")
  images_a = image_domains.load_domain(domain_a, "A", "train", load_size)
  images_b = image_domains.load_domain(domain_b, "B", "train", load_size)
  if images_a.shape[-1] != images_b.shape[-1]:
    raise DataError(f"domain A has {images_a.shape[-1]} channels and domain B "
                    f"{images_b.shape[-1]}; give two colour domains or two grey ones")
  num_valid = int(config.data.num_valid)
  return _split(images_a, num_valid, config.seed), _split(images_b, num_valid, config.seed + 1)


def indexed_stream(images, crop_size, flip, seed, start):
  """Training element k >= start of a domain: a random crop (and flip) of one of its images.

  Element k takes image permutation_p[k mod N] with p = k // N (a fresh
  permutation, seeded by (seed, p), on every pass over the N images) and crops
  it with the seed (seed, k). Everything is a function of k: a run resumed at
  epoch e starts at k = e * elements per epoch and sees exactly what an
  unbroken run would have seen.
  """
  images = tf.constant(images)
  count = int(images.shape[0])
  channels = int(images.shape[-1])

  def element(index):
    position = tf.cast(index % count, tf.int32)
    order = tf.random.experimental.stateless_shuffle(
        tf.range(count), seed=tf.stack([seed, tf.cast(index // count, tf.int32)]))
    image = tf.gather(images, order[position])
    crop_seed = tf.stack([seed + 1, tf.cast(index, tf.int32)])
    image = tf.image.stateless_random_crop(image, [crop_size, crop_size, channels], crop_seed)
    if flip:
      image = tf.image.stateless_random_flip_left_right(image, crop_seed + 1)
    return tf.cast(image, tf.float32)

  # counter, not range(start, 2**62): fit takes steps_per_epoch only from an infinite stream.
  return tf.data.Dataset.counter(int(start)).map(element)


def unpaired_datasets(config, domains):
  """The `datasets` function `tfgen.training.train_lib.train` takes, for two domains."""
  (train_a, valid_a), (train_b, valid_b) = domains
  crop_size, batch_size = int(config.data.crop_size), int(config.data.batch_size)
  channels = train_a.shape[-1]
  info = data.DatasetInfo(name=f"unpaired:{config.data.domain_a}|{config.data.domain_b}",
                          split="train", shape=(crop_size, crop_size, channels),
                          num_values=NUM_VALUES, num_examples=max(len(train_a), len(train_b)))
  steps = int(config.training.steps_per_epoch) or max(1, info.num_examples // batch_size)

  def centre(images):
    offset = (images.shape[1] - crop_size) // 2
    return images[:, offset:offset + crop_size, offset:offset + crop_size].astype(np.float32)

  def datasets(start):
    # A run resumed mid-epoch repeats that epoch from its start, as Keras does.
    first = start.epoch * steps * batch_size
    flip = bool(config.data.flip)
    train = tf.data.Dataset.zip((
        indexed_stream(train_a, crop_size, flip, 2 * config.seed, first),
        indexed_stream(train_b, crop_size, flip, 2 * config.seed + 1000, first)))
    train = train.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    count = min(len(valid_a), len(valid_b))
    valid = tf.data.Dataset.from_tensor_slices((centre(valid_a[:count]), centre(valid_b[:count])))
    return train, valid.batch(batch_size), info, steps

  return datasets


def train(domain_a, domain_b, workdir, preset="demo", overrides=None, verbose="auto",
          overwrite=False):
  """Trains (or resumes) a CycleGAN from domain A to domain B; returns the run's summary.

  Args:
    domain_a, domain_b: folders, tfds:cycle_gan/NAME, or embedded:NAME
      (`image_domains`).
    workdir: run folder; WORKDIR/samples/epoch_NNN.png shows translation strips
      after every epoch, and WORKDIR/translations.png after the last.
    preset: a key of `configs.PRESETS`.
    overrides: {config field: value}, e.g. {"training.num_epochs": 2}.
    verbose: Keras verbosity ("auto": a progress bar on a terminal).
    overwrite: delete the run already in `workdir` and start afresh (a folder that
      is not a workdir is refused).
  """
  with distribution.process_workdir(workdir, distribution.requested(overrides),
                                    overwrite) as run_dir:
    return _train(domain_a, domain_b, run_dir, preset, overrides, verbose, overwrite)


def _train(domain_a, domain_b, run_dir, preset, overrides, verbose, overwrite):
  """`train` writing to `run_dir`: the workdir, or a non-chief worker's copy of it."""
  config = configs.get_config(preset)
  config.data.domain_a = domain_a  # The two domains, as given.
  config.data.domain_b = domain_b
  common.apply_overrides(config, overrides)
  domains = load_domains(config, domain_a, domain_b)
  num_shown = min(4, len(domains[0][1]), len(domains[1][1]))
  crop = int(config.data.crop_size)
  offset = (int(config.data.load_size) - crop) // 2
  shown = [valid[:num_shown, offset:offset + crop, offset:offset + crop]
           for _, valid in domains]
  run_dir.create(overwrite=overwrite)
  run_dir.create_samples_dir()
  strips = TranslationStrips(run_dir.epoch_samples_path, *shown)
  summary = train_lib.train(config, run_dir, verbose=verbose, extra_callbacks=[strips],
                            datasets=unpaired_datasets(config, domains))
  model, _, _ = run_dir.load_model()
  summary["translations"] = write_strips(model, *[np.asarray(images, np.float32) for images in shown],
                                         run_dir.picture_path("translations"))
  return summary


def default_workdir(domain_a, domain_b):
  """runs/style_<a>_<b>, from the domains' last path parts."""
  def short(spec):
    return os.path.basename(os.path.normpath(spec.split(":")[-1])) or "domain"
  return os.path.join("runs", f"style_{short(domain_a)}_{short(domain_b)}")

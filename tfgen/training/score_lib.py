"""Likelihood-based anomaly scores (PixelDefend): per-image NLL, bits/dim, AUROC against another set.

An image the model finds unlikely (a high -log p(x)) is one it did not learn
from: Song et al. detect adversarial and out-of-distribution images this way
with a PixelCNN. Any tfgen model with a likelihood scores images here; a
bound (a VAE's IWAE estimate, a flow's dequantization bound) stands in for
log p(x) where the model has no exact one.
"""

import csv
import math
import os

import numpy as np
import tensorflow as tf
from PIL import Image
from sklearn import metrics

from tfgen.data import DataError
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel
from tfgen.models.latent import importance_weighted
from tfgen.training import run
from tfgen.training.workdir import Workdir
from tfgen.utils import folder_files
from tfgen.utils.images import IMAGE_ERRORS
from tfgen.utils import plots
from tfgen.utils.atomic import atomic_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def read_images(path, event_shape, num_values):
  """The images at `path` as the model takes them: float32 [N, *event_shape] in 0..num_values-1.

  Args:
    path: a `.npy` array, a `.npz` holding one array (or `FILE.npz:KEY` for one
      of several), or a folder of 8-bit images (PNG, JPEG, ...) whose grey or
      RGB levels 0..255 are mapped to the model's num_values levels. Arrays
      hold the model's levels already, as [N, *event_shape] or flat [N, D].
    event_shape: (height, width, channels) of the model's examples.
    num_values: levels per value (2 for binary images).
  Raises:
    DataError naming the file and the problem.
  """
  if len(event_shape) != 3:
    raise DataError(f"this run models examples of shape {tuple(event_shape)}, not images")
  if os.path.isdir(path):
    images = _read_folder(path, event_shape, num_values)
  else:
    images = _read_array(path)
  return _check_images(images, path, event_shape, num_values)


def _read_array(path):
  file, _, key = path.partition(":") if path.count(":") == 1 and ".npz:" in path else (path, "", "")
  if not os.path.isfile(file):
    raise DataError(f"{file}: no such file or folder")
  if not file.endswith((".npy", ".npz")):
    raise DataError(f"{file}: expected a .npy or .npz array, or a folder of images")
  try:
    loaded = np.load(file, allow_pickle=False)
  except (ValueError, OSError) as error:
    raise DataError(f"{file}: not a readable NumPy file ({error})") from None
  if isinstance(loaded, np.ndarray):
    return loaded
  with loaded:
    names = list(loaded.keys())
    if key:
      if key not in names:
        raise DataError(f"{file}: no array {key!r}; it holds {', '.join(names)}")
      return loaded[key]
    if len(names) != 1:
      raise DataError(f"{file} holds {len(names)} arrays ({', '.join(names)}): name one as "
                      f"{file}:KEY")
    return loaded[names[0]]


def _read_folder(path, event_shape, num_values):
  files, num_skipped = folder_files.files_below(path, IMAGE_SUFFIXES, recursive=False)
  if not files:
    raise DataError(f"{path}: no images ({', '.join(IMAGE_SUFFIXES)}) in this folder"
                    f"{folder_files.skipped_note(num_skipped)}")
  height, width, channels = event_shape
  mode = {1: "L", 3: "RGB"}.get(channels)
  if mode is None:
    raise DataError(f"a folder of images gives 1 or 3 channels; this model takes {channels}")
  images = []
  for file in files:
    try:
      with Image.open(file) as picture:
        pixels = np.asarray(picture.convert(mode), np.float32)
    except IMAGE_ERRORS as error:
      raise DataError(f"{file}: not a readable image ({error})") from None
    if pixels.shape[:2] != (height, width):
      raise DataError(f"{file} is {pixels.shape[1]}x{pixels.shape[0]} pixels; the model takes "
                      f"{width}x{height}")
    images.append(np.round(pixels.reshape(height, width, channels) * (num_values - 1) / 255.0))
  return np.stack(images)


def _check_images(images, path, event_shape, num_values):
  images = np.asarray(images)
  if not len(images):
    raise DataError(f"{path}: no images in it")
  size = int(np.prod(event_shape))
  if images.ndim < 2 or int(np.prod(images.shape[1:])) != size or (
      images.ndim > 2 and images.shape[1:] not in (tuple(event_shape), tuple(event_shape[:-1]))):
    raise DataError(f"{path}: expected images of shape [N, {', '.join(map(str, event_shape))}] "
                    f"(or [N, {size}]), got shape {images.shape}")
  if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
    raise DataError(f"{path}: expected numbers, got dtype {images.dtype}")
  images = images.astype(np.float32).reshape((-1,) + tuple(event_shape))
  if images.size and (not np.all(np.isfinite(images)) or np.any(images != np.round(images))
                      or images.min() < 0 or images.max() > num_values - 1):
    raise DataError(f"{path}: values must be integers in [0, {num_values - 1}] (the run's data "
                    f"has {num_values} levels), got values in [{np.nanmin(images):g}, "
                    f"{np.nanmax(images):g}]")
  return images


def log_prob(model, x, batch_size=256, seed=0):
  """log p(x) in nats per image (or the model's bound): [N].

  A conditional model scores log p(x) = log mean_c p(x | c) over its classes (uniform p(c));
  a VAE its IWAE estimate with 1000 importance samples.
  """
  scores = []
  for index, start in enumerate(range(0, len(x), batch_size)):
    batch = tf.constant(x[start:start + batch_size])
    batch_seed = tf.constant([seed, index])
    if model.likelihood_kind in ("elbo", "iwae_k"):
      scores.append(_latent_log_prob(model, batch, (seed * 1_000_003 + index) % 2**31))
    elif model.num_conditions:
      per_class = [model.evaluation_log_prob(batch, tf.fill([len(batch)], label), seed=batch_seed)
                   for label in range(model.num_conditions)]
      scores.append(tf.reduce_logsumexp(tf.stack(per_class), axis=0)
                    - math.log(model.num_conditions))
    else:
      scores.append(model.evaluation_log_prob(batch, None, seed=batch_seed))
  return np.concatenate([score.numpy() for score in scores]).astype(np.float64)


def _latent_log_prob(model, batch, seed, num_importance_samples=1000):
  """A VAE's IWAE estimate of log p(x) with 1000 importance samples (int `seed`)."""
  if model.num_conditions:
    raise ValueError("scoring a conditional VAE needs labels; score it through tfgen.evaluate")
  return importance_weighted.log_likelihood(model, batch, num_importance_samples, 100, seed=seed)


def pixel_bits(model, x):
  """-log2 p(pixel | earlier pixels), summed over each pixel's channels: [N, H, W].

  Autoregressive image models only: the per-pixel terms of their exact likelihood.
  """
  if not isinstance(model, AutoregressiveModel) or len(model.event_shape) != 3:
    raise ValueError(f"a per-pixel map needs an autoregressive image model, not "
                     f"{type(model).__name__} of event shape {model.event_shape}")
  if model.num_conditions:
    raise ValueError("a per-pixel map of a conditional model needs labels; it has none here")
  if getattr(model, "num_masks", 1) > 1:
    raise ValueError("a MADE mask ensemble's NLL is not a sum of per-pixel terms: no per-pixel map")
  x = tf.constant(x)
  params = model(x, training=False)
  per_element = model.head.distribution(params, batch_ndims=params.shape.rank - 1).log_prob(x)
  per_pixel = per_element if per_element.shape.rank == 3 else tf.reduce_sum(per_element, axis=-1)
  return -per_pixel.numpy() / math.log(2.0)


def auroc(in_distribution_nll, other_nll):
  """Area under the ROC curve of NLL as a detector of the other set (0.5 = chance, 1 = perfect)."""
  labels = np.concatenate([np.zeros(len(in_distribution_nll)), np.ones(len(other_nll))])
  return float(metrics.roc_auc_score(labels, np.concatenate([in_distribution_nll, other_nll])))


def _summary(nll, num_dims):
  bits = nll / (num_dims * math.log(2.0))
  return {"num_images": len(nll), "mean_nll_nats": round(float(nll.mean()), 4),
          "median_nll_nats": round(float(np.median(nll)), 4),
          "mean_bits_per_dim": round(float(bits.mean()), 5)}


def write_scores(path, nll, num_dims):
  """A CSV of image index, NLL in nats and bits/dim, one row per image."""
  with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
    writer = csv.writer(handle)
    writer.writerow(["index", "nll_nats", "bits_per_dim"])
    for index, value in enumerate(nll):
      writer.writerow([index, f"{value:.4f}", f"{value / (num_dims * math.log(2.0)):.5f}"])
  return path


def score(workdir, input_path=None, ood_path=None, output=None, histogram=None, bits_map=None,
          batch_size=256, seed=0):
  """Scores images with a trained run; returns a summary dict.

  Args:
    workdir: a run folder written by tfgen.train.
    input_path: images to score (see `read_images`); `output` gets their
      per-image NLL and bits/dim as CSV, `bits_map` a PNG of per-pixel bits
      for the first 8 (autoregressive image models).
    ood_path: images that are not from the training distribution: the summary
      adds "auroc", how well NLL tells the run's test split from them, and
      `histogram` gets a PNG of both sets' bits/dim.
  """
  if input_path is None and ood_path is None:
    raise ValueError("give --input=PATH to score, or --ood=PATH to compare with the test split")
  model, config, info = Workdir(workdir).load_model()
  if model.likelihood_kind is None:
    raise ValueError(f"{type(model).__name__} has no likelihood to score images with")
  num_dims = int(np.prod(info.shape))
  result = {"model": config.model.name, "dataset": info.name,
            "likelihood": model.likelihood_kind}
  if input_path is not None:
    images = read_images(input_path, info.shape, info.num_values)
    nll = -log_prob(model, images, batch_size, seed)
    result["input"] = {"path": input_path, **_summary(nll, num_dims)}
    if output:
      write_scores(output, nll, num_dims)
    if bits_map:
      shown = images[:8]
      plots.plot_bits_maps(bits_map, shown, pixel_bits(model, shown), info.num_values)
  if ood_path is not None:
    test_images = np.concatenate([x.numpy() for x, _ in run.split_batches(config, "test",
                                                                          batch_size)])
    test_nll = -log_prob(model, test_images, batch_size, seed)
    other_nll = -log_prob(model, read_images(ood_path, info.shape, info.num_values), batch_size,
                          seed)
    result["test"] = _summary(test_nll, num_dims)
    result["ood"] = {"path": ood_path, **_summary(other_nll, num_dims)}
    result["auroc"] = round(auroc(test_nll, other_nll), 4)
    if histogram:
      scale = num_dims * math.log(2.0)
      plots.plot_score_histogram(histogram, test_nll / scale, other_nll / scale,
                                 (f"{info.name} test", os.path.basename(ood_path.rstrip("/"))),
                                 result["auroc"])
  return result

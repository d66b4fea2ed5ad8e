"""Pictures of a trained latent-variable model or GAN: reconstructions, samples, the latent space.

Each function reads a workdir written by tfgen.train and writes PNGs into `output_dir`.
"""


import matplotlib
import numpy as np
import tensorflow as tf

from tfgen.training import run
from tfgen.training.workdir import Workdir
from tfgen.utils import images
from tfgen.utils.atomic import atomic_path

matplotlib.use("Agg")
from matplotlib import pyplot  # pylint: disable=wrong-import-position


def _test_examples(config, num_examples, split="test"):
  """(x, labels or None) of the first `num_examples` of a split (labels if the data has them)."""
  labeled = config.copy_and_resolve_references()
  labeled.data.with_labels = True
  try:
    dataset, _ = run.load_split(labeled, split, batch_size=num_examples, shuffle=False)
    x, labels = next(iter(dataset))
    return x.numpy(), labels.numpy()
  except ValueError:  # DataError (no labels) is a ValueError.
    dataset, _ = run.load_split(config, split, batch_size=num_examples, shuffle=False)
    return next(iter(dataset)).numpy(), None


def visualize(workdir, output_dir=None, seed=0, num_examples=16):
  """Writes every picture that fits the model; returns {name: path}.

  - reconstructions.png: rows of (input, reconstruction) pairs;
  - samples.png: x ~ p(x) (means of p(x | z) for a VAE, to show what it learned);
  - latent_scatter.png and manifold.png for a 2-D latent: encoded test
    examples coloured by label, and decoded images over a grid of z;
  - interpolation.png: decoded points on the line between two encoded examples;
  - classes.png for a conditional VAE: one row per class.
  A GAN gets samples.png, interpolation.png (rows walking between two z) and,
  when conditional, classes.png (`visualize_gan`).
  """
  model, config, info = Workdir(workdir).load_model()
  served = model.served_functions()
  pictures = Workdir(output_dir or workdir)
  if "generate" in served:
    pictures.create()
    return visualize_gan(model, pictures, info.num_values, seed)
  if "reconstruct" not in served:
    raise ValueError(f"{config.model.name} has no encoder: visualize takes an autoencoder, a VAE "
                     "or a GAN (use tfgen.sample for other models)")
  pictures.create()
  num_values = info.num_values or 2
  conditional = model.num_conditions
  x, labels = _test_examples(config, max(num_examples, 500))
  condition = labels if conditional else None
  written = {}

  def path(name):
    written[name] = pictures.picture_path(name)
    return written[name]

  # Reconstructions next to their inputs.
  shown = x[:num_examples]
  shown_condition = None if condition is None else condition[:num_examples]
  recon = model.reconstruct(shown, shown_condition).numpy()
  pairs = np.stack([shown, recon.reshape(shown.shape)], axis=1).reshape((-1,) + shown.shape[1:])
  images.save_grid(path("reconstructions"), pairs, num_values, num_columns=8)

  if "sample" not in served:  # A plain autoencoder: nothing to sample from.
    return written
  samples = model.sample(64, seed=seed, mean=True,
                         condition=np.arange(64) % conditional if conditional else None)
  images.save_grid(path("samples"), samples.numpy(), num_values)

  # Interpolation between two encoded test examples (same class for a CVAE).
  first, second = 0, 1
  if conditional:
    same = np.flatnonzero(labels == labels[0])
    second = int(same[1]) if len(same) > 1 else 1
  pair_condition = None if condition is None else condition[[first, second]]
  codes = model.encode(x[[first, second]], pair_condition).mean().numpy()
  weights = np.linspace(0, 1, 10)[:, None]
  line = (1 - weights) * codes[0] + weights * codes[1]
  line_condition = None if condition is None else np.full(10, condition[first])
  decoded = model.head.mean(model.decode(line.astype(np.float32), line_condition)).numpy()
  images.save_grid(path("interpolation"), decoded, num_values, num_columns=10)

  if conditional:
    rows = [model.sample(10, seed=seed + label, mean=True, condition=label).numpy()
            for label in range(conditional)]
    images.save_grid(path("classes"), np.concatenate(rows), num_values, num_columns=10)

  if model.latent_size == 2:
    codes = model.encode(x, condition).mean().numpy()
    figure, axes = pyplot.subplots(figsize=(6, 6))
    scatter = axes.scatter(codes[:, 0], codes[:, 1], c=labels if labels is not None else "k",
                           cmap="tab10", s=6)
    if labels is not None:
      figure.colorbar(scatter, ax=axes, label="label")
    axes.set_xlabel("z[0]")
    axes.set_ylabel("z[1]")
    axes.set_title(f"encoded {info.name} {len(x)} test examples (posterior means)")
    with atomic_path(path("latent_scatter")) as temporary:
      figure.savefig(temporary, format="png", dpi=100)
    pyplot.close(figure)
    if not conditional:
      # Decoded means over a grid of z at the prior's quantiles 5%..95%.
      from scipy import stats  # pylint: disable=import-outside-toplevel
      quantiles = stats.norm.ppf(np.linspace(0.05, 0.95, 12)).astype(np.float32)
      grid = np.array([[first_z, second_z] for second_z in quantiles[::-1] for first_z in quantiles],
                      np.float32)
      decoded = model.head.mean(model.decode(tf.constant(grid))).numpy()
      images.save_grid(path("manifold"), decoded, num_values, num_columns=12)
  return written


def visualize_gan(model, pictures, num_values, seed=0, num_rows=6, num_steps=10):
  """A GAN's pictures in the Workdir `pictures`; returns {name: path}.

  - samples.png: 64 samples (classes in turn for a conditional GAN);
  - interpolation.png: each row walks in z from one draw to another
    (z_t = (1 - t) z_0 + t z_1), generated with the same label per row;
  - classes.png (conditional): row c is G(z_j, c) for the same ten z_j in every
    row, so a column holds one z's style across the classes.
  """
  written = {}
  conditional = model.num_conditions

  def path(name):
    written[name] = pictures.picture_path(name)
    return written[name]

  labels = np.arange(64) % conditional if conditional else None
  images.save_grid(path("samples"), model.sample(64, condition=labels, seed=seed).numpy(),
                   num_values, num_columns=10 if conditional else None)
  ends = tf.random.stateless_normal([2, num_rows, model.latent_size], seed=[seed, 1]).numpy()
  weights = np.linspace(0.0, 1.0, num_steps)[None, :, None]
  walks = ((1 - weights) * ends[0][:, None] + weights * ends[1][:, None]).reshape(
      -1, model.latent_size)
  walk_labels = np.repeat(np.arange(num_rows) % conditional, num_steps) if conditional else None
  generated = model.generate(walks.astype(np.float32), walk_labels).numpy()
  images.save_grid(path("interpolation"), np.round(generated), num_values, num_columns=num_steps)
  if conditional:
    z = tf.random.stateless_normal([10, model.latent_size], seed=[seed, 2]).numpy()
    rows = [model.generate(z, np.full(10, label)).numpy() for label in range(conditional)]
    images.save_grid(path("classes"), np.round(np.concatenate(rows)), num_values, num_columns=10)
  return written

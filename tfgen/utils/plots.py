"""Plots: training curves from a Keras CSVLogger file, score histograms, per-pixel bits."""

import csv

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position

from tfgen.utils.atomic import atomic_path


def read_history(csv_path):
  """{column: [values]} from a CSVLogger file (epochs in order, resumed runs included)."""
  with open(csv_path, newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
  by_epoch = {}
  for row in rows:  # A resumed run may log an epoch again; the last one counts.
    try:
      by_epoch[int(row["epoch"])] = {key: float(value) for key, value in row.items()}
    except (KeyError, TypeError, ValueError):
      continue  # A row torn by a kill mid-write.
  columns = {}
  for epoch in sorted(by_epoch):
    for key, value in by_epoch[epoch].items():
      columns.setdefault(key, []).append(value)
  return columns




def _adversarial_curves(history):
  """A GAN's or CycleGAN's history has no loss column: its curves are every *_loss column."""
  names = [key for key in history if key.endswith("_loss") and not key.startswith("val_")]
  return ([(name, f"{name} (train)") for name in names]
          + [(f"val_{name}", f"{name} (validation)") for name in names])


def plot_training_curves(csv_path, png_path, title="", unit="nats"):
  """Plots loss and val_loss per epoch into `png_path` (a GAN's D and G losses)."""
  history = read_history(csv_path)
  figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
  epochs = [int(epoch) + 1 for epoch in history.get("epoch", [])]
  curves = (("loss", "train"), ("val_loss", "validation"))
  ylabel = f"negative log-likelihood ({unit} per example)"
  if "loss" not in history:
    curves, ylabel = _adversarial_curves(history), "adversarial losses"
  for key, label in curves:
    if key in history:
      axes.plot(epochs, history[key], marker="o", markersize=3, label=label)
  axes.set_xlabel("epoch")
  axes.set_ylabel(ylabel)
  axes.set_title(title)
  axes.grid(alpha=0.3)
  axes.legend()
  figure.tight_layout()
  _save(figure, png_path)
  return png_path


def plot_score_histogram(png_path, in_distribution, other, labels, auroc):
  """Histograms of two sets' scores (bits/dim) on shared bins, with the AUROC in the title."""
  figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
  bins = np.linspace(min(in_distribution.min(), other.min()),
                     max(in_distribution.max(), other.max()), 50)
  for values, label in zip((in_distribution, other), labels):
    axes.hist(values, bins=bins, alpha=0.6, density=True, label=f"{label} ({len(values)})")
  axes.set_xlabel("negative log-likelihood (bits/dim)")
  axes.set_ylabel("density")
  axes.set_title(f"AUROC {auroc:.3f}")
  axes.legend()
  figure.tight_layout()
  _save(figure, png_path)
  return png_path


def plot_bits_maps(png_path, images, bits, num_values):
  """Each image above a map of its per-pixel bits, -log2 p(pixel | earlier pixels).

  Args:
    images: [N, H, W, C] values in 0..num_values-1.
    bits: [N, H, W].
  """
  count = len(images)
  figure, axes = plt.subplots(2, count, figsize=(1.3 * count + 1.0, 3.0), dpi=100, squeeze=False)
  top = float(np.max(bits)) or 1.0
  for index in range(count):
    image = images[index] / max(num_values - 1, 1)
    axes[0, index].imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray",
                          vmin=0.0, vmax=1.0)
    shown = axes[1, index].imshow(bits[index], cmap="magma", vmin=0.0, vmax=top)
    axes[0, index].set_title(f"{bits[index].sum():.0f} bits", fontsize=8)
    for row in range(2):
      axes[row, index].axis("off")
  figure.colorbar(shown, ax=axes[1, :].tolist(), shrink=0.8, label="bits")
  _save(figure, png_path)
  return png_path


def _save(figure, png_path):
  with atomic_path(png_path) as temporary:
    figure.savefig(temporary, format="png")
  plt.close(figure)

"""Training curves from a Keras CSVLogger file."""

import csv

import matplotlib

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


def plot_training_curves(csv_path, png_path, title="", unit="nats"):
  """Plots loss and val_loss per epoch into `png_path`."""
  history = read_history(csv_path)
  figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
  epochs = [int(epoch) + 1 for epoch in history.get("epoch", [])]
  for key, label in (("loss", "train"), ("val_loss", "validation")):
    if key in history:
      axes.plot(epochs, history[key], marker="o", markersize=3, label=label)
  axes.set_xlabel("epoch")
  axes.set_ylabel(f"negative log-likelihood ({unit} per example)")
  axes.set_title(title)
  axes.grid(alpha=0.3)
  axes.legend()
  figure.tight_layout()
  with atomic_path(png_path) as temporary:
    figure.savefig(temporary, format="png")
  plt.close(figure)
  return png_path

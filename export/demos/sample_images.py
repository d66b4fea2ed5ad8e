r"""Draws images on the device from an exported image model, to a PNG grid.

  python -m export.demos.sample_images --model=exported/vae_digits.tflite \
      --num_samples=16 --seed=0 --output=digits.png [--label=3]

Needs only ai_edge_litert, numpy and Pillow. The noise is drawn with numpy and
passed to the model's `sample_from_noise` signature (a VAE, an autoregressive
model, a flow), or to a GAN's `generate(z)`, so a seed replays the same
images on any device.
"""

import argparse
import sys

import numpy as np
from PIL import Image

from export.demos.litert_artifact import LiteRTArtifact


def draw(model_path, num_samples=16, seed=None, label=None):
  """Images [num_samples, H, W, C] on the data's scale (0 .. num_values - 1)."""
  artifact = LiteRTArtifact(model_path)
  if num_samples < 1:
    raise ValueError(f"num_samples must be >= 1, got {num_samples}")
  key = artifact.require("sample_from_noise", "generate")
  rng = np.random.default_rng(seed)
  inputs = artifact.interpreter.get_signature_list()[key]["inputs"]
  if key == "sample_from_noise":
    shapes = artifact.metadata["noise_shapes"]
    feeds = {name: (rng.uniform(size=[num_samples] + shapes[name]) if name == "uniform"
                    else rng.normal(size=[num_samples] + shapes[name])).astype(np.float32)
             for name in shapes}
  else:
    runner = artifact.interpreter.get_signature_runner(key)
    latent = int(runner.get_input_details()["z"]["shape"][-1])
    feeds = {"z": rng.normal(size=[num_samples, latent]).astype(np.float32)}
  if "condition" in inputs:
    classes = artifact.metadata.get("class_names") or []
    if label is None:
      raise ValueError(f"the model is conditional: give --label (0-{max(len(classes) - 1, 0)})")
    feeds["condition"] = np.full([num_samples], int(label), np.int32)
  elif label is not None:
    raise ValueError("the model is unconditional: it takes no --label")
  out = artifact.run(key, **feeds)
  images = out["samples"] if "samples" in out else np.round(out["images"])
  return images, artifact.metadata["num_values"]


def to_grid(images, num_values, scale=4):
  """[n, H, W, C] values 0..num_values-1 -> one uint8 picture, a row of up to 8 per line."""
  images = np.clip(np.asarray(images, np.float64) / max(num_values - 1, 1), 0.0, 1.0)
  count, height, width, channels = images.shape
  columns = min(count, 8)
  rows = -(-count // columns)
  grid = np.ones([rows * (height + 1) + 1, columns * (width + 1) + 1, channels])
  for index, image in enumerate(images):
    top, left = 1 + (index // columns) * (height + 1), 1 + (index % columns) * (width + 1)
    grid[top:top + height, left:left + width] = image
  grid = np.kron(grid, np.ones([scale, scale, 1]))
  pixels = (grid * 255).round().astype(np.uint8)
  return pixels[..., 0] if channels == 1 else pixels


def save_grid(path, images, num_values):
  """Writes `images` as one PNG grid (`to_grid`)."""
  Image.fromarray(to_grid(images, num_values)).save(path)


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--model", required=True, help="An exported image model (.tflite).")
  parser.add_argument("--num_samples", type=int, default=16)
  parser.add_argument("--seed", type=int, default=None)
  parser.add_argument("--label", type=int, default=None, help="A conditional model's class.")
  parser.add_argument("--output", default="samples.png")
  args = parser.parse_args(argv)
  try:
    images, num_values = draw(args.model, args.num_samples, args.seed, args.label)
  except ValueError as error:
    sys.exit(f"sample_images: {error}")
  save_grid(args.output, images, num_values)
  print(f"wrote {args.output} ({len(images)} images)")


if __name__ == "__main__":
  main()

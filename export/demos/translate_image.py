r"""Restyles a picture on the device with an exported CycleGAN.

  python -m export.demos.translate_image --model=exported/style_photos.tflite \
      --input=photo.jpg --direction=a2b --output=restyled.png

Needs only ai_edge_litert, numpy and Pillow. The picture goes in at its own
size (the model pads and crops inside), on the 0..255 scale.
"""

import argparse
import sys

import numpy as np
from PIL import Image
from PIL import UnidentifiedImageError

from export.demos.litert_artifact import LiteRTArtifact


def translate(model_path, image_path, direction="a2b", max_side=512):
  """The restyled picture as uint8 [H, W, C] (sides over `max_side` are shrunk first).

  The picture is read as RGB, or as greyscale for a one-channel model ([H, W] out).
  """
  if direction not in ("a2b", "b2a"):
    raise ValueError(f"direction must be a2b or b2a, got {direction!r}")
  artifact = LiteRTArtifact(model_path)
  key = artifact.require(f"translate_{direction}")
  try:
    channels = artifact.metadata["event_shape"][-1]
    picture = Image.open(image_path).convert("L" if channels == 1 else "RGB")
  except (OSError, UnidentifiedImageError) as error:
    raise ValueError(f"{image_path}: not a readable picture ({error})") from None
  picture.thumbnail((max_side, max_side))
  pixels = np.asarray(picture, np.float32).reshape(1, picture.height, picture.width, channels)
  scale = 255.0 / max((artifact.metadata.get("num_values") or 256) - 1, 1)  # Data: 0..K-1.
  levels = np.round(pixels / scale).astype(np.uint8)   # uint8 on the data's scale.
  restyled = artifact.run(key, images=levels)["images"][0].astype(np.float64) * scale
  restyled = np.clip(np.round(restyled), 0, 255).astype(np.uint8)
  return restyled[..., 0] if channels == 1 else restyled


def save(path, pixels):
  """Writes a uint8 picture ([H, W] or [H, W, 3]) as PNG."""
  Image.fromarray(pixels).save(path)


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--model", required=True, help="An exported CycleGAN (.tflite).")
  parser.add_argument("--input", required=True, help="A picture file (PNG, JPEG, ...).")
  parser.add_argument("--direction", default="a2b", choices=["a2b", "b2a"])
  parser.add_argument("--output", default="restyled.png")
  args = parser.parse_args(argv)
  try:
    restyled = translate(args.model, args.input, args.direction)
  except ValueError as error:
    sys.exit(f"translate_image: {error}")
  save(args.output, restyled)
  print(f"wrote {args.output} ({restyled.shape[1]}x{restyled.shape[0]})")


if __name__ == "__main__":
  main()

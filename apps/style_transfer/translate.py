r"""Translates images with a trained style-transfer run, at their full size.

  python -m apps.style_transfer.translate --workdir=runs/style --direction=a2b \
      --input=photo.jpg --output=painting.png
  python -m apps.style_transfer.translate --workdir=runs/style --direction=b2a \
      --input=folder/ --output=out/ --tile_size=512
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by apps.style_transfer.train.")
_DIRECTION = flags.DEFINE_string("direction", "a2b", "a2b (domain A to B) or b2a.")
_INPUT = flags.DEFINE_string("input", None, "An image file or a folder of images.")
_OUTPUT = flags.DEFINE_string("output", None, "The output image (or folder, for a folder).")
_TILE_SIZE = flags.DEFINE_integer(
    "tile_size", 0, "Translate in overlapping tiles of this side (for very large images); "
    "0 = whole images.")
_OVERLAP = flags.DEFINE_integer("overlap", 32, "Pixels shared by neighbouring tiles.")
flags.mark_flags_as_required(["workdir", "input", "output"])


def main(argv):
  del argv
  from apps.style_transfer import translate_lib  # pylint: disable=import-outside-toplevel
  written = binary.run_main("apps.style_transfer.translate", lambda: translate_lib.translate(
      _WORKDIR.value, _DIRECTION.value, _INPUT.value, _OUTPUT.value, _TILE_SIZE.value,
      _OVERLAP.value))
  print(f"wrote {len(written)} image{'s' if len(written) != 1 else ''}: {written[0]}"
        + (" ..." if len(written) > 1 else ""))


if __name__ == "__main__":
  app.run(main)

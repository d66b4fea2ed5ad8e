r"""Pictures of a trained autoencoder, VAE or GAN: reconstructions, samples, latent space, interpolation.

  python -m tfgen.visualize --workdir=runs/vae_digits [--output_dir=DIR] [--seed=0]

Writes reconstructions.png, samples.png, interpolation.png; latent_scatter.png and
manifold.png for a 2-D latent; classes.png (one row per class) for a conditional VAE.
A GAN gets samples.png, interpolation.png (walks in z) and, conditional, classes.png.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags


_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by tfgen.train.")
_OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "Where to write the PNGs (default: workdir).")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the samples.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from tfgen.training import visualize_lib  # pylint: disable=import-outside-toplevel
  written = binary.run_main("tfgen.visualize", lambda: visualize_lib.visualize(
      _WORKDIR.value, _OUTPUT_DIR.value, _SEED.value))
  for name, path in written.items():
    print(f"wrote {name}: {path}")


if __name__ == "__main__":
  app.run(main)

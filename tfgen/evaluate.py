r"""Negative log-likelihood of a trained workdir on a data split.

  python -m tfgen.evaluate --workdir=runs/made --split=test
  python -m tfgen.evaluate --workdir=runs/vae --split=test --num_importance_samples=5000
  python -m tfgen.evaluate --workdir=runs/vae --split=test --refine_steps=100
  python -m tfgen.evaluate --workdir=runs/dcgan_digits --split=test
  python -m tfgen.evaluate --workdir=runs/vae_digits --split=test --sample_quality

Prints one human line, then one JSON line:
  {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}
Autoregressive models are exact. A VAE's NLL is the IWAE estimate with
--num_importance_samples samples, and the line adds "negative_elbo_nats" (and,
with --refine_steps, "nll_nats_refined": the same estimate from refined proposals); an
autoencoder reports its "reconstruction_error" instead. A GAN (and, with
--sample_quality, any model that samples) reports the quality of its samples:
"frechet_distance" in a digit classifier's feature space, against the split,
next to "frechet_distance_train_vs_split" (real against real), and
"inception_score" (see tfgen/training/sample_quality.py).
"""

import json

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags


_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by tfgen.train.")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Data split.")
_BATCH_SIZE = flags.DEFINE_integer("batch_size", 500, "Examples per batch (VAEs: at most 100).",
                                   lower_bound=1)
_NUM_IMPORTANCE_SAMPLES = flags.DEFINE_integer(
    "num_importance_samples", 5000, "VAEs: importance samples k of the IWAE NLL estimate.")
_SEED = flags.DEFINE_integer("seed", 0, "VAEs: seed of the importance samples.")
_REFINE_STEPS = flags.DEFINE_integer(
    "refine_steps", 0, "VAEs: also report the NLL with each q(z|x) refined by this many Adam "
    "steps on its own ELBO (nll_nats_refined); 0 = off.")
_SAMPLE_QUALITY = flags.DEFINE_bool(
    "sample_quality", False, "Also score the model's samples as a GAN's are (Fréchet distance "
    "and Inception Score in a classifier's feature space); GANs always are.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from tfgen.training import evaluate_lib  # pylint: disable=import-outside-toplevel
  result = binary.run_main("tfgen.evaluate", lambda: evaluate_lib.evaluate(
      _WORKDIR.value, _SPLIT.value, _BATCH_SIZE.value, _NUM_IMPORTANCE_SAMPLES.value, _SEED.value,
      _REFINE_STEPS.value, _SAMPLE_QUALITY.value))
  count = result.get("num_examples", result.get("num_samples"))
  where = f"{result['model']} on {result['dataset']} {result['split']} ({count} examples)"
  if "nll_nats" not in result and "frechet_distance" in result:
    print(f"{where}: {_quality_line(result)}")
  elif "reconstruction_error" in result:
    print(f"{where}: reconstruction error {result['reconstruction_error']:.3f} per example")
  else:
    extra = (f" (IWAE, k={result['num_importance_samples']}; -ELBO "
             f"{result['negative_elbo_nats']:.2f})" if "negative_elbo_nats" in result else "")
    print(f"{where}: {result['nll_nats']:.2f} nats per example{extra}, "
          f"{result['bits_per_dim']:.4f} bits/dim")
    if "nll_nats_refined" in result:
      print(f"  with q(z|x) refined by {result['refine_steps']} steps per example: "
            f"{result['nll_nats_refined']:.2f} nats per example")
    if "frechet_distance" in result:
      print(f"  samples: {_quality_line(result)}")
  print(json.dumps(result))


def _quality_line(result):
  line = (f"Frechet distance {result['frechet_distance']:.2f} (real vs real "
          f"{result['frechet_distance_train_vs_split']:.2f}), inception score "
          f"{result['inception_score']:.2f} (real {result['inception_score_split']:.2f})")
  if "label_accuracy" in result:
    line += f", label accuracy {result['label_accuracy']:.3f}"
  return line


if __name__ == "__main__":
  app.run(main)

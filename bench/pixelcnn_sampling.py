"""PixelCNN sampling: the fast cached sampler against the naive one and against tfd.PixelCNN.

  python bench/pixelcnn_sampling.py [--output=bench/results/pixelcnn_sampling.json]

16 binary images of 28x28x1 from one PixelCNN of about 0.6M parameters:
  1. naive: the network reruns over the whole image for every pixel (784 passes);
  2. fast: Ramachandran et al.'s cached step, each layer computed at the new
     pixel only (the default `sample`);
  3. tfd.PixelCNN (TFP's PixelCNN++, 625k parameters, the closest size it
     offers), sampled as its documentation shows.
Both tfgen paths are compiled the same way (XLA) and must draw identical
images, which is checked before any ratio is reported. The limit a sampler can
approach is one batched forward pass over the 16 finished images (the
likelihood's cost): its time is reported too. A Gated PixelCNN of about the
same size gets the same fast-against-naive comparison.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # pylint: disable=wrong-import-position
import tensorflow as tf  # pylint: disable=wrong-import-position
import tensorflow_probability as tfp  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from tfgen import heads  # pylint: disable=wrong-import-position
from tfgen.models import GatedPixelCNN, PixelCNN  # pylint: disable=wrong-import-position

NUM_IMAGES = 16
SHAPE = (28, 28, 1)


def time_once(function):
  start = time.perf_counter()
  result = function()
  return time.perf_counter() - start, result


def compare(model, name):
  """The fast and the naive sampler of `model`, and one forward pass: {name_...: ...}."""
  model.build((None,) + SHAPE)
  fast_images = model.sample(NUM_IMAGES, seed=0).numpy()               # Traces and compiles.
  fast = bench_util.best_time(lambda: model.sample(NUM_IMAGES, seed=0).numpy(), repeats=2)
  model.sample(1, seed=0, cached=False)                                # Compiles the naive loop.
  naive, naive_images = time_once(lambda: model.sample(NUM_IMAGES, seed=0, cached=False).numpy())
  np.testing.assert_array_equal(fast_images, naive_images)
  forward_pass = tf.function(lambda x: model(x, training=False), jit_compile=True)
  forward = bench_util.best_time(lambda: forward_pass(tf.constant(fast_images)).numpy(), repeats=5)
  return {f"{name}_parameters": model.count_params(),
          f"{name}_naive_seconds": round(naive, 2),
          f"{name}_fast_seconds": round(fast, 3),
          f"{name}_fast_speedup_over_naive": round(naive / fast, 1),
          f"{name}_identical_images": True,
          f"{name}_one_forward_pass_seconds": round(forward, 4),
          f"{name}_fast_over_one_forward_pass": round(fast / forward, 1)}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "pixelcnn_sampling"))
  parser.add_argument("--skip_tfp", action="store_true", help="Skip tfd.PixelCNN (about 80 s).")
  args = parser.parse_args()

  model = PixelCNN(SHAPE, heads.Bernoulli(), num_filters=64, num_residual_blocks=14,
                   num_output_filters=128)
  results = {"setup": f"{NUM_IMAGES} binary images of {SHAPE}, batch {NUM_IMAGES}, seed 0",
             **compare(model, "pixel_cnn")}
  results.update(compare(GatedPixelCNN(SHAPE, heads.Bernoulli(), num_filters=64, num_layers=8,
                                       num_output_filters=128), "gated_pixel_cnn"))
  fast = results["pixel_cnn_fast_seconds"]
  if not args.skip_tfp:
    distribution = tfp.distributions.PixelCNN(
        image_shape=SHAPE, num_resnet=1, num_hierarchies=2, num_filters=32, num_logistic_mix=5,
        dropout_p=0.0, high=1, low=0)
    distribution.sample(1, seed=0)  # Builds the network.
    tfp_seconds, _ = time_once(lambda: distribution.sample(NUM_IMAGES, seed=0).numpy())
    results.update({
        "tfd_pixel_cnn_parameters": distribution.network.count_params(),
        "tfd_pixel_cnn_seconds": round(tfp_seconds, 1),
        "fast_speedup_over_tfd_pixel_cnn": round(tfp_seconds / fast, 1),
    })
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()

"""Cached generation (RNN state, KV cache, WaveNet queues) against rerunning the whole prefix.

  python bench/sequence_generation.py [--output=bench/results/sequence_generation.json]

Same model, same seed, 256 generated tokens (1024 audio samples for WaveNet,
receptive field 1025): the cached path steps the RNN cell, one attention row
per layer, or one queue entry per dilated convolution; the naive path reruns
the network over the whole sequence at every step (the base class's default
step). Both loops are compiled the same way (XLA), and both must produce
identical tokens, which is checked before the ratio is reported.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from tfgen import heads  # pylint: disable=wrong-import-position
from tfgen.models import CharRNN, TransformerLM, WaveNet  # pylint: disable=wrong-import-position


def compare(make_model, num_samples=4, seed=0):
  model = make_model()
  model.build((None,) + model.event_shape)
  cached_tokens = model.sample(num_samples, seed=seed).numpy()
  cached = bench_util.best_time(lambda: model.sample(num_samples, seed=seed).numpy(), repeats=2)
  # The same model, rerunning the whole network at every step.
  naive_tokens = model.sample(num_samples, seed=seed, cached=False).numpy()
  np.testing.assert_array_equal(cached_tokens, naive_tokens)
  naive = bench_util.best_time(lambda: model.sample(num_samples, seed=seed, cached=False).numpy(),
                               repeats=1)
  return {"cached_seconds": round(cached, 3), "naive_seconds": round(naive, 3),
          "speedup": round(naive / cached, 1), "identical_tokens": True}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "sequence_generation"))
  args = parser.parse_args()
  length, vocabulary = 256, 65
  results = {
      "setup": f"{length} generated tokens, vocabulary {vocabulary}, batch 4",
      "transformer_4x128_kv_cache": compare(lambda: TransformerLM(
          (length,), heads.Categorical(vocabulary), width=128, num_layers=4, num_heads=4)),
      "gru_2x384_state": compare(lambda: CharRNN(
          (length,), heads.Categorical(vocabulary), hidden_units=384, num_layers=2)),
      "wavenet_10_layers_rf1025_queues": compare(lambda: WaveNet(
          (1024,), heads.Categorical(256), residual_channels=32, skip_channels=64,
          num_layers_per_stack=10), num_samples=1),
  }
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()

"""export.serve: requests a second with and without --batching, on loopback, in one run.

  python bench/export_serve.py [--num_requests=400] [--output=bench/results/export_serve.json]

A MADE on the 8x8 digits (hidden 256-256, untrained: speed does not depend on the
weights) is exported and served twice in this process, once plainly and once with
batching (up to 64 examples, 5 ms window). An aiohttp client sends `num_requests`
one-example `log_prob` requests, all at once, to each; every answer is checked against
the model before the rates are reported.
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import aiohttp  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from export import saved_model_lib  # pylint: disable=wrong-import-position
from export import serve_lib  # pylint: disable=wrong-import-position
from tfgen import heads  # pylint: disable=wrong-import-position
from tfgen.models import MADE  # pylint: disable=wrong-import-position


def rate(url, digits, expected):
  """Requests a second for one concurrent burst; checks every answer."""

  async def one(session, index):
    body = {"signature_name": "log_prob", "instances": [{"x": digits[index].tolist()}]}
    async with session.post(f"{url}/v1/models/made:predict", data=json.dumps(body)) as response:
      return (await response.json())["predictions"][0]

  async def burst():
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as session:
      return await asyncio.gather(*[one(session, index) for index in range(len(digits))])

  asyncio.run(burst())  # Warm-up: traces, connections.
  started = time.perf_counter()
  answers = asyncio.run(burst())
  seconds = time.perf_counter() - started
  np.testing.assert_allclose(answers, expected, rtol=1e-4)
  return len(digits) / seconds


def measure(num_requests):
  """{"plain_requests_per_second", "batching_requests_per_second", "batching_speedup", ...}."""
  model = MADE((8, 8, 1), heads.Categorical(17), hidden_units=(256, 256))
  digits = np.random.default_rng(0).integers(0, 17, (num_requests, 8, 8, 1)).astype(
      np.float32)
  expected = model.log_prob(digits).numpy()
  folder = tempfile.mkdtemp()
  saved_model_lib.save(model, model.serving_signatures(), os.path.join(folder, "made", "1"))
  models = serve_lib.load_models(folder)
  results = {"num_requests": num_requests}
  for name, batching in (("plain", False), ("batching", True)):
    app = serve_lib.make_app(models, batching=batching, max_batch_size=64, batch_timeout_ms=5)
    server = serve_lib.BackgroundServer(app)
    try:
      results[f"{name}_requests_per_second"] = round(rate(server.url, digits, expected), 1)
    finally:
      server.stop()
    if batching:
      results["batched_calls"] = next(iter(app["batchers"].values())).num_calls
  results["batching_speedup"] = round(results["batching_requests_per_second"]
                                      / results["plain_requests_per_second"], 2)
  print(f"plain: {results['plain_requests_per_second']} requests/s; batching: "
        f"{results['batching_requests_per_second']} requests/s "
        f"({results['batching_speedup']}x, {results['batched_calls']} calls for "
        f"{2 * num_requests} requests with the warm-up)")
  return results


def main():
  parser = argparse.ArgumentParser(description=__doc__)
  parser.add_argument("--num_requests", type=int, default=400)
  parser.add_argument("--output", default=bench_util.default_output(__file__, "export_serve"))
  args = parser.parse_args()
  bench_util.report(measure(args.num_requests), args.output)


if __name__ == "__main__":
  main()

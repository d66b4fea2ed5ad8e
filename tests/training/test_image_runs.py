"""An image model's run through sample (grids, completions) and evaluate."""

import numpy as np

from tfgen.training import evaluate_lib, sample_lib


def test_pixel_cnn_run_samples_completes_and_evaluates(pixel_cnn_run, tmp_path):
  samples = sample_lib.sample(pixel_cnn_run, num_samples=6, output=str(tmp_path / "s.png"), seed=1)
  again = sample_lib.sample(pixel_cnn_run, num_samples=6, seed=1)
  np.testing.assert_array_equal(samples, again)
  assert samples.shape == (6, 8, 8, 1) and set(np.unique(samples)) <= set(range(17))
  originals, completions = sample_lib.complete(pixel_cnn_run, num_examples=4, seed=2,
                                               output=str(tmp_path / "c.png"))
  assert completions.shape == (3, 4, 8, 8, 1) and (tmp_path / "c.png").stat().st_size > 0
  for completion in completions:  # The top half is kept, the bottom half drawn.
    np.testing.assert_array_equal(completion[:, :4], originals[:, :4])
  assert not np.array_equal(completions[0][:, 4:], completions[1][:, 4:])
  result = evaluate_lib.evaluate(pixel_cnn_run, "test")
  # 64 pixels with 17 levels: uniform guessing costs 64 ln 17 = 181 nats.
  assert result["model"] == "pixel_cnn" and 0 < result["nll_nats"] < 150

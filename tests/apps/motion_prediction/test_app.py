"""train -> evaluate -> forecast on the synthetic walker, tiny networks; their bad inputs."""

import json

import numpy as np
import pytest
from PIL import Image

from apps.motion_prediction import evaluate_lib
from apps.motion_prediction import forecast_lib
from apps.motion_prediction import train_lib
from tests.conftest import MOTION_TINY
from tfgen.data import DataError
from tfgen.training.workdir import Workdir

TINY = MOTION_TINY


@pytest.fixture
def trained(motion_tiny_run):
  return motion_tiny_run


def test_training_writes_a_resumable_run_with_its_statistics(trained, tmp_path):
  workdir, summary = trained
  assert summary["best_epoch"] == 1
  record = json.load(open(f"{workdir}/motion_normalizer.json"))
  assert len(record["mean"]) == 45 and min(record["modelled"]) >= 6
  more = train_lib.train("synthetic", "mdn", workdir, dict(TINY, **{"training.num_epochs": 2}),
                         verbose=0)
  assert more["resumed_from_epoch"] == 1 and more["best_epoch"] in (1, 2)


def test_evaluate_scores_the_model_beside_zero_velocity(trained, tmp_path):
  workdir, _ = trained
  output = tmp_path / "results.json"
  results, table = evaluate_lib.evaluate(workdir, num_windows=(8, 16), output=str(output))
  saved = json.loads(output.read_text())
  for method in ("ours", "zero_velocity"):
    for count in (8, 16):
      for action in ("walking", "running"):
        row = saved[method][f"{count} windows"][action]
        assert len(row["mean"]) == 6 and all(value > 0 for value in row["mean"])
  assert saved["ours"]["8 windows"] != saved["zero_velocity"]["8 windows"]
  assert "| walking | mdn, 8 windows |" in table
  assert "| running | zero velocity, 16 windows |" in table
  assert set(results["nll_per_frame"]) == {"walking", "running"}


def test_forecast_draws_a_gif_and_a_strip(trained, tmp_path):
  workdir, _ = trained
  output = str(tmp_path / "walk.gif")
  result = forecast_lib.forecast(workdir, "synthetic:7:running", output, observe=20, frames=10,
                                 num_samples=2, seed=1)
  assert result["forecast"].shape == (2, 10, 45)
  assert not np.allclose(result["forecast"][0], result["forecast"][1])
  gif = Image.open(output)
  assert gif.n_frames == 30 and gif.size == (480, 258)
  assert Image.open(result["strip"]).size[1] == 258
  again = forecast_lib.forecast(workdir, "synthetic:7:running", output, observe=20, frames=10,
                                num_samples=2, seed=1)
  np.testing.assert_array_equal(again["forecast"], result["forecast"])


def test_forecast_refuses_bad_clips(trained, tmp_path):
  workdir, _ = trained
  output = str(tmp_path / "bad.gif")
  with pytest.raises(DataError, match="has 400 frames .* needs 425"):
    forecast_lib.forecast(workdir, "synthetic", output, observe=400, frames=25)
  with pytest.raises(DataError, match="synthetic walker knows"):
    forecast_lib.forecast(workdir, "synthetic:1:dancing", output)
  odd = tmp_path / "odd.txt"
  odd.write_text("1,2,3\n")
  with pytest.raises(DataError, match="3 values; an expmap file has 117"):
    forecast_lib.forecast(workdir, str(odd), output)
  cmu_like = tmp_path / "cmu.txt"
  cmu_like.write_text("\n".join([",".join(["0.1"] * 117)] * 4 + [",".join(["nan"] * 117)]) + "\n")
  with pytest.raises(DataError, match="line 5: NaN"):
    forecast_lib.forecast(workdir, str(cmu_like), output)
  good_cmu = tmp_path / "good.txt"
  good_cmu.write_text("\n".join([",".join(["0.1"] * 117)] * 200) + "\n")
  with pytest.raises(DataError, match="117 values; .* trained on 45"):
    forecast_lib.forecast(workdir, str(good_cmu), output)


def test_the_sampling_based_loss_starts_where_the_observed_frames_end():
  config = train_lib.make_config("seq2seq", overrides={"data.num_observed": 3})
  assert config.model.num_observed == 3  # The preset's 50 follows data.num_observed.
  assert train_lib.make_config("mdn", overrides={"data.num_observed": 3}).model.num_observed == 0


def test_a_multi_action_run_forecasts_each_action_with_its_label(tmp_path):
  workdir = str(tmp_path / "seq2seq")
  overrides = dict(TINY, **{"data.with_labels": True, "data.num_observed": 3})
  train_lib.train("synthetic", "mdn", workdir, overrides, verbose=0)
  model, _, _ = Workdir(workdir).load_model()
  assert model.num_conditions == 2
  results, _ = evaluate_lib.evaluate(workdir, num_windows=(8,))
  assert set(results["ours"]["8 windows"]) == {"walking", "running"}
  with pytest.raises(ValueError, match="pass --action"):
    forecast_lib.forecast(workdir, "synthetic", str(tmp_path / "x.gif"))
  running = forecast_lib.forecast(workdir, "synthetic", str(tmp_path / "x.gif"), observe=3,
                                  frames=5, action="running")["forecast"]
  walking = forecast_lib.forecast(workdir, "synthetic", str(tmp_path / "x.gif"), observe=3,
                                  frames=5, action="walking")["forecast"]
  assert running.shape == walking.shape == (1, 5, 45)
  assert not np.allclose(running, walking), "the action label changed nothing"

"""export.serve: TF Serving's REST API on loopback, with a real HTTP client."""

import asyncio
import json

import aiohttp
import numpy as np
import pytest
import requests

from export import saved_model_lib
from export import serve_lib
from tfgen import heads
from tfgen.models import MADE


@pytest.fixture(scope="module")
def served(tmp_path_factory):
  model = MADE((3, 3, 1), heads.Categorical(4), hidden_units=(8,))
  model(np.zeros((1, 3, 3, 1), np.float32))
  folder = tmp_path_factory.mktemp("exported")
  saved_model_lib.save(model, model.serving_signatures(), str(folder / "tiny" / "1"))
  models = serve_lib.load_models(str(folder))
  server = serve_lib.BackgroundServer(serve_lib.make_app(models, max_body_bytes=4096))
  batched_app = serve_lib.make_app(models, batching=True, max_batch_size=32, batch_timeout_ms=20)
  batched = serve_lib.BackgroundServer(batched_app)
  yield model, server.url, batched.url, batched_app
  server.stop()
  batched.stop()


def grids(num, seed=0):
  return np.random.default_rng(seed).integers(0, 4, (num, 3, 3, 1)).astype(np.float32)


def test_status_and_metadata_as_tf_serving_gives_them(served):
  _, url, _, _ = served
  status = requests.get(f"{url}/v1/models/tiny", timeout=30).json()
  assert status["model_version_status"][0] == {
      "version": "1", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}
  meta = requests.get(f"{url}/v1/models/tiny/versions/1/metadata", timeout=30).json()
  signatures = meta["metadata"]["signature_def"]["signature_def"]
  assert set(signatures) == {"log_prob", "sample", "sample_from_noise"}
  x = signatures["log_prob"]["inputs"]["x"]
  assert x["dtype"] == "DT_UINT8" and [d["size"] for d in x["tensor_shape"]["dim"]] == [
      "-1", "3", "3", "1"]


def test_row_and_columnar_predictions_equal_the_model(served):
  model, url, _, _ = served
  x = grids(3)
  answer = requests.post(f"{url}/v1/models/tiny:predict", timeout=30, json={
      "signature_name": "log_prob", "instances": [{"x": grid.tolist()} for grid in x]}).json()
  np.testing.assert_allclose(answer["predictions"], model.log_prob(x).numpy(), rtol=1e-5)
  answer = requests.post(f"{url}/v1/models/tiny:predict", timeout=30, json={
      "signature_name": "sample", "inputs": {"num_samples": 2, "seed": [4, 5]}}).json()
  np.testing.assert_array_equal(answer["outputs"], model.sample(2, seed=[4, 5]).numpy())


@pytest.mark.parametrize("path,body,status,message", [
    ("/v1/models/nope:predict", {"instances": [1]}, 404, "Servable not found"),
    ("/v1/models/tiny/versions/7:predict", {"instances": [1]}, 404, "Specific(tiny, 7)"),
    ("/v1/models/tiny:predict", {"signature_name": "dream", "instances": [1]}, 400,
     "signature 'dream' not found"),
    ("/v1/models/tiny:predict", {"signature_name": "log_prob", "instances": [[1, 2]]}, 400,
     "input 'x': shape [1, 2] does not match [None, 3, 3, 1]"),
    ("/v1/models/tiny:predict", {"signature_name": "log_prob", "instances": [[[[9]] * 3] * 3]},
     400, "Categorical"),
    ("/v1/models/tiny:predict", {"signature_name": "log_prob", "instances": [[[[1.5]] * 3] * 3]},
     400, "input 'x': not a uint8 array"),
    ("/v1/models/tiny:predict", {"signature_name": "log_prob", "instances": [[[[300]] * 3] * 3]},
     400, "input 'x': not a uint8 array"),
    ("/v1/models/tiny:predict", {"signature_name": "sample", "instances": [{"seed": 1}]}, 400,
     "use the columnar 'inputs' format"),
    ("/v1/models/tiny:predict", {"signature_name": "log_prob"}, 400, "exactly one of"),
    ("/v1/models/tiny:explain", {"instances": [1]}, 404, "unknown method :explain"),
])
def test_bad_requests_get_tf_servings_error_shape(served, path, body, status, message):
  _, url, _, _ = served
  response = requests.post(url + path, json=body, timeout=30)
  assert response.status_code == status
  assert message in response.json()["error"]


def test_malformed_and_oversized_bodies_are_refused_and_the_server_keeps_serving(served):
  model, url, _, _ = served
  response = requests.post(f"{url}/v1/models/tiny:predict", data=b"{nope", timeout=30)
  assert response.status_code == 400 and "malformed JSON" in response.json()["error"]
  response = requests.post(f"{url}/v1/models/tiny:predict", data=b" " * 5000, timeout=30)
  assert response.status_code == 413 and "over 4096 bytes" in response.json()["error"]
  x = grids(1)
  answer = requests.post(f"{url}/v1/models/tiny:predict", timeout=30, json={
      "signature_name": "log_prob", "instances": x.tolist()}).json()
  np.testing.assert_allclose(answer["predictions"], model.log_prob(x).numpy(), rtol=1e-5)


def test_200_concurrent_requests_are_all_answered_and_batched(served):
  model, _, url, app = served
  x = grids(200, seed=1)
  expected = model.log_prob(x).numpy()

  async def one(session, index):
    body = {"signature_name": "log_prob", "instances": [{"x": x[index].tolist()}]}
    async with session.post(f"{url}/v1/models/tiny:predict", data=json.dumps(body)) as response:
      assert response.status == 200
      return (await response.json())["predictions"][0]

  async def all_of_them():
    async with aiohttp.ClientSession() as session:
      return await asyncio.gather(*[one(session, index) for index in range(200)])

  answers = asyncio.run(all_of_them())
  np.testing.assert_allclose(answers, expected, rtol=1e-5)
  batcher = next(iter(app["batchers"].values()))
  assert batcher.num_calls < 100, f"{batcher.num_calls} calls for 200 requests: no batching"

"""TF Serving's REST API over exported SavedModels, for hosts without `tensorflow_model_server`.

  GET  /v1/models/NAME[/versions/V]            the version status
  GET  /v1/models/NAME[/versions/V]/metadata   the signatures
  POST /v1/models/NAME[/versions/V]:predict    {"signature_name": S, "instances": [...]}
                                               or {"signature_name": S, "inputs": {...}}

answered as TF Serving answers: {"predictions": [...]} for the row format
(`instances`, one entry per example, batched along axis 0), {"outputs": ...}
for the columnar one (`inputs`, named tensors as they are, for signatures with
inputs that have no batch axis, such as `sample(num_samples, seed)`), and
{"error": "..."} with a 4xx code for a bad request, after which the server
keeps serving. MODEL_DIR holds NAME/VERSION folders (what `python -m export`
writes); each NAME is served at its highest version (or any version by path).

With `batching`, row-format requests for the same signature that arrive within
`batch_timeout_ms` of each other run as one call of up to `max_batch_size`
examples, as TF Serving's batching does.
"""

import asyncio
import dataclasses
import json
import os

import numpy as np
import tensorflow as tf
from aiohttp import web
from tensorflow.core.framework import types_pb2

DEFAULT_SIGNATURE = "serving_default"


class RequestError(ValueError):
  """A bad request: answered {"error": message} with `status`."""

  def __init__(self, message, status=400):
    super().__init__(message)
    self.status = status


@dataclasses.dataclass
class Servable:
  """One version of one model: its loaded signatures and their named input specs."""
  name: str
  version: int
  signatures: dict
  input_specs: dict  # signature -> {input name: TensorSpec}
  output_specs: dict  # signature -> {output name: TensorSpec}


def load_models(model_dir):
  """{name: {version: Servable}} of every NAME/VERSION SavedModel under model_dir."""
  if not os.path.isdir(model_dir):
    raise ValueError(f"{model_dir}: no such model folder (it holds NAME/VERSION SavedModels)")
  models = {}
  for name in sorted(os.listdir(model_dir)):
    folder = os.path.join(model_dir, name)
    if not os.path.isdir(folder) or name.startswith("."):
      continue
    for version in os.listdir(folder):
      path = os.path.join(folder, version)
      if version.isdigit() and os.path.isfile(os.path.join(path, "saved_model.pb")):
        loaded = tf.saved_model.load(path)
        signatures = dict(loaded.signatures)
        models.setdefault(name, {})[int(version)] = Servable(
            name, int(version), signatures,
            {key: dict(function.structured_input_signature[1])
             for key, function in signatures.items()},
            {key: dict(function.structured_outputs) for key, function in signatures.items()})
  if not models:
    raise ValueError(f"{model_dir}: no NAME/VERSION/saved_model.pb folders")
  return models


def _dtype_name(dtype):
  """TF Serving's name of a dtype: DT_FLOAT, DT_INT32, ..."""
  return types_pb2.DataType.Name(tf.as_dtype(dtype).as_datatype_enum)


def _shape_json(shape):
  return {"dim": [{"size": str(-1 if size is None else size), "name": ""} for size in shape]}


def metadata(servable):
  """The body TF Serving's /metadata gives: the SignatureDefs as JSON."""
  def tensors(specs):
    return {name: {"dtype": _dtype_name(spec.dtype), "tensor_shape": _shape_json(spec.shape),
                   "name": f"{name}:0"} for name, spec in specs.items()}

  signature_def = {
      key: {"inputs": tensors(servable.input_specs[key]),
            "outputs": tensors(servable.output_specs[key]),
            "method_name": "tensorflow/serving/predict"}
      for key in servable.signatures}
  return {"model_spec": {"name": servable.name, "signature_name": "",
                         "version": str(servable.version)},
          "metadata": {"signature_def": {"signature_def": signature_def}}}


def status(servable):
  return {"model_version_status": [{"version": str(servable.version), "state": "AVAILABLE",
                                    "status": {"error_code": "OK", "error_message": ""}}]}


def _tensor(name, value, spec):
  """A JSON value -> a tensor of the spec's dtype and shape, or a RequestError naming the input."""
  try:
    array = np.asarray(value, dtype=spec.dtype.as_numpy_dtype)
    if spec.dtype.is_integer and not np.array_equal(np.asarray(value, np.float64), array):
      raise ValueError  # 1.5 or 300 would become another integer.
  except (TypeError, ValueError, OverflowError):
    raise RequestError(f"input {name!r}: not a {spec.dtype.name} array") from None
  if not spec.shape.is_compatible_with(array.shape):
    raise RequestError(f"input {name!r}: shape {list(array.shape)} does not match "
                       f"{spec.shape.as_list()} (None = any size)")
  return tf.constant(array)


def _call(servable, signature, inputs):
  """Runs a signature on named tensors; a failing op becomes a RequestError."""
  try:
    outputs = servable.signatures[signature](**inputs)
  except (tf.errors.InvalidArgumentError, ValueError, TypeError) as error:
    raise RequestError(_error_line(getattr(error, "message", None) or str(error))) from None
  return {name: value.numpy() for name, value in outputs.items()}


def _error_line(message):
  """The informative line of a TensorFlow error: an assertion's own text where there is one."""
  lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
  for line in lines:
    if line.startswith("assertion failed: ["):
      return line[len("assertion failed: ["):].split("]", 1)[0]
  skipped = ("Graph execution error", "Detected at node", "<stack traces", "[[")
  useful = [line for line in lines if not line.startswith(skipped)]
  return (useful or lines or ["the model could not run this input"])[0]


def parse_predict(servable, body):
  """(signature, format, named tensors, batch size) of a :predict body."""
  if not isinstance(body, dict):
    raise RequestError("the request body must be a JSON object")
  signature = body.get("signature_name", DEFAULT_SIGNATURE)
  if signature not in servable.signatures:
    raise RequestError(f"signature {signature!r} not found; model {servable.name} has "
                       f"{', '.join(sorted(servable.signatures))}")
  specs = servable.input_specs[signature]
  if ("instances" in body) == ("inputs" in body):
    raise RequestError("give exactly one of 'instances' (row format) or 'inputs' (columnar)")
  if "inputs" in body:
    given = body["inputs"]
    if not isinstance(given, dict):
      if len(specs) != 1:
        raise RequestError(f"'inputs' must name the inputs {sorted(specs)}")
      given = {next(iter(specs)): given}
    columns = given
    batch = None
    fmt = "columnar"
  else:
    instances = body["instances"]
    if not isinstance(instances, list) or not instances:
      raise RequestError("'instances' must be a non-empty list")
    unbatched = [name for name, spec in specs.items()
                 if spec.shape.rank == 0 or spec.shape[0] is not None]
    if unbatched:
      raise RequestError(f"signature {signature!r} has inputs without a batch axis "
                         f"({', '.join(unbatched)}): use the columnar 'inputs' format")
    if len(specs) == 1 and not all(isinstance(item, dict) for item in instances):
      instances = [{next(iter(specs)): item} for item in instances]
    if not all(isinstance(item, dict) for item in instances):
      raise RequestError(f"each instance must be an object with the inputs {sorted(specs)}")
    columns = {name: [item.get(name) for item in instances] for name in specs}
    batch = len(instances)
    fmt = "row"
  missing = sorted(set(specs) - set(columns))
  unknown = sorted(set(columns) - set(specs))
  if missing or unknown:
    raise RequestError(f"signature {signature!r} takes {sorted(specs)}; missing {missing}, "
                       f"unknown {unknown}")
  if fmt == "row" and any(value is None for values in columns.values() for value in values):
    raise RequestError(f"every instance needs all of {sorted(specs)}")
  tensors = {name: _tensor(name, columns[name], specs[name]) for name in specs}
  return signature, fmt, tensors, batch


def format_outputs(outputs, fmt, batch_slice=None):
  """TF Serving's answer: {"predictions": [...]} (row) or {"outputs": ...} (columnar)."""
  if batch_slice is not None:
    outputs = {name: value[batch_slice] for name, value in outputs.items()}
  if fmt == "columnar":
    if len(outputs) == 1:
      return {"outputs": next(iter(outputs.values())).tolist()}
    return {"outputs": {name: value.tolist() for name, value in outputs.items()}}
  if len(outputs) == 1:
    return {"predictions": next(iter(outputs.values())).tolist()}
  size = len(next(iter(outputs.values())))
  return {"predictions": [{name: value[index].tolist() for name, value in outputs.items()}
                          for index in range(size)]}


class Batcher:
  """Groups concurrent row-format calls of one signature into calls of up to max_batch_size."""

  def __init__(self, servable, signature, max_batch_size, timeout_ms, run):
    self.servable, self.signature = servable, signature
    self.max_batch_size, self.timeout = int(max_batch_size), timeout_ms / 1000.0
    self.run = run
    self.queue = asyncio.Queue()
    self.task = asyncio.get_running_loop().create_task(self._loop())
    self.num_calls = 0

  async def submit(self, tensors, batch):
    future = asyncio.get_running_loop().create_future()
    await self.queue.put((tensors, batch, future))
    return await future

  async def _loop(self):
    while True:
      items = [await self.queue.get()]
      size = items[0][1]
      deadline = asyncio.get_running_loop().time() + self.timeout
      while size < self.max_batch_size:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
          break
        try:
          item = await asyncio.wait_for(self.queue.get(), remaining)
        except asyncio.TimeoutError:
          break
        items.append(item)
        size += item[1]
      await self._run(items)

  async def _run(self, items):
    names = items[0][0].keys()
    joined = {name: tf.concat([tensors[name] for tensors, _, _ in items], axis=0)
              for name in names}
    self.num_calls += 1
    try:
      outputs = await self.run(self.servable, self.signature, joined)
    except RequestError:
      for tensors, _, future in items:  # Answer each alone, so one bad request fails alone.
        try:
          future.set_result(await self.run(self.servable, self.signature, tensors))
        except RequestError as error:
          future.set_exception(error)
      return
    start = 0
    for _, batch, future in items:
      future.set_result({name: value[start:start + batch] for name, value in outputs.items()})
      start += batch


def make_app(models, batching=False, max_batch_size=64, batch_timeout_ms=2.0,
             max_body_bytes=16 * 2**20):
  """The aiohttp application serving `models` ({name: {version: Servable}})."""
  batchers = {}

  async def run(servable, signature, tensors):
    return await asyncio.get_running_loop().run_in_executor(None, _call, servable, signature,
                                                            tensors)

  def servable_for(request):
    name = request.match_info["name"]
    if name not in models:
      raise RequestError(f"Servable not found for request: Latest({name})", status=404)
    version = request.match_info.get("version")
    versions = models[name]
    if version is None:
      return versions[max(versions)]
    if not version.isdigit() or int(version) not in versions:
      raise RequestError(f"Servable not found for request: Specific({name}, {version})",
                         status=404)
    return versions[int(version)]

  @web.middleware
  async def errors(request, handler):
    try:
      return await handler(request)
    except RequestError as error:
      return web.json_response({"error": str(error)}, status=error.status)
    except web.HTTPRequestEntityTooLarge:
      return web.json_response({"error": f"request body over {max_body_bytes} bytes"},
                               status=413)
    except web.HTTPException as error:
      return web.json_response({"error": error.reason}, status=error.status)

  async def get_status(request):
    return web.json_response(status(servable_for(request)))

  async def get_metadata(request):
    return web.json_response(metadata(servable_for(request)))

  async def predict(request):
    servable = servable_for(request)
    if request.match_info.get("verb") != "predict":
      raise RequestError(f"unknown method :{request.match_info.get('verb')}; use :predict",
                         status=404)
    try:
      body = json.loads(await request.read())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
      raise RequestError(f"malformed JSON body: {error}") from None
    signature, fmt, tensors, batch = parse_predict(servable, body)
    if batching and fmt == "row":
      key = (servable.name, servable.version, signature)
      if key not in batchers:
        batchers[key] = Batcher(servable, signature, max_batch_size, batch_timeout_ms, run)
      outputs = await batchers[key].submit(tensors, batch)
    else:
      outputs = await run(servable, signature, tensors)
    return web.json_response(format_outputs(outputs, fmt))

  app = web.Application(middlewares=[errors], client_max_size=int(max_body_bytes))
  app["batchers"] = batchers
  for prefix in ("/v1/models/{name}", "/v1/models/{name}/versions/{version}"):
    app.router.add_get(prefix, get_status)
    app.router.add_get(prefix + "/metadata", get_metadata)
  app.router.add_post("/v1/models/{name}:{verb}", predict)
  app.router.add_post("/v1/models/{name}/versions/{version}:{verb}", predict)
  return app


class BackgroundServer:
  """Runs an app on a free loopback port in a thread (tests, benches): `url`, then `stop()`."""

  def __init__(self, app, host="127.0.0.1"):
    import threading  # pylint: disable=import-outside-toplevel
    self.loop = asyncio.new_event_loop()
    self.runner = web.AppRunner(app)
    started = threading.Event()

    def serve():
      asyncio.set_event_loop(self.loop)
      self.loop.run_until_complete(self.runner.setup())
      site = web.TCPSite(self.runner, host, 0)
      self.loop.run_until_complete(site.start())
      self.port = self.runner.addresses[0][1]
      started.set()
      self.loop.run_forever()

    self.thread = threading.Thread(target=serve, daemon=True)
    self.thread.start()
    if not started.wait(60):
      raise RuntimeError("the server did not start")
    self.url = f"http://{host}:{self.port}"

  def stop(self):
    asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
    self.loop.call_soon_threadsafe(self.loop.stop)
    self.thread.join(30)

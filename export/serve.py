r"""Serves exported SavedModels over TF Serving's REST API (for hosts without tensorflow_model_server).

  python -m export.serve --model_dir=exported [--port=8501] [--batching]
  curl localhost:8501/v1/models/made_digits/metadata
  curl -d '{"signature_name": "log_prob", "instances": [...]}' localhost:8501/v1/models/made_digits:predict

MODEL_DIR holds NAME/VERSION SavedModels (what `python -m export` writes).
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_MODEL_DIR = flags.DEFINE_string("model_dir", "exported", "Folder of NAME/VERSION SavedModels.")
_HOST = flags.DEFINE_string("host", "127.0.0.1", "Address to listen on.")
_PORT = flags.DEFINE_integer("port", 8501, "Port (TF Serving's REST port is 8501).",
                            lower_bound=0, upper_bound=65535)
_BATCHING = flags.DEFINE_boolean("batching", False,
                                 "Group concurrent row-format requests into one call.")
_MAX_BATCH_SIZE = flags.DEFINE_integer("max_batch_size", 64, "Examples in one batched call.",
                                      lower_bound=1)
_BATCH_TIMEOUT_MS = flags.DEFINE_float("batch_timeout_ms", 2.0,
                                       "How long a batch waits for more requests.")
_MAX_BODY_BYTES = flags.DEFINE_integer("max_body_bytes", 16 * 2**20, "Larger bodies get 413.",
                                      lower_bound=1)


def main(argv):
  del argv
  from aiohttp import web  # pylint: disable=import-outside-toplevel
  from export import serve_lib  # pylint: disable=import-outside-toplevel
  models = binary.run_main("export.serve", lambda: serve_lib.load_models(_MODEL_DIR.value))
  for name, versions in models.items():
    print(f"serving {name} version {max(versions)}: "
          f"{', '.join(sorted(versions[max(versions)].signatures))}")
  web.run_app(serve_lib.make_app(models, _BATCHING.value, _MAX_BATCH_SIZE.value,
                                 _BATCH_TIMEOUT_MS.value, _MAX_BODY_BYTES.value),
              host=_HOST.value, port=_PORT.value)


if __name__ == "__main__":
  app.run(main)

"""Reads a TensorBoard log directory with TensorBoard's own loader and prints what it found as JSON:
per run (sub-folder with event files), the file version, and per plugin the tags and their points."""
import glob, json, os, sys

from tensorboard.backend.event_processing import plugin_event_accumulator as pea
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
from tensorboard.util import tensor_util

out = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "events.out.tfevents.*"), recursive=True)):
    run = os.path.relpath(os.path.dirname(path), sys.argv[1])
    # Raw records: TFRecord framing and CRCs are checked by the loader (it raises on corruption).
    events = list(EventFileLoader(path).Load())
    acc = pea.EventAccumulator(os.path.dirname(path))
    acc.Reload()
    plugins = {}
    for plugin in ("scalars", "histograms"):
        if plugin not in acc.ActivePlugins():
            continue
        for tag in acc.PluginTagToContent(plugin):
            plugins.setdefault(plugin, {})[tag] = [
                {"step": e.step, "value": tensor_util.make_ndarray(e.tensor_proto).tolist()} for e in acc.Tensors(tag)
            ]
    out[run] = {
        "file": os.path.basename(path),
        "file_version": events[0].file_version,
        "records": len(events),
        "plugins": plugins,
    }
print(json.dumps(out))

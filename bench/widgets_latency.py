"""Widget latency through jupyter_client: a slider update from the "frontend" → the kernel's observe
callback → the Output widget's update back on iopub, for the deepts kernel and ipykernel with
ipywidgets (the same chain in each). Prints one JSON object: {kernel: {"ms": [...]} | {"error": ...}}.
Usage: python widgets_latency.py RUNS KERNEL... (JUPYTER_PATH must find the deepts kernelspec)
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

SETUP = {
    "deepts": """const s = new widgets.IntSlider({ max: 100000 });
const out = new widgets.Output();
s.observe(({ new: v }) => { out.clear(true); out.appendStdout(`${v}\\n`); });
[s.modelId, out.modelId].join(" ")""",
    "python3": """import ipywidgets as w
s = w.IntSlider(max=100000)
out = w.Output()
def show(change):
    out.outputs = ({"output_type": "stream", "name": "stdout", "text": f"{change['new']}\\n"},)
s.observe(show, "value")
s.model_id + " " + out.model_id""",
}


def result(kc, code):
    msg_id = kc.execute(code)
    text = None
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            text = m["content"]["data"]["text/plain"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return text


def measure(kernel, runs):
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=120)
    try:
        slider, out = result(kc, SETUP[kernel]).strip("'\"").split(" ")
        times = []
        for i in range(1, runs + 1):
            msg = kc.session.msg("comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": i}, "buffer_paths": []}})
            t0 = time.perf_counter()
            kc.shell_channel.send(msg)
            done = False
            while not done:
                m = kc.get_iopub_msg(timeout=30)
                if m["msg_type"] != "comm_msg" or m["content"]["comm_id"] != out:
                    continue
                data = m["content"]["data"]
                outputs = data.get("state", {}).get("outputs")
                done = data.get("method") == "update" and bool(outputs) and outputs[0]["text"] == f"{i}\n"
            times.append((time.perf_counter() - t0) * 1000)
            # let the kernel go idle on this message, as a frontend's throttle does
            while True:
                m = kc.get_iopub_msg(timeout=30)
                if m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg["header"]["msg_id"] and m["content"]["execution_state"] == "idle":
                    break
        return {"ms": times}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


runs = int(sys.argv[1])
out = {}
for kernel in sys.argv[2:]:
    try:
        out[kernel] = measure(kernel, runs)
    except Exception as e:  # a kernel that is missing or fails is reported, the other still measured
        out[kernel] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))

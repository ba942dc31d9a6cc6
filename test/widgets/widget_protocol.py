"""The widget protocol of the deepts kernel, checked as a frontend's widget manager would see it,
against Python's ipywidgets 8.1 in ipykernel as the reference. Prints one JSON line per check and
exits non-zero on the first failure. Needs a Python with ipykernel + ipywidgets + jupyter_client
(the test venv) and JUPYTER_PATH pointing at an installed deepts kernelspec.
"""
import base64
import json
import re
import sys
import time
import uuid

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

REF = re.compile(r"IPY_MODEL_[0-9a-f-]+")


def check(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)[:1500]}), flush=True)
    if not ok:
        sys.exit(1)


def execute(kc, code, timeout=120):
    """Runs code; returns (reply, iopub messages parented by it)."""
    msg_id = kc.execute(code)
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    return reply, msgs


def send_comm(kc, msg_type, content, buffers=None, metadata=None):
    msg = kc.session.msg(msg_type, content, metadata=metadata or {})
    kc.shell_channel.send(msg) if not buffers else kc.session.send(kc.shell_channel.socket, msg, buffers=buffers)
    return msg["header"]["msg_id"]


def until_idle(kc, parent, timeout=30):
    """Iopub messages parented by `parent` until its idle status."""
    msgs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != parent:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return msgs
    raise TimeoutError(f"no idle for {parent}")


def widget_opens(msgs):
    return [m for m in msgs if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"]


def norm(state):
    return json.loads(REF.sub("IPY_MODEL", json.dumps(state)))


def model_states(msgs):
    """model name -> normalised state of each widget opened."""
    return {m["content"]["data"]["state"]["_model_name"]: norm(m["content"]["data"]["state"]) for m in widget_opens(msgs)}


# The same widgets in both languages: (TypeScript, Python).
PAIRS = [
    ('new widgets.IntSlider({ value: 3, min: 1, max: 9, description: "n" })', 'w.IntSlider(value=3, min=1, max=9, description="n")'),
    ("new widgets.FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.01 })", "w.FloatSlider(value=0.5, min=0, max=1, step=0.01)"),
    ("new widgets.FloatLogSlider({ value: 0.001, min: -5, max: -1 })", "w.FloatLogSlider(value=0.001, min=-5, max=-1)"),
    ("new widgets.IntRangeSlider({ value: [2, 8], min: 0, max: 10 })", "w.IntRangeSlider(value=[2, 8], min=0, max=10)"),
    ("new widgets.FloatRangeSlider()", "w.FloatRangeSlider()"),
    ('new widgets.Dropdown({ options: ["relu", "tanh"], value: "tanh", description: "act" })', 'w.Dropdown(options=["relu", "tanh"], value="tanh", description="act")'),
    ('new widgets.RadioButtons({ options: ["a", "b", "c"] })', 'w.RadioButtons(options=["a", "b", "c"])'),
    ('new widgets.ToggleButtons({ options: ["sgd", "adam"] })', 'w.ToggleButtons(options=["sgd", "adam"])'),
    ('new widgets.Select({ options: ["x", "y"] })', 'w.Select(options=["x", "y"])'),
    ('new widgets.SelectionSlider({ options: ["s", "m", "l"] })', 'w.SelectionSlider(options=["s", "m", "l"])'),
    ('new widgets.Checkbox({ value: true, description: "bias" })', 'w.Checkbox(value=True, description="bias")'),
    ("new widgets.ToggleButton()", "w.ToggleButton()"),
    ('new widgets.Text({ value: "hi" })', 'w.Text(value="hi")'),
    ("new widgets.Textarea()", "w.Textarea()"),
    ("new widgets.IntText({ value: 32 })", "w.IntText(value=32)"),
    ("new widgets.FloatText({ value: 0.5 })", "w.FloatText(value=0.5)"),
    ('new widgets.Button({ description: "Go", buttonStyle: "success", icon: "play" })', 'w.Button(description="Go", button_style="success", icon="play")'),
    ("new widgets.Play({ max: 10 })", "w.Play(max=10)"),
    ('new widgets.Label({ value: "x" })', 'w.Label(value="x")'),
    ('new widgets.HTML({ value: "<b>x</b>" })', 'w.HTML(value="<b>x</b>")'),
    ("new widgets.Image()", "w.Image()"),
    ("new widgets.IntProgress({ value: 4, max: 10 })", "w.IntProgress(value=4, max=10)"),
    ("new widgets.FloatProgress()", "w.FloatProgress()"),
    ("new widgets.Output()", "w.Output()"),
    ("new widgets.HBox([new widgets.Label()])", "w.HBox([w.Label()])"),
    ("new widgets.VBox([new widgets.Label()])", "w.VBox([w.Label()])"),
    ('new widgets.Tab([new widgets.Label()], { titles: ["one"] })', 'w.Tab([w.Label()], titles=["one"])'),
    ("new widgets.Accordion([new widgets.Label()])", "w.Accordion([w.Label()])"),
    ('new widgets.IntSlider({ layout: { width: "300px" }, style: { handleColor: "red" } })', 'w.IntSlider(layout={"width": "300px"}, style={"handle_color": "red"})'),
]


def main():
    km, kc = start_new_kernel(kernel_name="deepts", startup_timeout=120)
    pm, pc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        execute(pc, "import ipywidgets as w")
        execute(kc, "1")

        # --- comm_open carries the same models and state as ipywidgets sends --------------------------
        for ts, py in PAIRS:
            _, ours = execute(kc, ts)
            _, theirs = execute(pc, py)
            a, b = model_states(ours), model_states(theirs)
            check(f"state of {ts}", a == b, {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)})
            versions = {m["metadata"].get("version") for m in widget_opens(ours)}
            check(f"protocol version of {ts}", versions == {"2.1.0"}, versions)
            shown = [m for m in ours if m["msg_type"] == "execute_result"][0]["content"]["data"]
            view = shown.get("application/vnd.jupyter.widget-view+json")
            main_id = widget_opens(ours)[-1]["content"]["comm_id"]
            check(f"{ts} displays as a widget view with text", view == {"version_major": 2, "version_minor": 0, "model_id": main_id} and "text/plain" in shown, shown)

        # --- an update from the frontend changes value and fires observe; echo_update; idle ----------
        _, msgs = execute(kc, 'const s = new widgets.IntSlider({ value: 3, max: 20 });\nconst seen: number[] = [];\ns.observe(({ new: v }) => { seen.push(v as number); console.log("observed", v); });\ns')
        sid = widget_opens(msgs)[-1]["content"]["comm_id"]
        parent = send_comm(kc, "comm_msg", {"comm_id": sid, "data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}})
        got = until_idle(kc, parent)
        types = [m["msg_type"] for m in got]
        echo = [m for m in got if m["msg_type"] == "comm_msg" and m["content"]["data"]["method"] == "echo_update"]
        check("an update is echoed (echo_update) with the new state", echo and echo[0]["content"]["data"]["state"] == {"value": 7}, got)
        streams = [m["content"]["text"] for m in got if m["msg_type"] == "stream"]
        check("the observer's output is parented to the comm message", streams == ["observed 7\n"], types)
        check("busy and idle bracket the comm message", types[0] == "status" and types[-1] == "status", types)
        _, msgs = execute(kc, "[s.value, seen]")
        res = [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        check("widget.value and observe saw the frontend's value", res.replace(" ", "") == "[7,[7]]", res)

        # --- assigning value sends an update --------------------------------------------------------
        _, msgs = execute(kc, "s.value = 12;")
        ups = [m["content"] for m in msgs if m["msg_type"] == "comm_msg"]
        check("assigning widget.value sends an update", {"comm_id": sid, "data": {"method": "update", "state": {"value": 12}, "buffer_paths": []}} in ups, ups)
        _, msgs = execute(kc, "s.value = 99;")
        ups = [m["content"]["data"]["state"] for m in msgs if m["msg_type"] == "comm_msg"]
        check("a value past max is clamped as ipywidgets does", ups == [{"value": 20}], ups)

        # --- buffers round-trip ---------------------------------------------------------------------
        _, msgs = execute(kc, "const img = new widgets.Image({ value: new Uint8Array([1, 2, 3]) });\nimg.observe(({ new: v }) => console.log(Array.from(v as Uint8Array).join(',')));\nimg")
        op = widget_opens(msgs)[-1]
        check("binary state travels as a buffer", op["content"]["data"]["buffer_paths"] == [["value"]] and bytes(op["buffers"][0]) == b"\x01\x02\x03", op["content"]["data"])
        iid = op["content"]["comm_id"]
        parent = send_comm(kc, "comm_msg", {"comm_id": iid, "data": {"method": "update", "state": {"value": None}, "buffer_paths": [["value"]]}}, buffers=[b"\x09\x08"])
        got = until_idle(kc, parent)
        echo = [m for m in got if m["msg_type"] == "comm_msg"]
        check("a buffer from the frontend reaches the widget", [m["content"]["text"] for m in got if m["msg_type"] == "stream"] == ["9,8\n"], got)
        check("the echo carries the buffer back", echo and bytes(echo[0]["buffers"][0]) == b"\x09\x08", echo)

        # --- request_state and the control comm's request_states --------------------------------------
        parent = send_comm(kc, "comm_msg", {"comm_id": sid, "data": {"method": "request_state"}})
        got = until_idle(kc, parent)
        full = [m["content"]["data"] for m in got if m["msg_type"] == "comm_msg"]
        check("request_state answers with the full state, parented to the request", full and full[0]["method"] == "update" and full[0]["state"]["value"] == 20 and "_model_name" in full[0]["state"], got)
        ctl = str(uuid.uuid4())
        parent = send_comm(kc, "comm_open", {"comm_id": ctl, "target_name": "jupyter.widget.control", "data": {}}, metadata={"version": "1.0.0"})
        got = until_idle(kc, parent)
        check("the control comm is accepted", not [m for m in got if m["msg_type"] == "comm_close"], got)
        parent = send_comm(kc, "comm_msg", {"comm_id": ctl, "data": {"method": "request_states"}})
        got = until_idle(kc, parent)
        states = [m for m in got if m["msg_type"] == "comm_msg"]
        check("request_states answers with update_states", states and states[0]["content"]["data"]["method"] == "update_states", got)
        data = states[0]["content"]["data"]
        check("update_states has every live widget", sid in data["states"] and iid in data["states"] and data["states"][sid]["state"]["value"] == 20 and data["states"][sid]["model_name"] == "IntSliderModel", list(data["states"])[:5])
        check("update_states buffers are named by model id", [iid, "state", "value"] in data["buffer_paths"], data["buffer_paths"])
        info = kc.comm_info(target_name="jupyter.widget", reply=True)
        check("comm_info lists widget comms by target", sid in info["content"]["comms"], info["content"])
        send_comm(kc, "comm_close", {"comm_id": ctl, "data": {}})

        # --- a handler that throws: an error is shown, the kernel lives on --------------------------
        execute(kc, 'const bad = new widgets.IntSlider();\nbad.observe(() => { throw new Error("observer broke"); });')
        _, msgs = execute(kc, "bad.modelId")
        bid = json.loads([m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"].replace("'", '"'))
        parent = send_comm(kc, "comm_msg", {"comm_id": bid, "data": {"method": "update", "state": {"value": 5}, "buffer_paths": []}})
        got = until_idle(kc, parent)
        err = "".join(m["content"]["text"] for m in got if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
        check("a throwing handler shows its error on stderr", "observer broke" in err, got)
        reply, _ = execute(kc, "1 + 1")
        check("the kernel is alive after a handler threw", reply["content"]["status"] == "ok", reply["content"])

        # --- comm messages are handled while a cell runs ---------------------------------------------
        execute(kc, 'const slow = new widgets.IntSlider();\nlet during = -1;\nslow.observe(({ new: v }) => { during = v as number; });')
        _, msgs = execute(kc, "slow.modelId")
        slow_id = json.loads([m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"].replace("'", '"'))
        run_id = kc.execute("const before = during;\nawait new Promise((r) => setTimeout(r, 1500));\n[before, during]")
        time.sleep(0.5)
        parent = send_comm(kc, "comm_msg", {"comm_id": slow_id, "data": {"method": "update", "state": {"value": 42}, "buffer_paths": []}})
        got = until_idle(kc, parent, timeout=1.2)
        check("a comm message is answered while a cell awaits", any(m["msg_type"] == "comm_msg" for m in got), got)
        result = None
        while result is None:
            m = kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") == run_id and m["msg_type"] == "execute_result":
                result = m["content"]["data"]["text/plain"].replace(" ", "")
        check("the running cell saw the value change", result == "[-1,42]", result)

        # --- comms opened by a client that disconnects are closed ------------------------------------
        execute(kc, 'let closedBy = "";\ncomms.registerTarget("test.per-client", (comm) => { comm.onClose(() => { closedBy = comm.id; }); });')
        other = km.client(session=Session(key=km.session.key, session=str(uuid.uuid4())))
        other.start_channels()
        other.wait_for_ready(timeout=30)
        cid = str(uuid.uuid4())
        msg = other.session.msg("comm_open", {"comm_id": cid, "target_name": "test.per-client", "data": {}})
        other.shell_channel.send(msg)
        deadline = time.time() + 10
        while time.time() < deadline and cid not in kc.comm_info(reply=True)["content"]["comms"]:
            time.sleep(0.1)
        check("a comm a second client opens is listed", cid in kc.comm_info(reply=True)["content"]["comms"])
        other.stop_channels()
        deadline = time.time() + 10
        while time.time() < deadline and cid in kc.comm_info(reply=True)["content"]["comms"]:
            time.sleep(0.2)
        check("its comms are closed when that client disconnects", cid not in kc.comm_info(reply=True)["content"]["comms"])
        _, msgs = execute(kc, "closedBy")
        check("cell code hears the close", cid in [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"], msgs)

        # --- Stop during fit (a frontend with a widget manager opened the control comm above) ---------
        execute(kc, 'const xs = tf.randomNormal([512, 8]);\nconst ys = tf.randomNormal([512, 1]);\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [8], activation: "relu" }), tf.layers.dense({ units: 1 })] });\nm.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });')
        fit_id = kc.execute("const h = await m.fit(xs, ys, { epochs: 400, batchSize: 8 });\nh.epoch.length")
        stop_id = None
        lr_id = None
        deadline = time.time() + 60
        while time.time() < deadline and (stop_id is None or lr_id is None):
            m = kc.get_iopub_msg(timeout=60)
            if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget":
                st = m["content"]["data"]["state"]
                if st.get("description") == "Stop":
                    stop_id = m["content"]["comm_id"]
                if st.get("description") == "learning rate":
                    lr_id = m["content"]["comm_id"]
        check("fit shows a Stop button", stop_id is not None)
        time.sleep(1.0)
        if lr_id:
            send_comm(kc, "comm_msg", {"comm_id": lr_id, "data": {"method": "update", "state": {"value": 0.001}, "buffer_paths": []}})
        send_comm(kc, "comm_msg", {"comm_id": stop_id, "data": {"method": "custom", "content": {"event": "click"}}})
        result = None
        final_panel = None
        t0 = time.time()
        while result is None:
            m = kc.get_iopub_msg(timeout=60)
            if m["parent_header"].get("msg_id") != fit_id:
                continue
            if m["msg_type"] == "update_display_data":
                final_panel = m["content"]["data"]
            if m["msg_type"] == "execute_result":
                result = int(m["content"]["data"]["text/plain"])
        check("Stop ends fit early and fit resolves with the history so far", 0 < result < 400, result)
        check("after training the panel output is the plain panel (no widget view)", final_panel and "text/html" in final_panel and "application/vnd.jupyter.widget-view+json" not in final_panel, final_panel and list(final_panel))
        _, msgs = execute(kc, "m.optimizer!.learningRate")
        lr = [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        check("the learning-rate slider set the optimizer's rate", lr_id is not None and float(lr) == 0.001, lr)
        print(json.dumps({"done": True}), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        pc.stop_channels()
        pm.shutdown_kernel(now=True)


main()

"""A kernel's lifecycle as a Jupyter frontend drives it (jupyter_client's KernelManager): start,
restart, SIGKILL then restart, shutdown while idle, while busy, and while busy in a child
process. Prints one JSON object of figures for the kernelspec named on the command line.

Run: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 lifecycle.py deepts
"""
import json
import os
import signal
import sys
import time

from jupyter_client.manager import KernelManager

NAME = sys.argv[1]
TS = NAME == "deepts"
# Cells in the kernel's language: a value, a child process that outlives the cell, a busy loop,
# a cell that waits on a child process.
CELLS = {
    "value": "6 * 7",
    "spawn": 'require("child_process").spawn("sleep", ["1000"], { stdio: "ignore" }).pid'
    if TS
    else 'import subprocess\nsubprocess.Popen(["sleep", "1000"]).pid',
    "busy": "for (;;) {}" if TS else "while True:\n    pass",
    "child": 'require("child_process").execSync("sleep 1000")' if TS else 'import subprocess\nsubprocess.run(["sleep", "1000"])',
}


def alive(pid):
    """Whether pid runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants(pid):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        for child, ppid in parents.items():
            if ppid == p and child not in found:
                found.append(child)
                frontier.append(child)
    return found


def result(kc, code, timeout=120):
    outputs = []
    kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    for m in outputs:
        if m["header"]["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


def first_cell(km):
    """Seconds from now until a client has the first cell's result."""
    t0 = time.time()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    value = result(kc, CELLS["value"])
    assert value == "42", value
    return kc, time.time() - t0


def wait_gone(pids, limit=30):
    t0 = time.time()
    while any(alive(p) for p in pids) and time.time() - t0 < limit:
        time.sleep(0.02)
    return time.time() - t0


def shutdown(km, kc, busy_cell=None):
    """Shuts the kernel down as a frontend does; the kernel has 15 s to end by itself."""
    pid = km.provisioner.process.pid
    spawned = int(result(kc, CELLS["spawn"]))
    if busy_cell:
        kc.execute(CELLS[busy_cell])
        time.sleep(1.0)
    before = descendants(pid)
    km.shutdown_wait_time = 15.0
    t0 = time.time()
    km.shutdown_kernel(now=False)
    kc.stop_channels()
    wait_gone([pid], 30)
    seconds = time.time() - t0
    left = [p for p in set(before + [spawned]) if alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    return {"seconds": round(seconds, 2), "children_before": len(set(before + [spawned])), "children_left": len(left)}


figures = {}
km = KernelManager(kernel_name=NAME)
t0 = time.time()
km.start_kernel()
kc, _ = first_cell(km)
figures["start_to_first_result_s"] = round(time.time() - t0, 2)

kc.stop_channels()
t0 = time.time()
km.restart_kernel(now=False)
kc, _ = first_cell(km)
figures["restart_to_first_result_s"] = round(time.time() - t0, 2)

pid = km.provisioner.process.pid
os.kill(pid, signal.SIGKILL)
wait_gone([pid])
kc.stop_channels()
t0 = time.time()
km.restart_kernel(now=True)
kc, _ = first_cell(km)
figures["sigkill_then_restart_to_first_result_s"] = round(time.time() - t0, 2)

figures["shutdown_idle"] = shutdown(km, kc)

for cell in ("busy", "child"):
    km = KernelManager(kernel_name=NAME)
    km.start_kernel()
    kc, _ = first_cell(km)
    figures[f"shutdown_{cell}"] = shutdown(km, kc, cell)

print(json.dumps(figures))

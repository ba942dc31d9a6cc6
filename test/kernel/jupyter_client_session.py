"""Drives the installed deepts kernelspec with jupyter_client's KernelManager, as Jupyter frontends do.

Prints one JSON line per check; exits non-zero on the first failure.
Run: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 jupyter_client_session.py
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager


def check(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)[:500]}), flush=True)
    if not ok:
        sys.exit(1)


def run(kc, code, timeout=60, **kw):
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append, **kw)
    return reply, outputs


def result_text(outputs):
    for m in outputs:
        if m["header"]["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


km = KernelManager(kernel_name="deepts")
check("kernelspec found", km.kernel_spec.display_name == "TypeScript (deepts)", km.kernel_spec.display_name)
km.start_kernel()
kc = km.client()
kc.start_channels()
t0 = time.time()
kc.wait_for_ready(timeout=60)
check("ready", True, f"{time.time() - t0:.2f}s")

info = kc.kernel_info(reply=True, timeout=10)
check("kernel_info", info["content"]["language_info"]["name"] == "typescript", info["content"]["language_info"])

reply, outputs = run(kc, "const answer: number = 6 * 7; console.log('hello from ts'); answer")
check("execute ok", reply["content"]["status"] == "ok", reply["content"])
check("stdout", any(m["header"]["msg_type"] == "stream" and "hello from ts" in m["content"]["text"] for m in outputs), outputs)
check("result", result_text(outputs) == "42", result_text(outputs))

reply, outputs = run(kc, "const typo: number = 'not a number'")
check("type error reported", reply["content"]["status"] == "error", reply["content"])

# Interrupt through the kernelspec's interrupt_mode (signal): KernelManager sends SIGINT.
msg_id = kc.execute("while (true) {}")
time.sleep(0.5)
t0 = time.time()
km.interrupt_kernel()
reply = kc.get_shell_msg(timeout=10)
check("interrupt by signal", reply["content"].get("ename") == "InterruptError" and time.time() - t0 < 2, reply["content"])
reply, outputs = run(kc, "answer + 1")
check("state kept after interrupt", result_text(outputs) == "43", result_text(outputs))

check("is_alive", km.is_alive())

# Restart: a new process, state gone.
old_pid = km.provisioner.process.pid
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
new_pid = km.provisioner.process.pid
check("restart gives a new process", new_pid != old_pid, f"{old_pid} -> {new_pid}")
reply, outputs = run(kc, "typeof (globalThis as any).answer")
check("state gone after restart", result_text(outputs) == "'undefined'", result_text(outputs))

kc.stop_channels()
km.shutdown_kernel(now=False)
check("shut down cleanly", not km.is_alive())
print(json.dumps({"done": True}), flush=True)

"""Jupyter kernel conformance (jupyter_kernel_test) for deepts.

Run from test/kernel/conformance.test.ts, or by hand after `deepts install --prefix DIR`:
    JUPYTER_PATH=DIR/share/jupyter /usr/bin/python3 -m unittest -v test_deepts
"""
import unittest

import jupyter_kernel_test as jkt


class DeeptsKernelTests(jkt.KernelTests):
    kernel_name = "deepts"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('something went wrong')"

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const someLongName = 1; someLong", "matches": {"someLongName"}},
    ]

    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1 }", "for (const i of [1]) {}"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {", "`unterminated"]
    invalid_code_samples = ["const = 5;", "}"]

    code_generate_error = "throw new Error('boom')"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2, 3].length", "result": "3"},
    ]

    code_display_data = [
        {"code": "display({ a: 1 })", "mime": "text/plain"},
        {"code": "display({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>hi</b>' } } })", "mime": "text/html"},
    ]

    code_history_pattern = "1 + 2"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "display.clear()"

    code_page_something = "Math.max?"


if __name__ == "__main__":
    unittest.main()

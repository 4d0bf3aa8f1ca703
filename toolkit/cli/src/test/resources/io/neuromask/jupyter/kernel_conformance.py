"""Jupyter's own kernel test suite (jupyter_kernel_test, Debian python3-jupyter-kernel-test) on the 'neuromask-java'
kernel. Used by KernelConformanceNotebookTest; run alone with JUPYTER_PATH pointing at an installed spec:

    /usr/bin/python3 kernel_conformance.py [kernel-name]

Prints unittest's verbose report, then one JSON line {"passed": [...], "failed": {...}, "skipped": [...]}.
Every message is validated against the messaging protocol's schema (msgspec_v5) by the suite itself.
"""
import json
import os
import sys
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

KERNEL = sys.argv[1] if len(sys.argv) > 1 else "neuromask-java"
IMAGE = ("io.neuromask.notebook.Show.image(new java.awt.image.BufferedImage(8, 8, "
         "java.awt.image.BufferedImage.TYPE_INT_RGB));")


class JavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "java"

    @classmethod
    def setUpClass(cls):
        # a JVM kernel needs longer than the suite's default to start on 2 busy cores
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=120)
        # warm up: the first cell compiles JShell's wrappers and loads the toolkit (not what is tested)
        cls.kc.execute_interactive('io.neuromask.notebook.Show.text("warm-up");', timeout=120)

    code_hello_world = 'System.out.print("hello, world");'
    code_stderr = 'System.err.print("oops");'
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"ab\".repeat(2)", "result": "abab"},
    ]
    code_display_data = [
        {"code": 'io.neuromask.notebook.Show.html("<b>bold</b>");', "mime": "text/html"},
        {"code": IMAGE, "mime": "image/png"},
    ]
    complete_code_samples = ["int x = 1;", "1 + 1", "System.out.println(1);"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int y = (1 +"]

    def test_every_bundle_has_text_plain(self):
        """Every execute_result and display_data carries text/plain (the protocol's fallback for all front ends)."""
        codes = [s["code"] for s in self.code_execute_result] + [s["code"] for s in self.code_display_data]
        for code in codes:
            with self.subTest(code=code):
                self.flush_channels()
                reply, outputs = self.execute_helper(code)
                self.assertEqual(reply["content"]["status"], "ok")
                bundles = [m for m in outputs if m["msg_type"] in ("execute_result", "display_data")]
                self.assertGreaterEqual(len(bundles), 1, "no execute_result/display_data for " + code)
                for m in bundles:
                    self.assertIn("text/plain", m["content"]["data"], m["msg_type"] + " of " + code)


class Recorder(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed, self.failed, self.skipped_names = [], {}, []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed.append(test._testMethodName)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.failed[test._testMethodName] = self._exc_info_to_string(err, test)

    def addError(self, test, err):
        super().addError(test, err)
        self.failed[getattr(test, "_testMethodName", str(test))] = self._exc_info_to_string(err, test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.skipped_names.append(test._testMethodName)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            name = test._testMethodName
            kind = "skip" if issubclass(err[0], unittest.SkipTest) else "fail"
            if kind == "fail":
                self.failed[name] = self.failed.get(name, "") + str(subtest) + ": " + \
                    self._exc_info_to_string(err, test)


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(JavaKernelTests)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=Recorder).run(suite)
    # a test whose subtests failed is reported by addSubTest, not addFailure; it is not a pass
    passed = [n for n in result.passed if n not in result.failed]
    print(json.dumps({"passed": sorted(set(passed)), "failed": result.failed,
                      "skipped": sorted(set(result.skipped_names))}), flush=True)
    sys.stdout.flush()
    os._exit(0 if result.wasSuccessful() else 1)

// Runs MVVM's component, transpiled to JavaScript by jco (`make jco` writes it to
// tests/jco/out/), under Node.js with preview2-shim as the WASI host:
//
//     node tests/jco/run.mjs [mvvm options] program [args...]
//
// The guest sees the host's whole file tree (like `wasmtime run --dir /::/`) and
// starts in the current directory. The process exits with the guest's exact status,
// read from the component's `mvvm:vm/status` export.
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { _setArgs, _setEnv } from "@bytecodealliance/preview2-shim/cli";

_setPreopens({ "/": "/" });
_setArgs(["mvvm", ...process.argv.slice(2)]);
_setEnv({ ...process.env, PWD: process.cwd() });

const { run, status } = await import("./out/mvvm.js");
try {
  run.run();
} catch {
  // A non-zero status comes back as run's error; the status export has it exactly.
}
process.exitCode = status.exitStatus();

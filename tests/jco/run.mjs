// Runs MVVM's component, transpiled to JavaScript by jco (`make jco` writes it to
// tests/jco/out/), under Node.js with preview2-shim as the WASI host:
//
//     node tests/jco/run.mjs [mvvm options] program [args...]
//
// The guest sees the host's whole file tree (like `wasmtime run --dir /::/`) and
// starts in the current directory. The process exits with the guest's exact status,
// read from the component's `mvvm:vm/status` export.
//
// Three settings adapt preview2-shim 0.26 to what wasmtime does (they are the host's
// configuration, not MVVM's): it reports every standard stream as a terminal, so
// terminals are set here only where Node.js has one (a guest's libc line-buffers a
// terminal); it refuses `open-at` with the `mutate-directory` flag, which wasi-libc
// passes whenever it opens a file for writing (wasmtime accepts it), so the flag is
// dropped; and its preopened directories have no flags, so `access(W_OK)` fails in
// wasi-libc: they get the read and mutate-directory flags wasmtime's `--dir` gives.
import { _setPreopens, types } from "@bytecodealliance/preview2-shim/filesystem";
import {
  _setArgs,
  _setEnv,
  _setTerminalStdin,
  _setTerminalStdout,
  _setTerminalStderr,
} from "@bytecodealliance/preview2-shim/cli";

_setPreopens({ "/": "/" });
_setArgs(["mvvm", ...process.argv.slice(2)]);
_setEnv({ ...process.env, PWD: process.cwd() });
if (!process.stdin.isTTY) _setTerminalStdin(undefined);
if (!process.stdout.isTTY) _setTerminalStdout(undefined);
if (!process.stderr.isTTY) _setTerminalStderr(undefined);
const getFlags = types.Descriptor.prototype.getFlags;
types.Descriptor.prototype.getFlags = function () {
  return getFlags.call(this) ?? { read: true, mutateDirectory: true };
};
const openAt = types.Descriptor.prototype.openAt;
types.Descriptor.prototype.openAt = function (pathFlags, path, openFlags, flags) {
  return openAt.call(this, pathFlags, path, openFlags, { ...flags, mutateDirectory: false });
};

const { run, status } = await import("./out/mvvm.js");
try {
  run.run();
} catch {
  // A non-zero status comes back as run's error; the status export has it exactly.
}
process.exitCode = status.exitStatus();

# Python's subprocess running riscv64 programs: this interpreter again (argv, exit
# status, piped stdin and stdout), a /bin/sh (dash) pipeline into coreutils, a timeout.
import subprocess, sys

child = subprocess.run([sys.executable, "-c", "import sys; print('child says', sys.argv[1:]); sys.exit(3)", "a", "b"],
                       capture_output=True, text=True)
print(child.stdout.strip(), "status", child.returncode)
echo = subprocess.run([sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"],
                      input="piped through a child\n", capture_output=True, text=True)
print(echo.stdout.strip())
sorted_out = subprocess.run("printf 'b\\na\\nc\\n' | sort | tr '\\n' ' '",
                            shell=True, capture_output=True, text=True)
print(sorted_out.stdout.strip())
try:
    subprocess.run(["/usr/bin/sleep", "5"], timeout=0.2)
except subprocess.TimeoutExpired as e:
    print("timed out:", e.cmd)
p = subprocess.Popen(["/usr/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(b"x" * 200000)
print("cat echoed", len(out), "bytes, status", p.returncode)

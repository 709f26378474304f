# Python: the standard library's pure and C parts (hashlib, json, re, struct,
# datetime, collections), threads, fork with a pipe, files. (Programs it runs:
# python-processes.py.)
import collections, datetime, hashlib, json, os, re, struct, tempfile, threading

print("== hashing and encoding")
print(hashlib.sha256(b"mvvm").hexdigest())
print(hashlib.md5(b"The quick brown fox").hexdigest())
print(hashlib.sha1(b"x" * 100000).hexdigest()[:16])
doc = {"name": "mvvm", "isa": ["rv64i", "m", "a", "f", "d", "c"], "ok": True, "n": 1.5e3}
text = json.dumps(doc, sort_keys=True)
print(text)
print(json.loads(text) == doc)
print(struct.pack("<IhQ", 0xDEADBEEF, -2, 1 << 40).hex())
print(struct.unpack(">d", bytes.fromhex("400921fb54442d18"))[0])

print("== text")
log = "2026-11-24 error disk=sda1 code=17; 2026-11-25 warn disk=sdb code=4"
for date, level, disk, code in re.findall(r"(\S+) (\w+) disk=(\w+) code=(\d+)", log):
    print(date, level.upper(), disk, int(code) * 2)
print(re.sub(r"(?P<w>\b\w)(\w*)", lambda m: m.group("w").upper() + m.group(2), "hello wide world"))
words = "the cat and the hat and the bat".split()
print(collections.Counter(words).most_common(2))
print(datetime.date(2024, 2, 28) + datetime.timedelta(days=2))
print(f"{2**100} {10/3:.6f} {sum(range(10**6))}")

print("== threads")
counter = 0
lock = threading.Lock()
def work(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
threads = [threading.Thread(target=work, args=(2000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter", counter)
results = {}
def square(i):
    results[i] = i * i
ts = [threading.Thread(target=square, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(sorted(results.items()))

print("== fork")
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, b"hello from the forked child")
    os._exit(9)
os.close(w)
data = os.read(r, 100)
_, status = os.waitpid(pid, 0)
print(data.decode(), "exit", os.waitstatus_to_exitcode(status))

print("== files")
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "data.txt")
    with open(path, "w") as f:
        f.writelines(f"line {i}\n" for i in range(5))
    with open(path) as f:
        print(f.read().splitlines()[-1], os.path.getsize(path), sorted(os.listdir(d)))

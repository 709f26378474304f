-- Lua 5.4 running riscv64 children: io.popen through /bin/sh (dash) into
-- coreutils, os.execute statuses, a child lua reading what the parent writes.
local p = assert(io.popen("printf 'b\\na\\n' | sort"))
print((p:read("a"):gsub("\n", " ")))
print(p:close())
print(os.execute("exit 3"))
print(os.execute("kill -TERM $$"))
local w = assert(io.popen('/usr/bin/lua5.4 -e "io.write(io.read([[a]]):upper())"', "w"))
w:write("written to a child lua\n")
print(w:close())
local lines = {}
for line in io.popen("seq 3 | tac"):lines() do lines[#lines + 1] = line end
print(table.concat(lines, " "))

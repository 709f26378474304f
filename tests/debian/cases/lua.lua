-- Lua 5.4: tables, closures, coroutines, string patterns, integer and float
-- arithmetic, metatables, errors, files. (Child processes: lua-processes.lua.)
print("== tables")
local fruit = { "pear", "apple", "fig", "kiwi" }
table.sort(fruit)
print(table.concat(fruit, ","))
table.sort(fruit, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(fruit, ","))
local count = {}
for w in ("a b a c b a"):gmatch("%a") do count[w] = (count[w] or 0) + 1 end
local keys = {}
for k in pairs(count) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", count[k], " ") end
print()

print("== numbers")
print(7 // 2, 7 % -3, 2 ^ 10, 7 / 2, math.maxinteger, math.mininteger // -1)
print(string.format("%.10f %5.2e %x %q", math.pi, 12345.678, 255, 1 / 3))
print(math.tointeger(3.0), 3 | 5, 6 & 3, 1 << 62, ~0, 0x7fffffffffffffff + 1)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(25) =", fib(25))

print("== closures and coroutines")
local function counter(n) return function() n = n + 1; return n end end
local c = counter(10)
print(c(), c(), c())
local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i * i) end
  return "done"
end)
print(gen(), gen(), gen(), gen())
local co = coroutine.create(function(a, b)
  local c2 = coroutine.yield(a + b)
  return c2 * 2
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 21))
print(coroutine.status(co))

print("== metatables and errors")
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({ x = a.x + b.x, y = a.y + b.y }, V) end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
local v = setmetatable({ x = 1, y = 2 }, V) + setmetatable({ x = 10, y = 20 }, V)
print(tostring(v))
print(type(select(2, pcall(function() error({ code = 42 }) end))))
print(select(2, pcall(function() error({ code = 42 }) end)).code)
print(pcall(function() return nil + 1 end))

print("== strings")
print(("Hello World"):upper(), ("Hello World"):rep(2, "|"), ("abc"):byte(1, -1))
print(("key = value # comment"):match("^(%w+)%s*=%s*(%w+)"))
print(("2026-11-24"):gsub("(%d+)-(%d+)-(%d+)", "%3/%2/%1"))
print(utf8.char(72, 228, 8364), utf8.len("Hä€"))

print("== files")
local path = os.tmpname()
local f = assert(io.open(path, "w"))
for i = 1, 3 do f:write("row ", i, "\n") end
f:close()
local n = 0
for line in io.lines(path) do n = n + 1 end
print(n, "rows")
os.remove(path)
print(io.open(path) == nil)

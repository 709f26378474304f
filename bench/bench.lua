-- Lua workload for `make bench`: `lua bench.lua SCALE`. Ordinary interpreter work
-- (tables, strings and patterns, closures, floating point, the garbage collector,
-- sorting), each part folded into one checksum line that every engine must print
-- identically. No pcall/error and no coroutines: the wasm32-wasi build of Lua has
-- no setjmp/longjmp, so a Lua error aborts it (bench/wasi/setjmp.h).
local scale = tonumber(... or "1")

-- Binary trees: allocation and the garbage collector.
local function tree(d)
  if d == 0 then return {} end
  d = d - 1
  return { tree(d), tree(d) }
end
local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 1
end
local function trees(maxd)
  local sum = check(tree(maxd + 1))
  local long = tree(maxd)
  for d = 4, maxd, 2 do
    for _ = 1, 2 ^ (maxd - d + 4) do sum = sum + check(tree(d)) end
  end
  return sum + check(long)
end

-- N-body: floating point on table fields.
local function nbody(steps)
  local pi, days = math.pi, 365.24
  local sm = 4 * pi * pi
  local function body(x, y, z, vx, vy, vz, m)
    return { x = x, y = y, z = z, vx = vx * days, vy = vy * days, vz = vz * days, m = m * sm }
  end
  local b = {
    body(0, 0, 0, 0, 0, 0, 1),
    body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04),
    body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04),
    body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05),
    body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05),
  }
  local n = #b
  for _ = 1, steps do
    for i = 1, n do
      local bi = b[i]
      for j = i + 1, n do
        local bj = b[j]
        local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = 0.01 / (d2 * math.sqrt(d2))
        local bm, bjm = bi.m * mag, bj.m * mag
        bi.vx, bi.vy, bi.vz = bi.vx - dx * bjm, bi.vy - dy * bjm, bi.vz - dz * bjm
        bj.vx, bj.vy, bj.vz = bj.vx + dx * bm, bj.vy + dy * bm, bj.vz + dz * bm
      end
    end
    for i = 1, n do
      local bi = b[i]
      bi.x, bi.y, bi.z = bi.x + 0.01 * bi.vx, bi.y + 0.01 * bi.vy, bi.z + 0.01 * bi.vz
    end
  end
  local e = 0
  for i = 1, n do
    local bi = b[i]
    e = e + 0.5 * bi.m * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz)
    for j = i + 1, n do
      local bj = b[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      e = e - bi.m * bj.m / math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

-- Strings: formatting, concatenation, patterns, gsub with a function, word counts.
local function strings(lines)
  local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" }
  local parts = {}
  for i = 1, lines do
    parts[#parts + 1] = string.format("%d:%s-%s=%x;", i, words[i % 8 + 1], words[(i * 7) % 8 + 1], i * 2654435761 % 65536)
  end
  local text = table.concat(parts, " ")
  local counts, total = {}, 0
  for w in text:gmatch("%a+") do
    counts[w] = (counts[w] or 0) + 1
    total = total + #w
  end
  local upper = text:gsub("(%a+)-(%a+)", function(a, b) return b:upper() .. "+" .. a end)
  local hex = 0
  for h in upper:gmatch("=(%x+);") do hex = hex + tonumber(h, 16) end
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  local acc = 0
  for i, k in ipairs(keys) do acc = acc + i * counts[k] end
  return total + hex + acc + #upper + select(2, text:gsub("a", "a"))
end

-- Closures and higher-order functions over arrays; sort with a comparator.
local function closures(n)
  local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
  local function filter(t, f) local r = {} for i = 1, #t do if f(t[i]) then r[#r + 1] = t[i] end end return r end
  local function reduce(t, f, a) for i = 1, #t do a = f(a, t[i]) end return a end
  local function counter() local c = 0 return function(k) c = c + k return c end end
  local t = {}
  local seed = 42
  for i = 1, n do
    seed = (seed * 1103515245 + 12345) % 2147483648
    t[i] = seed % 100000
  end
  local ctr = counter()
  local sq = map(t, function(x) return x * x % 9973 end)
  local odd = filter(sq, function(x) ctr(1) return x % 2 == 1 end)
  table.sort(odd, function(a, b) return a > b end)
  local s = reduce(odd, function(a, x) return (a * 31 + x) % 1000000007 end, 0)
  return s + ctr(0) + odd[1] + odd[#odd]
end

local a = trees(9 + scale)
local b = nbody(10000 * scale)
local c = strings(5000 * scale)
local d = closures(25000 * scale)
print(string.format("lua %d -> %d %.9f %d %d", scale, a, b, c, d))

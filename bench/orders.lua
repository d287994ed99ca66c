-- wrk script: POST /orders with a bearer token, each body rotating over products and clients.
--
--   WRK_TOKEN=... WRK_PRODUCTS=products.txt WRK_CLIENTS=clients.txt WRK_ITEMS=3 \
--     wrk -t2 -c32 -d20s -s bench/orders.lua http://127.0.0.1:5000
--
-- WRK_PRODUCTS / WRK_CLIENTS: files with one UUID a line. Every order has WRK_ITEMS lines of
-- distinct products, one unit each. At the end one line "BENCH_JSON {...}" gives the counts by
-- status, errors and latency percentiles (microseconds) for bench/intake.py to read, and
-- "BENCH_SAMPLE ..." lines show the first failed response of each thread.

local token = os.getenv("WRK_TOKEN") or ""
local path = os.getenv("WRK_PATH") or "/api/v1/orders"
local items = tonumber(os.getenv("WRK_ITEMS") or "3")

local function read_lines(name)
  local lines = {}
  for line in io.lines(name) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

local products = read_lines(os.getenv("WRK_PRODUCTS"))
local clients = read_lines(os.getenv("WRK_CLIENTS"))

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  -- Threads start far apart in the rotation, so they do not order the same products in step.
  counter = id * 7919
  statuses = {}
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function request()
  counter = counter + 1
  local lines = {}
  for k = 0, items - 1 do
    local product = products[((counter * items + k) % #products) + 1]
    lines[#lines + 1] = '{"product_id":"' .. product .. '","quantity":1}'
  end
  local client = clients[(counter % #clients) + 1]
  local body = '{"client_id":"' .. client .. '","items":[' .. table.concat(lines, ",") .. ']}'
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and sample == nil then
    sample = status .. " " .. string.sub(body or "", 1, 400)  -- what went wrong, for the report
  end
end

function done(summary, latency, requests)
  local parts = {}
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
    local failed = thread:get("sample")
    if failed then io.write("BENCH_SAMPLE " .. string.gsub(failed, "\n", " ") .. "\n") end
  end
  for status, count in pairs(counts) do
    parts[#parts + 1] = '"' .. status .. '":' .. count
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"statuses":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.duration, summary.requests, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end

-- wrk script for bench/http.ts: requests the paths listed one per line in the file named
-- by WRK_PATHS, round-robin (each thread starting at its own offset), and prints one JSON
-- line of figures at the end. With WRK_COUNT_CACHE=1 it also counts X-Cache HIT and MISS
-- answers (that costs a Lua call per response, so it is off for throughput runs).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local count_cache = os.getenv("WRK_COUNT_CACHE") == "1"
local threads = {}
local thread_id = 0

function setup(thread)
  thread:set("offset", thread_id * 7919)
  thread_id = thread_id + 1
  threads[#threads + 1] = thread
end

function init(args)
  i = offset
  hits = 0
  misses = 0
  other = 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

if count_cache then
  function response(status, headers, body)
    local x = headers["x-cache"] or headers["X-Cache"]
    if x == "HIT" then hits = hits + 1 elseif x == "MISS" then misses = misses + 1 else other = other + 1 end
  end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits")
    m = m + t:get("misses")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"hits":%d,"misses":%d,"noCacheHeader":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, h, m, o))
end

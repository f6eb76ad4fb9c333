-- wrk.lua — the request script of `make bench` (tests/bench/run), for
-- `wrk -s`. Settings come from the environment:
--
--   BENCH_PATHS   request targets separated by spaces, taken in turn
--                 (each thread starts at a different one)
--   BENCH_COOKIE  "name=value": a Cookie header on every request
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    POST: the JSON body; every "@N" in it becomes a number
--                 unique to the request, so that each POST really writes
--   BENCH_CSRF    POST: the X-CSRF-Token header (the session's token)
--   BENCH_ORIGIN  POST: the Origin header (the stack's base_url)
--   BENCH_INM     GET: an If-None-Match header (the conditional rows)
--   BENCH_IF_MATCH  POST: an If-Match header (the autosave row)
--   BENCH_PATHS_FILE  POST: more targets, one per line, after BENCH_PATHS;
--                 each thread takes every BENCH_THREADS-th of them once
--                 (the autosave row: no answer is saved twice)
--   BENCH_THREADS the number of wrk threads (for BENCH_PATHS_FILE)
--
-- done() prints one line for the driver to read:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N errors_connect=N
--   errors_read=N errors_write=N errors_status=N errors_timeout=N
-- (errors_status counts answers other than 2xx and 3xx).

-- Each thread's number, as the global `tid` in its own Lua state.
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

local paths = {}
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local headers = {}
local prepared = {}
local i = 0
local n = 0

function init(args)
   for p in string.gmatch(os.getenv("BENCH_PATHS") or "", "%S+") do
      table.insert(paths, p)
   end
   if #paths == 0 then
      table.insert(paths, wrk.path)
   end
   local cookie = os.getenv("BENCH_COOKIE")
   if cookie and cookie ~= "" then
      headers["Cookie"] = cookie
   end
   local inm = os.getenv("BENCH_INM")
   if inm and inm ~= "" then
      headers["If-None-Match"] = inm
   end
   local im = os.getenv("BENCH_IF_MATCH")
   if im and im ~= "" then
      headers["If-Match"] = im
   end
   -- A paths file replaces BENCH_PATHS: this thread's share of its lines.
   local file = os.getenv("BENCH_PATHS_FILE")
   if file and file ~= "" then
      local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
      local k = 0
      paths = {}
      for line in io.lines(file) do
         if k % nthreads == (tid or 0) then
            table.insert(paths, line)
         end
         k = k + 1
      end
   end
   if method == "POST" then
      headers["Content-Type"] = "application/json"
      headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
      headers["Origin"] = os.getenv("BENCH_ORIGIN")
   else
      -- A GET never changes: format each target once.
      for k, p in ipairs(paths) do
         prepared[k] = wrk.format(method, p, headers)
      end
   end
   i = (tid or 0) * 7
   if file and file ~= "" then
      i = 0
   end
end

function request()
   i = i % #paths + 1
   if method ~= "POST" then
      return prepared[i]
   end
   n = n + 1
   local b = string.gsub(body or "{}", "@N", (tid or 0) .. "-" .. n)
   return wrk.format(method, paths[i], headers, b)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%.0f "
      .. "p99_us=%.0f errors_connect=%d errors_read=%d errors_write=%d "
      .. "errors_status=%d errors_timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50),
      latency:percentile(99), e.connect, e.read, e.write, e.status,
      e.timeout))
end

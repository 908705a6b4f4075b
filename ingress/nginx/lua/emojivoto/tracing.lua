-- Starts (or, with TRUST_INCOMING_TRACE, continues) the trace of every request, decides sampling,
-- sets the trace context on the request forwarded to web-svc (B3 multi-headers, or with PROPAGATION=w3c
-- a W3C traceparent), and hands the finished span of a sampled request to the reporter. Every phase handler is wrapped in pcall: a bug or bad input
-- here is logged and counted, never turned into a failed request.
local ffi = require("ffi")
local config = require("emojivoto.config")
local reporter = require("emojivoto.reporter")
local counters = require("emojivoto.counters")
local switches = require("emojivoto.switches")

local ngx = ngx
local byte, format, concat = string.byte, string.format, table.concat

ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } emojivoto_timespec;
  int clock_gettime(int clock_id, emojivoto_timespec *tp);
]]
local CLOCK_REALTIME = 0
local ts = ffi.new("emojivoto_timespec")

local _M = {}

local urandom

-- Microseconds since the epoch: nginx's own clock has millisecond resolution only.
local function now_micros()
  ffi.C.clock_gettime(CLOCK_REALTIME, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

function _M.init_worker()
  -- Ids come from the kernel's CSPRNG through a per-worker buffered handle: unique across
  -- workers and restarts without any seeding, and cheap per request.
  urandom = assert(io.open("/dev/urandom", "rb"))
end

local function hex(bytes)
  local out = {}
  for i = 1, #bytes do
    out[i] = format("%02x", byte(bytes, i))
  end
  return concat(out)
end

-- 16 bytes of trace id, 8 of span id, 4 for the sampling draw.
local function fresh_ids()
  local r = urandom:read(28)
  local draw = ((byte(r, 25) * 256 + byte(r, 26)) * 256 + byte(r, 27)) * 256 + byte(r, 28)
  return hex(r:sub(1, 16)), hex(r:sub(17, 24)), draw / 4294967296
end

local ZERO = "^0+$"

local function valid_trace_id(id)
  return id and (#id == 32 or #id == 16) and id:find("^[0-9a-f]+$") and not id:find(ZERO)
end

local function valid_span_id(id)
  return id and #id == 16 and id:find("^[0-9a-f]+$") and not id:find(ZERO)
end

-- A B3 sampling state: true (accept or debug), false (deny), nil (defer or absent).
local SAMPLING = { ["1"] = true, ["d"] = true, ["true"] = true, ["0"] = false, ["false"] = false }

local function first(value)
  if type(value) == "table" then
    return value[1]
  end
  return value
end

-- The incoming context, when trust is on: single b3 first (B3 spec), then multi, then W3C.
-- Returns trace_id, parent_id, sampled (true/false/nil = no decision), or nil when absent/invalid.
local function incoming(headers)
  local b3 = first(headers["b3"])
  if b3 then
    local t, s, rest = b3:match("^(%x+)%-(%x+)(.*)$")
    if valid_trace_id(t) and valid_span_id(s) then
      return t, s, SAMPLING[rest:match("^%-([01d])") or ""]
    end
    return nil
  end
  local t, s = first(headers["x-b3-traceid"]), first(headers["x-b3-spanid"])
  if t or s then
    if valid_trace_id(t) and valid_span_id(s) then
      if first(headers["x-b3-flags"]) == "1" then
        return t, s, true -- debug implies accept
      end
      return t, s, SAMPLING[first(headers["x-b3-sampled"]) or ""]
    end
    return nil
  end
  local tp = first(headers["traceparent"])
  if tp then
    local v, tid, pid, fl = tp:match("^(%x%x)%-(%x+)%-(%x+)%-(%x%x)$")
    if v == "00" and tid and #tid == 32 and valid_trace_id(tid) and valid_span_id(pid) then
      return tid, pid, (tonumber(fl, 16) % 2) == 1
    end
  end
  return nil
end

local TRACE_HEADERS = { "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags",
                        "b3", "traceparent", "tracestate" }

-- The context forwarded to web-svc, in the format the pipeline speaks: B3 multi-headers, or a
-- W3C traceparent (version 00; a 64-bit B3 trace id continued under trust is widened to 128 bits).
local function forward(trace_id, span_id, parent_id, sampled, tracestate)
  if config.propagation == "w3c" then
    local trace128 = #trace_id == 16 and ("0000000000000000" .. trace_id) or trace_id
    ngx.req.set_header("traceparent", "00-" .. trace128 .. "-" .. span_id .. (sampled and "-01" or "-00"))
    if tracestate then
      ngx.req.set_header("tracestate", tracestate) -- a continued context's vendor state goes on untouched
    end
    return
  end
  ngx.req.set_header("X-B3-TraceId", trace_id)
  ngx.req.set_header("X-B3-SpanId", span_id)
  if parent_id then
    ngx.req.set_header("X-B3-ParentSpanId", parent_id)
  end
  ngx.req.set_header("X-B3-Sampled", sampled and "1" or "0")
end

local function access()
  local trace_id, span_id, draw = fresh_ids()
  local parent_id, sampled, tracestate
  local headers = ngx.req.get_headers(100)
  if config.trust_incoming then
    local t, p, s = incoming(headers)
    if t then
      trace_id, parent_id, sampled = t, p, s
      tracestate = first(headers["tracestate"])
    end
  end
  if sampled == nil then
    sampled = draw < switches.sample_rate() -- the rate in force now: SAMPLE_RATE, or the switch's value
  end
  -- Replace whatever trace context came in: a client cannot force sampling or join a trace
  -- unless trust is on, and downstream sees exactly one context, ours.
  for _, name in ipairs(TRACE_HEADERS) do
    ngx.req.clear_header(name)
  end
  forward(trace_id, span_id, parent_id, sampled, tracestate)

  ngx.ctx.trace = { trace_id = trace_id, span_id = span_id, parent_id = parent_id, sampled = sampled,
                    start = now_micros() }
  ngx.var.b3_trace_id = trace_id
  ngx.var.b3_sampled = sampled and "1" or "0"
  counters.incr("requests")
  if sampled then
    counters.incr("sampled")
  end
end

-- The trace id on the response, where the UI and `check` read it: X-B3-TraceId and X-B3-Sampled, or
-- with w3c the W3C traceresponse header (00-trace-span-flags). The ingress's own wins over web-svc's.
local function header_filter()
  local trace = ngx.ctx.trace
  if not trace then
    return
  end
  if config.propagation == "w3c" then
    local trace128 = #trace.trace_id == 16 and ("0000000000000000" .. trace.trace_id) or trace.trace_id
    ngx.header["traceresponse"] = "00-" .. trace128 .. "-" .. trace.span_id .. (trace.sampled and "-01" or "-00")
  else
    ngx.header["X-B3-TraceId"] = trace.trace_id
    ngx.header["X-B3-Sampled"] = trace.sampled and "1" or "0"
  end
end

-- Who sent the request, as a tag a person can search for: the vote-bot says so in its User-Agent,
-- a browser's says Mozilla; anything else (curl, a load tool) is "other".
local function client_kind(user_agent)
  if not user_agent then
    return "other"
  elseif user_agent:find("^emojivoto%-vote%-bot") then
    return "vote-bot"
  elseif user_agent:find("Mozilla/", 1, true) then
    return "browser"
  end
  return "other"
end

local function log()
  local trace = ngx.ctx.trace
  if not trace or not trace.sampled then
    return
  end
  local status = ngx.status
  local method = ngx.req.get_method()
  local path = ngx.var.uri
  local user_agent = ngx.var.http_user_agent
  local tags = {
    ["http.method"] = method,
    ["http.path"] = path,
    ["http.status_code"] = tostring(status),
    ["http.host"] = ngx.var.host,
    ["client"] = client_kind(user_agent),
    ["client.address"] = ngx.var.remote_addr,
  }
  if user_agent then
    tags["http.user_agent"] = user_agent:sub(1, 200)
  end
  local upstream_addr = ngx.var.upstream_addr
  if upstream_addr then
    tags["upstream.address"] = upstream_addr
    tags["upstream.response_time_s"] = ngx.var.upstream_response_time
  end
  if status >= 500 then
    tags["error"] = tostring(status)
  end
  local span = {
    traceId = trace.trace_id,
    id = trace.span_id,
    parentId = trace.parent_id,
    kind = "SERVER",
    name = method .. " " .. path,
    timestamp = trace.start,
    duration = math.max(1, now_micros() - trace.start),
    localEndpoint = { serviceName = config.service_name },
    remoteEndpoint = { ipv4 = ngx.var.remote_addr, port = tonumber(ngx.var.remote_port) },
    tags = tags,
  }
  reporter.enqueue(span)
end

local function guarded(name, fn)
  return function()
    local ok, err = pcall(fn)
    if not ok then
      counters.incr("lua_errors")
      ngx.log(ngx.ERR, "emojivoto tracing ", name, " failed: ", err)
    end
  end
end

_M.access = guarded("access", access)
_M.header_filter = guarded("header_filter", header_filter)
_M.log = guarded("log", log)

return _M

-- Starts (or, with TRUST_INCOMING_TRACE, continues) the trace of every request, decides sampling,
-- sets the trace context on the request forwarded to web-svc (B3 multi-headers, or with TRACE_PROPAGATION=w3c
-- a W3C traceparent) and the learner's baggage, and hands the finished span of a sampled request to the reporter. Every phase handler is wrapped in pcall: a bug or bad input
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

-- W3C trace-flags bits: sampled, and Trace Context Level 2's random-trace-id (the trace id's right
-- 7 bytes are random). Other bits are reserved, and a version-00 writer does not send them.
local SAMPLED_FLAG, RANDOM_FLAG = 1, 2

-- The W3C traceparent, as Trace Context (section 3.2) tells a receiver to read it: the version two
-- lowercase hex digits but ff; version 00 exactly 55 characters; a later version read as far as 00
-- defines it, anything it adds after a '-'. Returns trace id, parent id and flags (a number), or nil.
local function read_traceparent(tp)
  local version = tp:sub(1, 2)
  if #tp < 55 or not version:find("^[0-9a-f][0-9a-f]$") or version == "ff" then
    return nil
  end
  if (version == "00" and #tp ~= 55) or (#tp > 55 and tp:sub(56, 56) ~= "-") then
    return nil
  end
  local tid, pid, flags = tp:sub(1, 55):match("^%x%x%-([0-9a-f]+)%-([0-9a-f]+)%-([0-9a-f][0-9a-f])$")
  if tid and #tid == 32 and valid_trace_id(tid) and valid_span_id(pid) then
    return tid, pid, tonumber(flags, 16)
  end
  return nil
end

-- A tracestate key: a lowercase letter and up to 255 of a-z 0-9 _ - * /; or tenant@system.
local KEY_CHARS = "[a-z0-9_%-%*/]"
local function valid_key(key)
  local tenant, system = key:match("^([^@]*)@([^@]*)$")
  if tenant then
    return #tenant <= 241 and tenant:find("^[a-z0-9]" .. KEY_CHARS .. "*$") ~= nil
        and #system <= 14 and system:find("^[a-z]" .. KEY_CHARS .. "*$") ~= nil
  end
  return #key <= 256 and key:find("^[a-z]" .. KEY_CHARS .. "*$") ~= nil
end

-- A tracestate value: 1 to 256 printable ASCII characters but ',' and '=', not ending in a space.
local function valid_value(value)
  return #value >= 1 and #value <= 256 and not value:find("[^ -~]") and not value:find("[,=]")
      and value:sub(-1) ~= " "
end

-- The W3C tracestate, its lines joined as one list (section 3.3): at most 32 members, no key twice,
-- empty members and white space around them dropped. Returns the list, or nil when absent, empty or
-- invalid (an invalid list does not affect traceparent: the trace goes on without it).
local function read_tracestate(value)
  if value == nil then
    return nil
  end
  local joined = type(value) == "table" and concat(value, ",") or value
  local members, keys = {}, {}
  for member in (joined .. ","):gmatch("([^,]*),") do
    member = member:match("^[ \t]*(.-)[ \t]*$")
    if member ~= "" then
      local key, val = member:match("^([^=]+)=(.*)$")
      if #members == 32 or not key or keys[key] or not valid_key(key) or not valid_value(val) then
        return nil
      end
      keys[key] = true
      members[#members + 1] = member
    end
  end
  return #members > 0 and concat(members, ",") or nil
end

-- The incoming context, when trust is on: single b3 first (B3 spec), then multi, then W3C. Returns
-- trace_id, parent_id, sampled (true/false/nil = no decision), the W3C flags and the tracestate when
-- W3C carried it; or nil when absent or invalid. A trace header sent twice is invalid (tracestate aside).
local function incoming(headers)
  for _, name in ipairs({ "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "traceparent" }) do
    if type(headers[name]) == "table" then
      return nil
    end
  end
  local b3 = headers["b3"]
  if b3 then
    local t, s, rest = b3:match("^([0-9a-f]+)%-([0-9a-f]+)(.*)$")
    if valid_trace_id(t) and valid_span_id(s) then
      return t, s, SAMPLING[rest:match("^%-([01d])") or ""]
    end
    return nil
  end
  local t, s = headers["x-b3-traceid"], headers["x-b3-spanid"]
  if t or s then
    if valid_trace_id(t) and valid_span_id(s) then
      if headers["x-b3-flags"] == "1" then
        return t, s, true -- debug implies accept
      end
      return t, s, SAMPLING[headers["x-b3-sampled"] or ""]
    end
    return nil
  end
  local tp = headers["traceparent"]
  if tp then
    local tid, pid, flags = read_traceparent(tp)
    if tid then
      return tid, pid, flags % 2 == SAMPLED_FLAG, flags, read_tracestate(headers["tracestate"])
    end
  end
  return nil
end

local TRACE_HEADERS = { "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags",
                        "b3", "traceparent", "tracestate" }

-- The W3C traceparent of a trace (version 00, only the flags that version knows): a 64-bit B3 trace
-- id continued under trust is widened to 128 bits.
local function traceparent(trace)
  local trace128 = #trace.trace_id == 16 and ("0000000000000000" .. trace.trace_id) or trace.trace_id
  local flags = (trace.sampled and SAMPLED_FLAG or 0) + (trace.random and RANDOM_FLAG or 0)
  return format("00-%s-%s-%02x", trace128, trace.span_id, flags)
end

-- The context forwarded to web-svc, in the format the pipeline speaks: B3 multi-headers, or W3C
-- traceparent with the tracestate of a continued W3C context.
local function forward(trace)
  if config.propagation == "w3c" then
    ngx.req.set_header("traceparent", traceparent(trace))
    if trace.tracestate then
      ngx.req.set_header("tracestate", trace.tracestate) -- a continued context's vendor state goes on, as one list
    end
    return
  end
  ngx.req.set_header("X-B3-TraceId", trace.trace_id)
  ngx.req.set_header("X-B3-SpanId", trace.span_id)
  if trace.parent_id then
    ngx.req.set_header("X-B3-ParentSpanId", trace.parent_id)
  end
  ngx.req.set_header("X-B3-Sampled", trace.sampled and "1" or "0")
end

-- Baggage: the learner's name (the UI's `learner` cookie), carried to every hop beside the trace context
-- and put on every service's spans as the tag `learner`. The ingress is the only place baggage is
-- created: whatever a client sends as baggage is removed, and a name that is not a short plain word is
-- dropped and counted, never passed on.
local LEARNER_NAME = "^[%w._-]+$"
local LEARNER_MAX = 32

local function baggage(headers, trace)
  for name in pairs(headers) do -- get_headers gives the names in lower case
    if name == "baggage" or name:sub(1, 8) == "baggage-" then
      ngx.req.clear_header(name)
    end
  end
  local learner = ngx.var.cookie_learner
  if learner == nil or learner == "" then
    return
  end
  if #learner > LEARNER_MAX or not learner:find(LEARNER_NAME) then
    counters.incr("baggage_dropped")
    return
  end
  trace.learner = learner
  if config.propagation == "w3c" then
    ngx.req.set_header("baggage", "learner=" .. learner) -- W3C Baggage
  else
    ngx.req.set_header("baggage-learner", learner) -- B3's convention: one baggage-<name> header per entry
  end
end

local function access()
  local trace_id, span_id, draw = fresh_ids()
  -- Ids minted here are random: in W3C mode the random-trace-id flag says so.
  local trace = { trace_id = trace_id, span_id = span_id, random = true }
  local headers = ngx.req.get_headers(100)
  if config.trust_incoming then
    local t, p, s, flags, tracestate = incoming(headers)
    if t then
      trace.trace_id, trace.parent_id, trace.sampled, trace.tracestate = t, p, s, tracestate
      trace.random = flags ~= nil and math.floor(flags / RANDOM_FLAG) % 2 == 1
    end
  end
  if trace.sampled == nil then
    trace.sampled = draw < switches.sample_rate() -- the rate in force now: SAMPLE_RATE, or the switch's value
  end
  -- Replace whatever trace context came in: a client cannot force sampling or join a trace
  -- unless trust is on, and downstream sees exactly one context, ours.
  for _, name in ipairs(TRACE_HEADERS) do
    ngx.req.clear_header(name)
  end
  forward(trace)

  trace.start = now_micros()
  ngx.ctx.trace = trace
  ngx.var.b3_trace_id = trace.trace_id
  ngx.var.b3_sampled = trace.sampled and "1" or "0"
  counters.incr("requests")
  if trace.sampled then
    counters.incr("sampled")
  end
  baggage(headers, trace)
end

-- The trace id on the response, where the UI and `check` read it: X-B3-TraceId and X-B3-Sampled, or
-- with w3c the W3C traceresponse header (00-trace-span-flags). The ingress's own wins over web-svc's.
-- And the sample rate in force, so that the page can say how likely a request is to be traced
-- ("hidden" when it was set blind, for a learner to find out from the traces).
local function header_filter()
  ngx.header["X-Emojivoto-Sample-Rate"] = switches.sample_rate_hidden() and "hidden" or tostring(switches.sample_rate())
  local trace = ngx.ctx.trace
  if not trace then
    return
  end
  if config.propagation == "w3c" then
    ngx.header["traceresponse"] = traceparent(trace)
  else
    ngx.header["X-B3-TraceId"] = trace.trace_id
    ngx.header["X-B3-Sampled"] = trace.sampled and "1" or "0"
  end
end

-- The names of the span's tags: OpenTelemetry's semantic conventions, emojivoto.* for ours, the same
-- names as every other part's (docs/spans.md; SpanVocabularyTest checks this table against it).
local TAG = {
  method = "http.request.method",
  path = "url.path",
  status = "http.response.status_code",
  host = "server.address",
  client_address = "client.address",
  user_agent = "user_agent.original",
  client_kind = "emojivoto.client",
  upstream_address = "emojivoto.upstream.address",
  upstream_response_time = "emojivoto.upstream.response_time_s",
  learner = "learner",
  error = "error",
}

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
    [TAG.method] = method,
    [TAG.path] = path,
    [TAG.status] = tostring(status),
    [TAG.host] = ngx.var.host,
    [TAG.client_kind] = client_kind(user_agent),
    [TAG.client_address] = ngx.var.remote_addr,
  }
  if user_agent then
    tags[TAG.user_agent] = user_agent:sub(1, 200)
  end
  if trace.learner then
    tags[TAG.learner] = trace.learner
  end
  local upstream_addr = ngx.var.upstream_addr
  if upstream_addr then
    tags[TAG.upstream_address] = upstream_addr
    tags[TAG.upstream_response_time] = ngx.var.upstream_response_time
  end
  if status >= 500 then
    tags[TAG.error] = tostring(status)
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

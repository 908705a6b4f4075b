-- Reports spans to the collector as Zipkin v2 JSON, off the request path: the log phase encodes
-- a span into a bounded shared-memory list, and a timer in each worker flushes batches with a
-- cosocket POST. A full buffer or a failed flush drops spans and counts them; a slow or dead
-- collector never delays a request. Workers flush once more when nginx shuts down gracefully.
local cjson = require("cjson.safe")
local config = require("emojivoto.config")
local counters = require("emojivoto.counters")

local ngx = ngx
local concat, format = table.concat, string.format

local _M = {}

local function buffer()
  return ngx.shared.emojivoto_spans
end

-- cjson writes a number with at most 14 significant digits (Debian's build allows no more), so a
-- timestamp in microseconds, 16 digits, would come out as 1.7649e+15: rounded to 100 µs, and refused
-- outright by the OpenTelemetry Collector's zipkin receiver, which reads it as an integer. The two
-- integers of a span go in as their exact digits instead, ahead of everything cjson encodes.
local function encode(span)
  local timestamp, duration = span.timestamp, span.duration
  span.timestamp, span.duration = nil, nil
  local rest = cjson.encode(span)
  if not rest then
    return nil
  end
  return format('{"timestamp":%.0f,"duration":%.0f,', timestamp, duration) .. rest:sub(2)
end

function _M.enqueue(span)
  local json = encode(span)
  if not json then
    counters.incr("spans_dropped")
    return
  end
  local spans = buffer()
  if (spans:llen("q") or 0) >= config.buffer_max then
    counters.incr("spans_dropped")
    return
  end
  local ok = spans:rpush("q", json)
  if not ok then -- shared memory full
    counters.incr("spans_dropped")
  end
end

local function post(body)
  local c = config.collector
  local sock = ngx.socket.tcp()
  sock:settimeouts(1000, 2000, 2000)
  local ok, err = sock:connect(c.host, c.port)
  if not ok then
    return nil, "connect " .. c.host .. ":" .. c.port .. ": " .. tostring(err)
  end
  local request = concat({
    "POST ", c.path, " HTTP/1.1\r\n",
    "Host: ", c.host, ":", c.port, "\r\n",
    "Content-Type: application/json\r\n",
    "Content-Length: ", #body, "\r\n",
    -- The reporter's own requests are never traced (B3: reporters send a deny decision).
    "b3: 0\r\n",
    "Connection: close\r\n\r\n",
    body,
  })
  local sent, send_err = sock:send(request)
  if not sent then
    sock:close()
    return nil, "send: " .. tostring(send_err)
  end
  local line, read_err = sock:receive("*l")
  sock:close()
  if not line then
    return nil, "read: " .. tostring(read_err)
  end
  local status = tonumber(line:match("^HTTP/%d%.%d (%d%d%d)"))
  if not status or status >= 300 then
    return nil, "collector answered: " .. line
  end
  return true
end

-- Sends everything queued, in batches; returns when the queue is empty or a POST failed.
local function flush()
  local spans = buffer()
  while true do
    local batch = {}
    for i = 1, config.batch_size do
      local span = spans:lpop("q")
      if not span then
        break
      end
      batch[i] = span
    end
    if #batch == 0 then
      return
    end
    local ok, err = post("[" .. concat(batch, ",") .. "]")
    if ok then
      counters.incr("spans_sent", #batch)
    else
      counters.incr("flush_errors")
      counters.incr("spans_dropped", #batch)
      ngx.log(ngx.WARN, "emojivoto: dropped ", #batch, " spans: ", err)
      return
    end
  end
end

-- One flush at a time per worker: with a collector that hangs, overlapping timer runs would
-- otherwise pile up connections.
local flushing = false

local function on_timer(premature)
  if flushing and not premature then
    return
  end
  flushing = true
  local ok, err = pcall(flush)
  flushing = false
  if not ok then
    counters.incr("lua_errors")
    ngx.log(ngx.ERR, "emojivoto: span flush failed: ", err)
  end
  if premature then
    return -- nginx is shutting down: the flush above was the last one
  end
end

function _M.init_worker()
  local ok, err = ngx.timer.every(config.flush_interval, on_timer)
  if not ok then
    ngx.log(ngx.ERR, "emojivoto: cannot start the span flush timer: ", err)
  end
end

function _M.queued()
  return buffer():llen("q") or 0
end

return _M

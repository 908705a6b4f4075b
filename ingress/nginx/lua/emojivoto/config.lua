-- The ingress's settings, read once from the environment when nginx starts. An invalid value
-- stops nginx at startup with a message that names the variable.
local _M = {}

local function fail(message)
  error("emojivoto ingress: " .. message, 0)
end

local function parse_endpoint(url)
  local host, port, path = url:match("^http://([%w%.%-]+):?(%d*)(/.*)$")
  if not host then
    host, port = url:match("^http://([%w%.%-]+):?(%d*)$")
    path = "/"
  end
  if not host then
    fail("ZIPKIN_ENDPOINT must be an http:// URL such as http://127.0.0.1:9411/api/v2/spans, got '" .. url .. "'")
  end
  port = tonumber(port) or 80
  if port < 1 or port > 65535 then
    fail("ZIPKIN_ENDPOINT has an invalid port: " .. url)
  end
  return { url = url, host = host, port = port, path = path }
end

local function number_in(name, value, default, min, max)
  if value == nil or value == "" then
    return default
  end
  local n = tonumber(value)
  if not n or n < min or n > max then
    fail(name .. " must be a number from " .. min .. " to " .. max .. ", got '" .. value .. "'")
  end
  return n
end

function _M.load()
  -- Load the JSON encoder now, so that a missing lua-cjson stops nginx at startup (and nginx -t).
  local ok = pcall(require, "cjson.safe")
  if not ok then
    fail("the Lua module cjson is missing: install lua-cjson (Debian) or use OpenResty")
  end
  local env = os.getenv
  _M.sample_rate = number_in("SAMPLE_RATE", env("SAMPLE_RATE"), 0.5, 0, 1)
  _M.collector = parse_endpoint(env("ZIPKIN_ENDPOINT") or "http://127.0.0.1:9411/api/v2/spans")
  local trust = (env("TRUST_INCOMING_TRACE") or "false"):lower()
  if trust ~= "true" and trust ~= "false" then
    fail("TRUST_INCOMING_TRACE must be true or false, got '" .. trust .. "'")
  end
  _M.trust_incoming = trust == "true"
  local propagation = (env("TRACE_PROPAGATION") or "b3"):lower()
  if propagation ~= "b3" and propagation ~= "w3c" then
    fail("TRACE_PROPAGATION must be b3 or w3c, got '" .. propagation .. "'")
  end
  _M.propagation = propagation
  _M.flush_interval = number_in("SPAN_FLUSH_INTERVAL", env("SPAN_FLUSH_INTERVAL"), 1, 0.05, 60)
  _M.buffer_max = math.floor(number_in("SPAN_BUFFER_MAX", env("SPAN_BUFFER_MAX"), 10000, 1, 1000000))
  _M.batch_size = 200
  _M.service_name = env("INGRESS_SERVICE_NAME") or "ingress"
end

return _M

-- The ingress's runtime switch: sample-rate, the share of requests whose trace is recorded. It lives
-- in shared memory, so every worker reads the same value on every request, and a change takes
-- effect at the next request without a reload. Served on the status listener (never the public
-- one) the way every part of the pipeline serves its switches:
--   GET /faults                        the switches, their values and what they accept
--                                      (?reveal=true: also the value of one set blind)
--   POST /faults/sample-rate {"value":"0.1"}   set one; with "blind": true its value is "hidden"
--                                      everywhere, and responses stop telling the page the rate
--   DELETE /faults                     every switch back to its start value (SAMPLE_RATE)
local cjson = require("cjson.safe")
local config = require("emojivoto.config")

local ngx = ngx
local _M = {}

local ALLOWED = "a number from 0 to 1"

local function dict()
  return ngx.shared.emojivoto_switches
end

-- The rate in force: the switch's value, or SAMPLE_RATE until it is first set.
function _M.sample_rate()
  return dict():get("sample_rate") or config.sample_rate
end

-- Whether the rate was set blind: the ingress samples at it and names it nowhere.
function _M.sample_rate_hidden()
  return dict():get("sample_rate_hidden") == true
end

local function listing(reveal)
  local hidden = _M.sample_rate_hidden()
  local value = (hidden and not reveal) and "hidden" or tostring(_M.sample_rate())
  return {
    part = "ingress",
    switches = {
      { name = "sample-rate", value = value, start = tostring(config.sample_rate), allowed = ALLOWED,
        emoji = "", hidden = tostring(hidden) },
    },
  }
end

local function answer(status, body)
  ngx.status = status
  ngx.header["Content-Type"] = "application/json"
  ngx.say(cjson.encode(body))
end

local function set(name)
  if name ~= "sample-rate" then
    return answer(400, { error = "ingress has no switch '" .. name .. "'; it has [sample-rate]" })
  end
  ngx.req.read_body()
  local body = cjson.decode(ngx.req.get_body_data() or "")
  local text = type(body) == "table" and body.value
  local rate = tonumber(text)
  if type(text) ~= "string" or not rate or rate ~= rate or rate < 0 or rate > 1 then
    return answer(400, { error = "sample-rate must be " .. ALLOWED .. ", got '" .. tostring(text) .. "'" })
  end
  if body.emoji ~= nil and body.emoji ~= cjson.null then
    return answer(400, { error = "sample-rate acts on every request: it cannot be limited to one emoji" })
  end
  dict():set("sample_rate_hidden", body.blind == true)
  dict():set("sample_rate", rate)
  return answer(200, listing(false))
end

function _M.serve()
  local method = ngx.req.get_method()
  local name = ngx.var.uri:match("^/faults/(.+)$")
  if method == "GET" and not name then
    return answer(200, listing(ngx.var.arg_reveal == "true"))
  elseif method == "POST" and name then
    return set(name)
  elseif method == "DELETE" and not name then
    dict():delete("sample_rate")
    dict():delete("sample_rate_hidden")
    return answer(200, listing(false))
  end
  return answer(405, { error = "GET or DELETE /faults, or POST /faults/NAME with {\"value\": \"...\"}" })
end

return _M

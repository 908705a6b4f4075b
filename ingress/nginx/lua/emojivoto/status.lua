-- The status endpoint: counters as JSON (/status) and in the Prometheus text format (/metrics).
local cjson = require("cjson.safe")
local counters = require("emojivoto.counters")
local reporter = require("emojivoto.reporter")
local switches = require("emojivoto.switches")

local _M = {}

local function snapshot()
  local s = { spans_queued = reporter.queued(),
    sample_rate = switches.sample_rate_hidden() and "hidden" or switches.sample_rate() }
  for _, name in ipairs(counters.NAMES) do
    s[name] = counters.get(name)
  end
  return s
end

function _M.json()
  ngx.say(cjson.encode(snapshot()))
end

function _M.prometheus()
  local s = snapshot()
  local out = {}
  for _, name in ipairs(counters.NAMES) do
    out[#out + 1] = "# TYPE emojivoto_ingress_" .. name .. "_total counter"
    out[#out + 1] = "emojivoto_ingress_" .. name .. "_total " .. s[name]
  end
  out[#out + 1] = "# TYPE emojivoto_ingress_spans_queued gauge"
  out[#out + 1] = "emojivoto_ingress_spans_queued " .. s.spans_queued
  ngx.say(table.concat(out, "\n"))
end

return _M

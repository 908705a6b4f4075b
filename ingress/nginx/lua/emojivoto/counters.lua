-- Counters shared by all workers, for the status endpoint.
local _M = {}

_M.NAMES = { "requests", "sampled", "spans_sent", "spans_dropped", "flush_errors", "lua_errors", "baggage_dropped" }

function _M.incr(name, by)
  ngx.shared.emojivoto_counters:incr(name, by or 1, 0)
end

function _M.get(name)
  return ngx.shared.emojivoto_counters:get(name) or 0
end

return _M

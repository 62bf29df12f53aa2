-- wrk script: GET /items/{id} with the id varying per request (1..N, cycling).
-- The requests are formatted once per thread in init(), so the per-request cost on the load
-- generator is a table lookup, not a string build. Extra -H headers (the Host for Portico) are
-- part of wrk.headers and end up in every request.
-- Usage: wrk ... -s ids.lua URL -- [N] [PREFIX]   (N defaults to 1000; PREFIX, e.g. a REST API's
-- stage "/bench", goes before /items/{id}; wrk.format ignores the URL's own path)

local requests = {}
local count = 0
local index = 0

function init(args)
   count = tonumber(args[1]) or 1000
   local prefix = args[2] or ""
   for id = 1, count do
      requests[id] = wrk.format("GET", prefix .. "/items/" .. id)
   end
end

function request()
   index = index % count + 1
   return requests[index]
end

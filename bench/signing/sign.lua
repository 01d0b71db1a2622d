-- wrk script: POST a signature with an email no other request uses (thread prefix + counter).
-- Usage: wrk -s bench/signing/sign.lua http://127.0.0.1:PORT/api/manifestos/ID/signatures
local counter = 0
local prefix

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  prefix = tostring(math.random(1, 999999999))
end

local countries = {"FR", "SN", "MA", "DE", "BR", "IN", "KE", "US", "CN", "MX"}
local displays = {"full", "initials", "hidden"}

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench Signer %s %d","email":"b%s.%d@bench.example.org","country":"%s","display":"%s","city":"Lyon"}',
    prefix, counter, prefix, counter, countries[counter % #countries + 1], displays[counter % #displays + 1])
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- wrk script: POST /api/v1/check?trust=<trust> with a rotating set of realistic events
-- (demo/chiltern/events/*.json, one line each; 06 is left out: it names a media file).
--
--   GH_TOKEN=<API token> wrk -t1 -c16 -d10s --latency -s bench/server/check.lua http://127.0.0.1:8090
--   wrk ... -s bench/server/check.lua http://127.0.0.1:8090 -- <token> [trust]
--
-- The token comes from the first script argument or $GH_TOKEN (created with POST
-- /api/v1/tokens; see bench/server/run.sh). Each connection starts at a different event
-- and steps through the list. Answers other than 200 are counted and printed at the end
-- (wrk's "Non-2xx" line shows them too), so a bad token cannot pass for a fast server.

local events = {
  -- 01-former-pupil-aged-18.json
  [[{"kind":"connection","channel":"personal","platform":"facebook","author":"S007","at":"2026-03-04T19:45:00+00:00","counterpart":{"name":"Ella Jarvis","pupil_id":"P0033","role":"former_pupil"}}]],
  -- 02-niece-friend-request.json
  [[{"kind":"connection","channel":"personal","platform":"facebook","author":"S008","at":"2026-03-04T20:00:00+00:00","counterpart":{"name":"Sienna Nowak","pupil_id":"P0006","role":"pupil"}}]],
  -- 03-pupil-of-another-school.json
  [[{"kind":"connection","channel":"personal","platform":"instagram","author":"S011","at":"2026-03-05T19:00:00+00:00","counterpart":{"name":"Tyler Brennan","role":"pupil"}}]],
  -- 04-scheduled-post-in-lessons.json
  [[{"kind":"post","channel":"personal","platform":"facebook","author":"S012","at":"2026-03-05T11:00:00+00:00","text":"Happy World Book Day! What is everyone reading?","via":"scheduled"}]],
  -- 05-lunch-break-post.json
  [[{"kind":"post","channel":"personal","platform":"facebook","author":"S012","at":"2026-03-05T12:30:00+00:00","text":"Sunshine at last! Anyone else eating lunch outside today?"}]],
  -- 07-open-profile.json
  [[{"kind":"profile","channel":"personal","platform":"instagram","author":"S011","at":"2026-03-06T21:00:00+00:00","text":"Tea, books and hill walking.","profile":{"email":"tea.and.hills@example.com","approve_followers":false,"visibility":"public"}}]],
  -- 08-grievance-post.json
  [[{"kind":"post","channel":"personal","platform":"x","author":"S012","at":"2026-03-07T20:00:00+00:00","text":"Still no reply to my grievance about workload. Going public because the Trust ignores its staff."}]],
  -- 09-headteacher-speaks-for-trust.json
  [[{"kind":"post","channel":"personal","platform":"linkedin","author":"S002","at":"2026-03-08T18:00:00+00:00","text":"On behalf of everyone at Beech Hill Primary School, we are thrilled to welcome all our new families this September."}]],
  -- 10-weekend-walk.json
  [[{"kind":"post","channel":"personal","platform":"facebook","author":"S003","at":"2026-03-07T11:00:00+00:00","text":"Lovely walk in the Chilterns this morning, red kites everywhere."}]],
}

local token = os.getenv("GH_TOKEN") or ""
local trust = os.getenv("GH_TRUST") or "chiltern"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  if args[1] and args[1] ~= "" then token = args[1] end
  if args[2] and args[2] ~= "" then trust = args[2] end
  if token == "" then
    io.stderr:write("check.lua: no token: pass one after -- or set GH_TOKEN\n")
    os.exit(2)
  end
  path = "/api/v1/check?trust=" .. trust
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  -- Pre-built requests: building them per call would cost wrk CPU that the server
  -- (on the same two cores) then lacks.
  requests = {}
  for i, e in ipairs(events) do
    requests[i] = wrk.format("POST", path, headers, e)
  end
  n = (id or 1) - 1
  bad = 0
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end

function response(status, hdrs, body)
  if status ~= 200 then
    bad = bad + 1
    if bad == 1 then io.stderr:write("check.lua: HTTP " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + (t:get("bad") or 0) end
  io.write(string.format("check.lua: %d events, non-200 answers: %d\n", #events, total_bad))
end

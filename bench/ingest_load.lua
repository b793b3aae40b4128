-- wrk script: each thread sends its own file of pre-signed deliveries, one line per request
-- ("<X-Hub-Signature-256>\t<body>"), and the run ends with one JSON line of figures.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  requests = {}
  for line in io.lines(args[1] .. "-" .. id .. ".txt") do
    local signature, body = line:match("^(%S+)\t(.*)$")
    requests[#requests + 1] = wrk.format(
      "POST", nil, { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signature }, body
    )
  end
  sent = 0
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)
  ))
end

-- SPDX-License-Identifier: BSD-3-Clause
-- perf/pktgen/fmip-load.lua: send the pcaps given with -s P:file at one rate for a while and
-- print, every second, pktgen's TX rate beside what fmipgw counted (its telemetry through
-- fmipctl), then the totals and what the gateway did not count (lost before its RX: the NIC's
-- imissed, or the wire).  perf/pktgen/README.md has the command lines.
--   FMIP_RATE     percent of the line rate (default 100)
--   FMIP_SECONDS  how long (default 30)
--   (and fmip.lua's FMIPCTL, FMIPGW_PREFIX, FMIP_PORTS)
package.path = package.path .. ";?.lua;perf/pktgen/?.lua;" .. (os.getenv("FMIP_LUA_DIR") or ".") .. "/?.lua"

local F = require "fmip"

local rate = tonumber(F.env("FMIP_RATE", "100"))
local seconds = tonumber(F.env("FMIP_SECONDS", "30"))

local function main()
	local g0 = F.gw_stats()
	if g0 == nil then
		printf("fmip-load: no telemetry from fmipgw (prefix %s, %s): is it running?\n",
			F.prefix, F.fmipctl)
		return
	end
	pktgen.stop(F.ports)
	pktgen.pcap(F.ports, "on") -- send the -s pcap, in a loop
	pktgen.set(F.ports, "rate", rate)
	printf("fmip-load: ports %s at %d%% for %d s; fmipgw prefix %s\n", F.ports, rate, seconds,
		F.prefix)
	local t0, tx0 = g0, F.tx_packets()
	local prev, ptx = g0, tx0
	pktgen.start(F.ports)
	for s = 1, seconds do
		pktgen.delay(1000)
		local g, tx = F.gw_stats() or prev, F.tx_packets()
		printf("%s\n", F.rate_line(string.format("%4d s", s), F.delta(prev, g), 1.0, tx - ptx))
		prev, ptx = g, tx
	end
	pktgen.stop(F.ports)
	pktgen.delay(500)
	local g, tx = F.gw_stats() or prev, F.tx_packets()
	local d = F.delta(t0, g)
	printf("%s\n", F.rate_line("average", d, seconds, tx - tx0))
	printf("fmip-load: pktgen sent %d, fmipgw received %d (%d not counted by the gateway: NIC "
		.. "imissed or the wire)\n", tx - tx0, d.rx_packets, (tx - tx0) - d.rx_packets)
	for _, k in ipairs(F.watch) do
		if d[k] ~= 0 then
			printf("  %-22s %12d\n", k, d[k])
		end
	end
end

main()
F.finish()

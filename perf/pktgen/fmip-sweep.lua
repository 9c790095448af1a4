-- SPDX-License-Identifier: BSD-3-Clause
-- perf/pktgen/fmip-sweep.lua: step the rate of the -s pcaps up and, at each step, compare what
-- pktgen sent with what fmipgw received and what its FBU stage decided.  The last step at which
-- the gateway counted every frame sent (within FMIP_LOSS, default 0.1 %) is its loss-free rate
-- for that mix on that NIC.
--   FMIP_STEPS    rates in percent of the line rate (default "10,20,30,40,50,60,70,80,90,100")
--   FMIP_SECONDS  seconds per step (default 5)
--   FMIP_LOSS     loss allowed, percent (default 0.1)
--   (and fmip.lua's FMIPCTL, FMIPGW_PREFIX, FMIP_PORTS)
package.path = package.path .. ";?.lua;perf/pktgen/?.lua;" .. (os.getenv("FMIP_LUA_DIR") or ".") .. "/?.lua"

local F = require "fmip"

local steps = F.env("FMIP_STEPS", "10,20,30,40,50,60,70,80,90,100")
local seconds = tonumber(F.env("FMIP_SECONDS", "5"))
local loss = tonumber(F.env("FMIP_LOSS", "0.1"))

local function main()
	if F.gw_stats() == nil then
		printf("fmip-sweep: no telemetry from fmipgw (prefix %s): is it running?\n", F.prefix)
		return
	end
	pktgen.stop(F.ports)
	pktgen.pcap(F.ports, "on")
	printf("| rate %% | pktgen tx pps | gateway rx pps | lost %% | FBUs/s | accepted/s | "
		.. "bad MAC/s | ring full/s |\n|---|---|---|---|---|---|---|---|\n")
	local best = nil
	for r in string.gmatch(steps, "%d+") do
		local pct = tonumber(r)
		pktgen.set(F.ports, "rate", pct)
		pktgen.delay(1100) -- pktgen's port counters are refreshed once a second
		local g0, tx0 = F.gw_stats(), F.tx_packets()
		pktgen.start(F.ports)
		pktgen.delay(seconds * 1000)
		pktgen.stop(F.ports)
		pktgen.delay(1500) -- what is in flight arrives, the counters catch up
		local g1, tx1 = F.gw_stats(), F.tx_packets()
		local d, sent = F.delta(g0, g1), tx1 - tx0
		local lost = sent > 0 and 100.0 * (sent - d.rx_packets) / sent or 0
		printf("| %d | %.0f | %.0f | %.3f | %.0f | %.0f | %.0f | %.0f |\n", pct, sent / seconds,
			d.rx_packets / seconds, lost, d.fbu_rx / seconds, d.fbu_accepted / seconds,
			d.drop_fbu_bad_mac / seconds,
			(d.drop_fbu_ring_full + d.drop_ring_full) / seconds)
		if lost <= loss then
			best = pct
		end
	end
	if best then
		printf("fmip-sweep: loss-free (<= %.2f %%) up to %d %% of the line rate\n", loss, best)
	else
		printf("fmip-sweep: the gateway lost more than %.2f %% at every step\n", loss)
	end
end

main()
F.finish()

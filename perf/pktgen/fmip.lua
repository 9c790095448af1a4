-- SPDX-License-Identifier: BSD-3-Clause
-- perf/pktgen/fmip.lua: what the fmipgw pktgen scripts share.  The gateway's counters come
-- from its telemetry through `fmipctl stats --json` (docs/operations.md section 8); the
-- settings from the environment, so that one command line runs a script:
--   FMIPCTL        fmipctl binary (default "fmipctl")
--   FMIPGW_PREFIX  the gateway's EAL --file-prefix (default "rte")
--   FMIP_PORTS     the pktgen ports that send, a pktgen port list (default "0")
local M = {}

-- pktgen's own scripts take printf from its Pktgen.lua; these need nothing from its tree
if printf == nil then
	function printf(...)
		io.write(string.format(...))
		io.flush()
	end
end

function M.env(name, default)
	local v = os.getenv(name)
	if v == nil or v == "" then
		return default
	end
	return v
end

M.fmipctl = M.env("FMIPCTL", "fmipctl")
M.prefix = M.env("FMIPGW_PREFIX", "rte")
M.ports = M.env("FMIP_PORTS", "0")

-- The gateway's counters (every one, zero ones included) as a table, or nil.
function M.gw_stats()
	local f = io.popen(M.fmipctl .. " stats --all --json --prefix " .. M.prefix .. " 2>/dev/null")
	if f == nil then
		return nil
	end
	local text = f:read("*a")
	f:close()
	local t, n = {}, 0
	for k, v in string.gmatch(text, '"([%w_]+)"%s*:%s*(%d+)') do
		t[k] = tonumber(v)
		n = n + 1
	end
	if n == 0 then
		return nil
	end
	return t
end

-- Packets the pktgen ports in M.ports sent so far.
function M.tx_packets()
	local st = pktgen.portStats(M.ports, "port")
	local n = 0
	for pid, s in pairs(st) do
		if type(s) == "table" then
			n = n + s.opackets
		end
	end
	return n
end

-- The counters a load run watches: what arrived, what the FBU stage decided, what was dropped
-- before it, and the control lcore's side.
M.watch = {
	"rx_packets", "fbu_rx", "fbu_accepted", "drop_fbu_bad_mac", "drop_fbu_stale_seq",
	"drop_fbu_no_key", "drop_fbu_expired", "drop_fbu_ring_full", "drop_malformed",
	"drop_multiseg", "drop_tx_full", "ctrl_rtsolpr", "drop_policer_rtsolpr", "drop_ring_full",
	"rtsolpr_rx", "keys_provisioned", "keys_existing", "rtsolpr_send_failed", "prrtadv_tx",
}

function M.delta(a, b)
	local d = {}
	for _, k in ipairs(M.watch) do
		d[k] = (b[k] or 0) - (a[k] or 0)
	end
	return d
end

-- One line: per-second rates of the watched counters between two samples dt seconds apart.
function M.rate_line(label, d, dt, tx)
	return string.format("%-8s pktgen tx %10.0f/s | gw rx %10.0f/s  fbu %10.0f/s accepted %10.0f/s "
		.. "bad_mac %8.0f stale %8.0f no_key %8.0f malformed %8.0f | rtsolpr %6.0f/s keys %6.0f "
		.. "policed %6.0f ring_full %6.0f",
		label, tx / dt, d.rx_packets / dt, d.fbu_rx / dt, d.fbu_accepted / dt,
		d.drop_fbu_bad_mac / dt, d.drop_fbu_stale_seq / dt, d.drop_fbu_no_key / dt,
		d.drop_malformed / dt, d.rtsolpr_rx / dt, (d.keys_provisioned + d.keys_existing) / dt,
		d.drop_policer_rtsolpr / dt, (d.drop_ring_full + d.drop_fbu_ring_full) / dt)
end

-- After a script: quit pktgen when FMIP_QUIT=1 (unattended runs).
function M.finish()
	if M.env("FMIP_QUIT", "0") == "1" then
		pktgen.quit()
	end
end

return M

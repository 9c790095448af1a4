/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw reload (SIGHUP, the control loop): the file is loaded again; when it loads, its
 * reloadable keys replace the running ones (config_apply_reload) and are applied to lib/hk,
 * the workers' policers and the log level; start-up-only keys that changed are named in a
 * warning; when it does not, the running configuration stays and the error is logged.
 */
#include "cp.h"
#include "dp.h"
#include "fwd.h"

void cp_apply_runtime(struct gw *gw)
{
	const struct gw_config *cfg = &gw->cfg;

	cp_work_apply(&gw->ctrl->work); /* the slow-path lcores apply theirs (gw->cfg_gen) */
	for (unsigned i = 0; i < gw->n_workers; i++)
		dp_policer_set(&gw->workers[i]->pol, cfg, gw->tsc_hz);
	if (!gw->log_from_eal) /* else the EAL's --log-level stays in force */
		rte_log_set_level_pattern("fmipgw.*", cfg->log_level);
}

void cp_reload(struct gw *gw)
{
	struct gw_config loaded;
	char err[512], warn[512];
	int changed;

	if (config_load(gw->cfg.file, &loaded, err, sizeof(err)) < 0) {
		gw->ctrl->cnt.reload_errors++;
		GW_LOG(cfg, ERR, "reload refused, the running configuration stays: %s\n", err);
		return;
	}
	changed = config_apply_reload(&gw->cfg, &loaded, warn, sizeof(warn));
	if (fwd_reload(gw, &loaded) < 0) /* routes, static neighbours */
		gw->ctrl->cnt.reload_errors++;
	config_free(&loaded);
	__atomic_add_fetch(&gw->cfg_gen, 1, __ATOMIC_RELEASE);
	if (changed)
		GW_LOG(cfg, WARNING, "start-up-only keys changed, restart to apply: %s\n", warn);
	cp_apply_runtime(gw);
	gw_pool_sizing_reload(gw); /* resolve_rate / resolve_burst change the estimate */
	gw->ctrl->cnt.reloads++;
	GW_LOG(cfg, NOTICE, "configuration reloaded from %s\n", gw->cfg.file);
}

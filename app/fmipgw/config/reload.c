/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration reload (SIGHUP): the reloadable keys of a freshly loaded configuration
 * are applied to the running one, the start-up-only keys that differ are named (DPVS-style:
 * the signal handler only sets a flag, the control plane calls this).
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

int config_apply_reload(struct gw_config *cur, const struct gw_config *loaded, char *warn,
			size_t warnlen)
{
	int changed = 0;
	/* /fmipgw/config reads cur->text from a telemetry thread: the new text is built aside
	 * and published by one pointer store; the array it replaces is freed at the next reload
	 * (a reader holds it for microseconds) or by config_free() */
	char(*text)[GW_CFG_TEXT] = malloc(config_nkeys_ * sizeof(*text));

	warn[0] = '\0';
	if (text == NULL) {
		snprintf(warn, warnlen, "out of memory: nothing reloaded");
		return 1;
	}
	memcpy(text, cur->text, config_nkeys_ * sizeof(*text));
	for (unsigned i = 0; i < config_nkeys_; i++) {
		const struct key *k = &config_keys[i];

		if (config_is_ap(k->section))
			continue;
		if (strcmp(text[i], loaded->text[i]) == 0)
			continue;
		if (!k->reload) {
			size_t l = strlen(warn);

			snprintf(warn + l, warnlen - l, "%s%s.%s", l ? ", " : "", k->section,
				 k->key);
			changed++;
			continue;
		}
		if (k->size == 4) /* workers read some of these (pass_through): one store */
			__atomic_store_n(
			    (uint32_t *)(void *)((uint8_t *)cur + k->off),
			    *(const uint32_t *)(const void *)((const uint8_t *)loaded + k->off),
			    __ATOMIC_RELAXED);
		else
			memcpy((uint8_t *)cur + k->off, (const uint8_t *)loaded + k->off, k->size);
		snprintf(text[i], sizeof(text[i]), "%s", loaded->text[i]);
	}
	if (cur->n_aps != loaded->n_aps || memcmp(cur->aps, loaded->aps, sizeof(cur->aps)) != 0 ||
	    memcmp(cur->ap_ext, loaded->ap_ext, sizeof(cur->ap_ext)) != 0) {
		size_t l = strlen(warn);

		snprintf(warn + l, warnlen - l, "%s[ap.*] sections (need a restart)",
			 l ? ", " : "");
		changed++;
	}
	free(cur->text_old);
	cur->text_old = cur->text;
	__atomic_store_n(&cur->text, text, __ATOMIC_RELEASE);
	return changed;
}

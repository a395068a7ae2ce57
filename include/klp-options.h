/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-options.h - what the plugins' options take, from klp-options.def.
 */
#ifndef KLP_OPTIONS_H
#define KLP_OPTIONS_H

/* ppc-calls=: which direct calls keep the nop after bl (ppc64 only). */
enum klp_ppc_calls_mode {
#define KLP_PPC_CALLS_MODE(id, name, summary) KLP_PPC_CALLS_##id,
#include "klp-options.def"
#undef KLP_PPC_CALLS_MODE
	KLP_PPC_CALLS_MODES
};

static const char *const klp_ppc_calls_names[KLP_PPC_CALLS_MODES] = {
#define KLP_PPC_CALLS_MODE(id, name, summary) name,
#include "klp-options.def"
#undef KLP_PPC_CALLS_MODE
};

#endif /* KLP_OPTIONS_H */

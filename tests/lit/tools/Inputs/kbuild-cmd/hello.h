/* SPDX-License-Identifier: GPL-2.0-or-later */
#define HELLO_ANSWER 42

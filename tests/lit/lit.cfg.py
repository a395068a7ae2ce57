# SPDX-License-Identifier: GPL-2.0-or-later
# lit configuration: every tool a test uses is a substitution defined here.
import os
import shutil

import lit.formats

config.name = 'klp-toolchain'
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = ['.c', '.test']
config.excludes = ['Inputs']
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
top = os.path.abspath(os.path.join(config.test_source_root, '..', '..'))
build = os.environ.get('KLP_BUILD_DIR', os.path.join(top, 'build', 'cmake'))
config.test_exec_root = os.path.join(build, 'lit')


def first(*paths):
    for p in paths:
        found = shutil.which(p) if not os.path.isabs(p) else (p if os.path.exists(p) else None)
        if found:
            return found
    return None


filecheck = first('FileCheck-19', '/usr/lib/llvm-19/bin/FileCheck', 'FileCheck-14',
                  '/usr/lib/llvm-14/bin/FileCheck', 'FileCheck')
if not filecheck:
    lit_config.fatal('FileCheck not found: install llvm-19-tools (scripts/deps.sh)')
not_tool = first('/usr/lib/llvm-19/bin/not', '/usr/lib/llvm-14/bin/not')

klp_fixup = os.path.join(build, 'fixup', 'klp-fixup')
plugin_x86 = os.path.join(build, 'gcc-plugin', 'x86_64', 'klp.so')
plugin_ppc = os.path.join(build, 'gcc-plugin', 'ppc64le', 'klp.so')
tools = os.path.join(top, 'tests', 'tools')

config.environment['KLP_FIXUP'] = klp_fixup
config.environment['LC_ALL'] = 'C'
config.environment['PATH'] = os.pathsep.join([tools, os.environ.get('PATH', '')])

config.substitutions += [
    ('%klp-fixup', klp_fixup),
    ('%klp-check', os.path.join(tools, 'klp-check')),
    ('%klp-x86', plugin_x86),
    ('%klp-ppc', plugin_ppc),
    ('%cc-x86', 'gcc -fplugin=' + plugin_x86),
    ('%cc-ppc', 'powerpc64le-linux-gnu-gcc -fplugin=' + plugin_ppc),
    ('%plain-x86', 'gcc'),
    ('%plain-ppc', 'powerpc64le-linux-gnu-gcc'),
    ('%ld-ppc', 'powerpc64le-linux-gnu-ld'),
    ('%readelf-ppc', 'powerpc64le-linux-gnu-readelf'),
    ('%top', top),
    ('%build', build),
    ('FileCheck', filecheck),
]
if not_tool:
    config.substitutions.append(('not ', not_tool + ' '))

if os.path.exists(plugin_x86):
    config.available_features.add('gcc-x86')
if os.path.exists(plugin_ppc) and shutil.which('powerpc64le-linux-gnu-ld'):
    config.available_features.add('gcc-ppc64le')
# Whole-kernel tests take minutes each: on by default, off with KLP_KERNEL_TESTS=0.
if os.environ.get('KLP_KERNEL_TESTS', '1') != '0' and \
        os.path.exists('/usr/src/linux-source-6.12.tar.xz'):
    config.available_features.add("kernel")
config.environment['KLP_KERNEL_ROOT'] = os.environ.get(
    'KLP_KERNEL_ROOT', os.path.join(top, 'build', 'kernel'))

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
# KLP_LIT_OUT: where test outputs go (a second run beside the first).
config.test_exec_root = os.environ.get('KLP_LIT_OUT', os.path.join(build, 'lit'))


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

# KLP_INSTALL_ROOT: test the files the Debian packages installed under that
# root (scripts/package.sh, dpkg --root) instead of the build tree: each
# plugin where its compiler looks for it, klp-fixup, klp.h.
install_root = os.environ.get('KLP_INSTALL_ROOT')


def compiler_plugin_dir(cc):
    import subprocess
    try:
        return subprocess.run([cc, '-print-file-name=plugin'], capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return '/nonexistent'


if install_root:
    install_root = os.path.abspath(install_root)
    config.available_features.add('installed')
    config.environment['KLP_INSTALL_ROOT'] = install_root
    default_fixup = os.path.join(install_root, 'usr', 'bin', 'klp-fixup')
    plugin_x86 = install_root + compiler_plugin_dir('gcc') + '/klp.so'
    plugin_ppc = install_root + compiler_plugin_dir('powerpc64le-linux-gnu-gcc') + '/klp.so'
    plugin_s390 = install_root + compiler_plugin_dir('s390x-linux-gnu-gcc') + '/klp.so'
    klp_include = os.path.join(install_root, 'usr', 'include', 'klp-toolchain')
else:
    default_fixup = os.path.join(build, 'fixup', 'klp-fixup')
    plugin_x86 = os.path.join(build, 'gcc-plugin', 'x86_64', 'klp.so')
    plugin_ppc = os.path.join(build, 'gcc-plugin', 'ppc64le', 'klp.so')
    plugin_s390 = os.path.join(build, 'gcc-plugin', 's390x', 'klp.so')
    klp_include = os.path.join(top, 'include')
# KLP_FIXUP_BIN: another klp-fixup (the sanitizer build) with this build's plugins.
klp_fixup = os.environ.get('KLP_FIXUP_BIN', default_fixup)
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
    ('%klp-s390', plugin_s390),
    ('%cc-s390', 's390x-linux-gnu-gcc -fplugin=' + plugin_s390),
    ('%plain-s390', 's390x-linux-gnu-gcc'),
    ('%ld-s390', 's390x-linux-gnu-ld'),
    ('%readelf-s390', 's390x-linux-gnu-readelf'),
    ('%top', top),
    ('%klp-include', klp_include),
    ('%build', build),
    ('FileCheck', filecheck),
]
if not_tool:
    config.substitutions.append(('not ', not_tool + ' '))

if os.path.exists(plugin_x86):
    config.available_features.add('gcc-x86')
if os.path.exists(plugin_ppc) and shutil.which('powerpc64le-linux-gnu-ld'):
    config.available_features.add('gcc-ppc64le')
if os.path.exists(plugin_s390) and shutil.which('s390x-linux-gnu-ld'):
    config.available_features.add('gcc-s390x')
# Whole-kernel tests take minutes each: on by default, off with KLP_KERNEL_TESTS=0.
if os.environ.get('KLP_KERNEL_TESTS', '1') != '0' and \
        os.path.exists('/usr/src/linux-source-6.12.tar.xz'):
    config.available_features.add("kernel")
# kpatch from ../shared/peers, unpacked and patched by tests/kpatch/prepare-kpatch.sh
# into one directory all kpatch tests share (build/kpatch).
_peers = os.environ.get('KLP_PEERS', os.path.join(top, '..', 'shared', 'peers'))
import glob as _glob
if _glob.glob(os.path.join(_peers, 'kpatch-[0-9a-f]*.tar.gz')) and \
        _glob.glob(os.path.join(_peers, 'kpatch-unit-test-objs-*.tar.gz')):
    config.available_features.add('kpatch-peers')
# scripts/test.sh --full: the tests too slow for CI's budget (more kernels:
# the integration variants, and the kpatch variants with the DWARF that
# kpatch-build reads, tests/lit/kpatch/*.test; and kpatch-build's rebuild of
# the whole clang kernel, tests/lit/kpatch/kernel-*.test).
if 'kernel' in config.available_features and os.environ.get('KLP_FULL_TESTS', '0') == '1':
    config.available_features.add('full')
config.substitutions.append(('%klp-kpatch-dir', os.environ.get(
    'KLP_KPATCH_DIR', os.path.join(top, 'build', 'kpatch'))))
config.environment['KLP_PEERS'] = _peers
for _tool in ('ccache', 'distcc', 'distccd'):
    if shutil.which(_tool):
        config.available_features.add(_tool)
if shutil.which('qemu-system-x86_64'):
    config.available_features.add('qemu-x86')
if shutil.which('qemu-system-ppc64'):
    config.available_features.add('qemu-system-ppc64')
if shutil.which('qemu-system-s390x'):
    config.available_features.add('qemu-system-s390x')
config.environment['KLP_KERNEL_ROOT'] = os.environ.get(
    'KLP_KERNEL_ROOT', os.path.join(top, 'build', 'kernel'))

# ---- clang pass plugin (clang-pass/, docs/clang-pass.md) -------------------------------
# One klp-clang.so per LLVM version, each tested with its own clang:
#   %clang-x86 / %clang-ppc / %clang-s390    clang-19 for x86_64 / ppc64le / s390x, without the plugin
#   %klp-clang                   path of the LLVM 19 klp-clang.so
#   %kclang-x86 / %kclang-ppc / %kclang-s390 clang-19 with the plugin
#   %clang14-x86 / %clang14-ppc / %klp-clang14 / %kclang14-x86 / %kclang14-ppc   the same for LLVM 14
# Features: clang (LLVM 19 plugin built), clang14 (LLVM 14 plugin built), qemu-ppc64le.
# LLVM 14 first: '%klp-clang14' must be substituted before '%klp-clang'.
for _ver, _sfx in (('14', '14'), ('19', '')):
    if install_root:
        _plugin = os.path.join(install_root, 'usr', 'lib', 'llvm-' + _ver, 'lib', 'klp-clang.so')
    else:
        _plugin = os.path.join(build, 'clang-pass', 'llvm-' + _ver, 'klp-clang.so')
    _clang = first('clang-' + _ver, '/usr/lib/llvm-%s/bin/clang' % _ver)
    if not _clang or not os.path.exists(_plugin):
        continue
    config.available_features.add('clang' + _sfx)
    _ppc = _clang + ' --target=powerpc64le-linux-gnu'
    _s390 = _clang + ' --target=s390x-linux-gnu'
    config.substitutions += [
        ('%%kclang%s-s390' % _sfx, _s390 + ' -fpass-plugin=' + _plugin),
        ('%%clang%s-s390' % _sfx, _s390),
        ('%%kclang%s-x86' % _sfx, _clang + ' -fpass-plugin=' + _plugin),
        ('%%kclang%s-ppc' % _sfx, _ppc + ' -fpass-plugin=' + _plugin),
        ('%%clang%s-x86' % _sfx, _clang),
        ('%%clang%s-ppc' % _sfx, _ppc),
        ('%%klp-clang%s' % _sfx, _plugin),
    ]
config.substitutions.append(('%fentry-sites', os.path.join(
    config.test_source_root, 'clang', 'Inputs', 'fentry-sites')))
if shutil.which('qemu-ppc64le'):
    config.available_features.add('qemu-ppc64le')
# The ppc64le guests' shell, unpacked by scripts/deps.sh.
if os.access(os.path.join(config.test_source_root, '..', '..', 'build', 'deps', 'ppc64el',
                          'bin', 'busybox'), os.X_OK):
    config.available_features.add('busybox-ppc64le')
if os.access(os.path.join(config.test_source_root, '..', '..', 'build', 'deps', 's390x',
                          'bin', 'busybox'), os.X_OK):
    config.available_features.add('busybox-s390x')
# GCC's torture tests come from Debian's gcc-12-source (tests/torture/extract.sh).
_gcc_source = _glob.glob('/usr/src/gcc-12/gcc-12*.tar.xz')
if _gcc_source:
    config.available_features.add('gcc-source')
    config.substitutions.append(('%gcc-source', _gcc_source[0]))
# ---- end of clang pass plugin block ----------------------------------------------------

#!/usr/bin/env bash
# setup.sh: Gradescope runs this once, as root, when it builds the
# autograder's image, with the zip unpacked in /autograder/source (the kit's
# tree; see package.sh). It installs the Debian packages the kit needs
# (tools/deps.sh), makes sure the unprivileged user the grader's sandbox
# drops to (uid 65534, nobody) exists, makes the tree a git work tree (the
# grader's tools/lab-release.sh needs one) and builds the grader once.
#
# Environment: AUTOGRADER_ROOT (default /autograder) for a test outside
# the real layout; GRADESCOPE_SKIP_DEPS=1 skips the package installation
# (the packages must then be there already).
set -euo pipefail

root=${AUTOGRADER_ROOT:-/autograder}
src=$root/source
cd "$src"
chmod +x run_autograder setup.sh 2>/dev/null || true

if [ -z "${GRADESCOPE_SKIP_DEPS:-}" ]; then
    # What tools/deps.sh takes for granted: the Makefile's compiler (gcc)
    # and python3, which run_autograder reads the lab's allow-list with.
    extra=()
    command -v gcc >/dev/null || extra+=(build-essential)
    command -v python3 >/dev/null || extra+=(python3)
    if [ ${#extra[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${extra[@]}"
    fi
    tools/deps.sh
fi

# Files unpacked with another owner's uid make git refuse the tree.
if [ "$(id -u)" -eq 0 ] && [ "$(stat -c %u .)" != 0 ]; then
    chown -R 0:0 .
fi

# The sandbox runs submissions as uid/gid 65534 (autograder/src/sandbox.h).
# Debian and Ubuntu have nobody/nogroup there; a trimmed image may not.
if [ "$(id -u)" -eq 0 ]; then
    if ! getent group 65534 >/dev/null; then
        groupadd -g 65534 nogroup
    fi
    if ! getent passwd 65534 >/dev/null; then
        useradd -u 65534 -g 65534 -d /nonexistent -M -s /usr/sbin/nologin nobody
    fi
fi

# The grader makes each submission's pristine tree with tools/lab-release.sh,
# which lists the kit's files with git: make the unpacked kit a work tree
# whose index holds exactly the files of the instructor's checkout.
if [ ! -e .git ]; then
    git -c init.defaultBranch=main init -q .
    git --literal-pathspecs add -f --pathspec-from-file=.gradescope-files --pathspec-file-nul
    git -c user.name=autograder -c user.email=autograder@localhost \
        commit -q -m "lab $(cat .gradescope-lab) autograder source"
fi

make -C "$src" build/bin/grade

# The sandbox needs bubblewrap to start namespaces as nobody; some container
# runtimes forbid that. Say so now rather than on every submission (this is
# only a warning: the image builder may be stricter or laxer than the
# machine that grades).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && [ -x /usr/bin/bwrap ]; then
    if ! setpriv --reuid=65534 --regid=65534 --clear-groups \
            /usr/bin/bwrap --unshare-all --die-with-parent --ro-bind / / true 2>/dev/null; then
        echo "setup.sh: warning: bubblewrap cannot start a sandbox as nobody here;" \
             "if it cannot when grading either, every submission reports a grading failure" >&2
    fi
fi
echo "setup.sh: lab $(cat .gradescope-lab) autograder ready in $src"

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Complete a hand-written man page with what the built binaries print about themselves.

    gen_man.py [--fmipgw EXE] [--fmipctl EXE] [--set NAME=VALUE ...] IN OUT

IN is roff (man/*.in) written by hand: description, files, signals, examples, see also.  A
line that is exactly @NAME@ is replaced by roff generated from the binaries (the generators
below); @name@ inside a line is replaced by a --set value (paths, version; @date@ defaults to
the day of SOURCE_DATE_EPOCH, else today).  Run by meson at build time with the binaries it
just built, so a page cannot drift from the code: an option, key or counter added to the code
is in the next page without anyone editing it.

Sources of truth: `fmipgw -- --help` (usage, options, signals), `fmipgw -- --config-md` (the
key table), `fmipgw -- --counters-md` (the counters), `fmipctl --help` and
`fmipctl CMD --help`.  Only the standard library: it runs in the package build.
"""
import functools
import os
import re
import subprocess
import sys
import time


@functools.lru_cache(maxsize=None)
def run(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("gen_man.py: %s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr))
    return r.stdout


def esc(s):
    """Text to roff: backslashes, minus signs (so options copy and paste), leading dots."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def nobreak_groups(s):
    """Keep `[--sec 0|1|2]` on one output line: unbreakable spaces inside brackets."""
    out, depth = [], 0
    for c in s:
        depth += c == "["
        depth -= c == "]"
        out.append("\\ " if c == " " and depth > 0 else c)
    return "".join(out)


def paragraphs(text):
    paras, cur = [], []
    for line in text.splitlines():
        if line.strip():
            cur.append(line)
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def prose(lines):
    return esc(" ".join(x.strip() for x in lines))


METAVAR = re.compile(r"^[A-Z][A-Z0-9_]*(?:[=:][A-Z0-9_\[\]:]+)?(?:\[[^\]]*\])?$")


def split_option(line):
    """'  -c, --config FILE      text' -> ('-c, --config FILE', 'text').  Two or more spaces
    end the option part; without them the option part is the option and its METAVARS."""
    s = line.strip()
    m = re.match(r"^(-\S.*?)(?:\s{2,}(.*))?$", s)
    if m.group(2) is not None:
        return m.group(1), m.group(2)
    toks = s.split(" ")
    n = 1
    while n < len(toks) and (toks[n].startswith("-") and toks[n - 1].endswith(",")
                             or METAVAR.match(toks[n])):
        n += 1
    return " ".join(toks[:n]), " ".join(toks[n:])


def option_spec(spec):
    """Bold option names, italic metavariables."""
    parts = []
    for tok in spec.split(" "):
        comma = tok.endswith(",")
        t = tok.rstrip(",")
        parts.append(("\\fB%s\\fR" if t.startswith("-") else "\\fI%s\\fR") % esc(t) +
                     ("," if comma else ""))
    return " ".join(parts)


def option_list(lines):
    """Indented option lines (with indented continuation lines) -> .TP entries."""
    items = []
    for line in lines:
        if re.match(r"^\s+-", line):
            items.append(list(split_option(line)))
        elif items and re.match(r"^\s{4,}\S", line):
            items[-1][1] += " " + line.strip()
        else:
            raise ValueError("not an option line: %r" % line)
    out = []
    for spec, text in items:
        out += [".TP", option_spec(spec), esc(text.strip())]
    return out


def usage_line(line, prog):
    """'usage: fmipctl cga gen --key KEY.pem ...' (or its aligned continuation) -> roff."""
    s = re.sub(r"^(usage:)?\s*", "", line)
    words = prog.split(" ")
    n = len(words)
    while n < len(s.split(" ")) and re.match(r"^[a-z]+$", s.split(" ")[n]):
        n += 1  # the command and its sub-command words
    head, tail = " ".join(s.split(" ")[:n]), " ".join(s.split(" ")[n:])
    return [".PP", "\\fB%s\\fR %s" % (esc(head), nobreak_groups(esc(tail))) if tail else
            "\\fB%s\\fR" % esc(head)]


# --- fmipgw -- --help --------------------------------------------------------------------

def gw_help(exe):
    text = run(exe, "--", "--help")
    paras = paragraphs(text)
    if not paras or not paras[0][0].startswith("usage: "):
        sys.exit("gen_man.py: fmipgw --help does not start with a usage line")
    parts = {"synopsis": paras[0], "description": [], "eal": [], "options": [],
             "signals": []}
    for p in paras[1:]:
        head = p[0].lstrip()
        if head.startswith("EAL options"):
            parts["eal"].append(p)
        elif head.startswith("Application options"):
            parts["options"].append(p)
        elif head.startswith("Signals"):
            parts["signals"].append(p)
        else:
            parts["description"].append(p)
    for k in ("eal", "options", "signals"):
        if not parts[k]:
            sys.exit("gen_man.py: fmipgw --help has no %r paragraph" % k)
    return parts


def gen_gw_synopsis(a):
    out = []
    for line in gw_help(a["fmipgw"])["synopsis"]:
        out += usage_line(line, "fmipgw")
    return out


def gen_gw_paragraphs(key):
    def gen(a):
        out = []
        for p in gw_help(a["fmipgw"])[key]:
            out += [".PP", prose(p)]
        return out
    return gen


def gen_gw_options(a):
    out = []
    for p in gw_help(a["fmipgw"])["options"]:
        out += option_list(p[1:])
    return out


# --- fmipgw -- --config-md / --counters-md ------------------------------------------------

def md_rows(text, ncols):
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or re.match(r"^\|[-| ]+\|$", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != ncols:
            sys.exit("gen_man.py: table row with %d cells, not %d: %s" %
                     (len(cells), ncols, line))
        rows.append([c[1:-1] if len(c) >= 2 and c[0] == c[-1] == "`" else c for c in cells])
    return rows[1:]  # without the header row


def gen_config_keys(a):
    rows = md_rows(run(a["fmipgw"], "--", "--config-md"), 6)
    if not rows:
        sys.exit("gen_man.py: fmipgw --config-md printed no key")
    out, section = [], None
    for sec, key, typ, default, reload_, meaning in rows:
        if sec != section:
            section = sec
            out += [".SS \"%s\"" % esc(sec)]
        attrs = [typ, "default %s" % (default if default else "empty"),
                 "reloadable (SIGHUP)" if reload_ == "yes" else "restart"]
        out += [".TP", "\\fB%s\\fR (%s)" % (esc(key), esc(", ".join(attrs))), esc(meaning)]
    return out


def gen_counters(a):
    rows = md_rows(run(a["fmipgw"], "--", "--counters-md"), 3)
    if not rows:
        sys.exit("gen_man.py: fmipgw --counters-md printed no counter")
    out = []
    for name, unit, meaning in rows:
        out += [".TP", "\\fB%s\\fR (%s)" % (esc(name), esc(unit)), esc(meaning)]
    return out


# --- fmipctl --help, fmipctl CMD --help ---------------------------------------------------

def ctl_commands(exe):
    cmds = []
    for line in run(exe, "--help").splitlines():
        m = re.match(r"^  ([a-z][a-z-]*)\s{2,}(.*)$", line)
        if m:
            cmds.append((m.group(1), m.group(2)))
    if not cmds:
        sys.exit("gen_man.py: fmipctl --help lists no command")
    return cmds


def gen_ctl_synopsis(a):
    out = []
    for cmd, _ in ctl_commands(a["fmipctl"]):
        for line in run(a["fmipctl"], cmd, "--help").splitlines():
            if re.match(r"^(usage:)?\s*fmipctl ", line):
                out += usage_line(line, "fmipctl")
    return out


def gen_ctl_commands(a):
    out = []
    for cmd, summary in ctl_commands(a["fmipctl"]):
        out += [".SS %s" % esc(cmd), esc(summary.rstrip(".") + ".")]
        usage, opts, text = [], [], []
        for line in run(a["fmipctl"], cmd, "--help").splitlines():
            if re.match(r"^(usage:)?\s*fmipctl ", line):
                usage.append(line)
            elif re.match(r"^\s+-", line) or (opts and re.match(r"^\s{4,}\S", line) and
                                                not text):
                opts.append(line)
            elif line.strip():
                text.append(line)
        for line in usage:
            out += usage_line(line, "fmipctl")
        if opts:
            out += option_list(opts)
        if text:
            out += [".PP", prose(text)]
    return out


GENERATORS = {
    "FMIPGW_SYNOPSIS": gen_gw_synopsis,
    "FMIPGW_DESCRIPTION": gen_gw_paragraphs("description"),
    "FMIPGW_EAL": gen_gw_paragraphs("eal"),
    "FMIPGW_OPTIONS": gen_gw_options,
    "FMIPGW_SIGNALS": gen_gw_paragraphs("signals"),
    "FMIPGW_COUNTERS": gen_counters,
    "CONFIG_KEYS": gen_config_keys,
    "FMIPCTL_SYNOPSIS": gen_ctl_synopsis,
    "FMIPCTL_COMMANDS": gen_ctl_commands,
}


def main(argv):
    a, sets, files = {}, {}, []
    i = 0
    while i < len(argv):
        if argv[i] in ("--fmipgw", "--fmipctl"):
            a[argv[i][2:]] = argv[i + 1]
            i += 2
        elif argv[i] == "--set":
            k, _, v = argv[i + 1].partition("=")
            sets[k] = v
            i += 2
        else:
            files.append(argv[i])
            i += 1
    if len(files) != 2:
        sys.exit(__doc__)
    src, dst = files
    # reproducible: the date of the last changelog entry in a package build (dpkg exports it)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    sets.setdefault("date", time.strftime("%Y-%m-%d", time.gmtime(epoch)))
    out = []
    for n, line in enumerate(open(src, encoding="utf-8").read().splitlines(), 1):
        m = re.match(r"^@([A-Z_]+)@$", line)
        if m:
            gen = GENERATORS.get(m.group(1))
            if gen is None:
                sys.exit("%s:%d: unknown generator @%s@" % (src, n, m.group(1)))
            try:
                out += gen(a)
            except KeyError as e:
                sys.exit("%s:%d: @%s@ needs --%s" % (src, n, m.group(1), e.args[0]))
            continue

        def sub(m, n=n):
            if m.group(1) not in sets:
                sys.exit("%s:%d: @%s@ has no --set value" % (src, n, m.group(1)))
            return sets[m.group(1)]
        out.append(line if line.startswith('.\\"') else re.sub(r"@([a-z_]+)@", sub, line))
    open(dst, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Static checks of the Asterisk kit in asterisk/: no Asterisk and no daemon needed.

A small parser for Asterisk's extensions.conf syntax (sections, `exten =>`, `same =>`, `n`
priorities, `n(label)` labels, `;` and `;-- --;` comments, `#include`) loads
asterisk/extensions_faxbot.conf and checks it against the daemon <-> dialplan contract: the
contexts, the report subroutines and their guards, the exact UserEvent keys, the AstDB entry,
the variables the daemon sends, and that nothing a caller controls reaches System() unfiltered.
Where it matters, the checks run the dialplan's text through ports of the Asterisk functions
involved (argument splitting as in main/app.c `__ast_app_separate_args`, `FILTER()` as in
funcs/func_strings.c, UserEvent's key/value parsing as in apps/app_userevent.c), with hostile
values, and look at what Asterisk would produce.

The parser is tested on its own against the dialplan verified on a real Asterisk 22.10.1
(Tests/Fixtures/asterisk/loopback-extensions.conf) and on broken snippets.
"""

from __future__ import annotations

import pathlib
import re
import shlex
import string
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
KIT = REPO / "asterisk"
DIALPLAN = KIT / "extensions_faxbot.conf"
MANAGER = KIT / "manager_faxbot.conf"
FIXTURE = REPO / "Tests" / "Fixtures" / "asterisk" / "loopback-extensions.conf"

# The contract (daemon <-> dialplan).
SENT_BY_DAEMON = ["FAXBOT_JOB", "FAXBOT_ATTEMPT", "FAXBOT_FILE", "FAXBOT_HEADER", "FAXBOT_STATION_ID",
                  "FAXBOT_ECM", "FAXBOT_TIMEOUT"]
RESULT_KEYS = ["Job", "Attempt", "FaxStatus", "FaxError", "FaxStatusString", "FaxPages", "FaxBitrate",
               "FaxResolution", "FaxMode", "RemoteStationID", "HangupCause"]
RESULT_VALUES = {"Job": "${FAXBOT_JOB}", "Attempt": "${FAXBOT_ATTEMPT}", "FaxStatus": "${FAXSTATUS}",
                 "FaxError": "${FAXERROR}", "FaxStatusString": "${FAXSTATUSSTRING}", "FaxPages": "${FAXPAGES}",
                 "FaxBitrate": "${FAXBITRATE}", "FaxResolution": "${FAXRESOLUTION}", "FaxMode": "${FAXMODE}",
                 "HangupCause": "${HANGUPCAUSE}"}
INBOUND_KEYS = ["File", "CallID", "From", "To", "FaxStatus", "FaxError", "FaxPages", "RemoteStationID"]
DB_WRITE = "DB(faxbot/${UNIQUEID})=${FAXSTATUS}:${FAXPAGES}:${FAXERROR}"
# Values that may appear in System() without FILTER(): operator-set globals.
SYSTEM_CONSTANTS = {"GLOBAL(FAXBOT_CLI)", "GLOBAL(FAXBOT_INBOUND_DIR)", "FAXBOT_CLI", "FAXBOT_INBOUND_DIR"}
# Characters a FILTER() inside System() may let through: none has a meaning to /bin/sh inside
# single quotes, and none is a quote.
SHELL_SAFE = set(string.ascii_letters + string.digits + "+-._")


# =============================================================================================
# The parser
# =============================================================================================

class DialplanError(ValueError):
    """The text is not a dialplan this parser (and Asterisk) would accept."""

    def __init__(self, message: str, file: str = "<string>", line: int = 0):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line = file, line


@dataclass
class Step:
    priority: int
    label: Optional[str]
    app: str
    data: str
    file: str
    line: int


@dataclass
class Extension:
    name: str
    steps: Dict[int, Step] = field(default_factory=dict)

    def ordered(self) -> List[Step]:
        return [self.steps[p] for p in sorted(self.steps)]

    def labels(self) -> Dict[str, int]:
        return {s.label: s.priority for s in self.steps.values() if s.label}

    def last_priority(self) -> int:
        return max(self.steps) if self.steps else 0


@dataclass
class Context:
    name: str
    extensions: Dict[str, Extension] = field(default_factory=dict)
    includes: List[str] = field(default_factory=list)


@dataclass
class Dialplan:
    general: Dict[str, str] = field(default_factory=dict)
    globals: Dict[str, str] = field(default_factory=dict)
    contexts: Dict[str, Context] = field(default_factory=dict)
    included_files: List[str] = field(default_factory=list)

    def context(self, name: str) -> Context:
        assert name in self.contexts, f"context [{name}] missing; have {sorted(self.contexts)}"
        return self.contexts[name]

    def extension(self, context: str, exten: str) -> Extension:
        ctx = self.context(context)
        assert exten in ctx.extensions, f"extension {exten} missing in [{context}]; have {sorted(ctx.extensions)}"
        return ctx.extensions[exten]

    def steps(self, context: Optional[str] = None) -> List[Tuple[str, str, Step]]:
        out = []
        for cname, ctx in self.contexts.items():
            if context is not None and cname != context:
                continue
            for ename, ext in ctx.extensions.items():
                out += [(cname, ename, s) for s in ext.ordered()]
        return out


Loader = Callable[[str], Optional[Tuple[str, str]]]


def _strip_comment(line: str, state: Dict[str, bool]) -> str:
    """Removes `; …` and `;-- … --;` comments; `\\;` is a literal semicolon (as in main/config.c)."""
    out = []
    i = 0
    while i < len(line):
        if state["block"]:
            end = line.find("--;", i)
            if end < 0:
                return "".join(out)
            state["block"] = False
            i = end + 3
            continue
        c = line[i]
        if c == "\\" and line[i + 1:i + 2] == ";":
            out.append(";")
            i += 2
            continue
        if line.startswith(";--", i):
            state["block"] = True
            i += 3
            continue
        if c == ";":
            break
        out.append(c)
        i += 1
    return "".join(out)


def _split_first_outside_brackets(text: str, delim: str) -> Tuple[str, Optional[str]]:
    """pbx_config's pbx_strsep: a delimiter inside [...] (a pattern's character class) does not count."""
    depth = 0
    for i, c in enumerate(text):
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        elif c == delim and depth == 0:
            return text[:i], text[i + 1:]
    return text, None


_APP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SECTION = re.compile(r"^\[([^\[\]]*)\](?:\(([^)]*)\))?$")


def parse(text: str, filename: str = "<string>", loader: Optional[Loader] = None) -> Dialplan:
    plan = Dialplan()
    state: Dict[str, object] = {"section": None, "kind": None, "last_exten": None}
    _parse_into(plan, text, filename, loader, state, depth=0)
    return plan


def _parse_into(plan: Dialplan, text: str, filename: str, loader: Optional[Loader], state: Dict[str, object],
                depth: int) -> None:
    if depth > 10:
        raise DialplanError("#include nested too deeply", filename, 0)
    comments = {"block": False}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw, comments).strip()
        if not line:
            continue
        if line.startswith("#"):
            directive, _, arg = line.partition(" ")
            arg = arg.strip().strip('"').strip("<>")
            if directive in ("#include", "#tryinclude"):
                if not arg:
                    raise DialplanError(f"{directive} without a file name", filename, lineno)
                plan.included_files.append(arg)
                if loader is not None:
                    loaded = loader(arg)
                    if loaded is None:
                        if directive == "#include":
                            raise DialplanError(f"#include {arg}: no such file", filename, lineno)
                        continue
                    _parse_into(plan, loaded[0], loaded[1], loader, state, depth + 1)
                continue
            raise DialplanError(f"unsupported directive {directive}", filename, lineno)
        if line.startswith("["):
            m = _SECTION.match(line)
            if not m or not m.group(1).strip():
                raise DialplanError(f"bad section header {line!r}", filename, lineno)
            name, options = m.group(1).strip(), (m.group(2) or "").strip()
            if options not in ("", "+"):
                raise DialplanError(f"section options ({options}) are not supported", filename, lineno)
            state["section"], state["last_exten"] = name, None
            if name == "general":
                state["kind"] = "general"
            elif name == "globals":
                state["kind"] = "globals"
            else:
                state["kind"] = "context"
                if options == "+" and name not in plan.contexts:
                    raise DialplanError(f"[{name}](+) adds to a context that does not exist", filename, lineno)
                plan.contexts.setdefault(name, Context(name))
            continue
        if "=" not in line:
            raise DialplanError(f"not a 'key => value' line: {line!r}", filename, lineno)
        key, _, value = line.partition("=")
        key = key.strip().lower()
        value = value[1:] if value.startswith(">") else value
        value = value.strip()
        if state["section"] is None:
            raise DialplanError(f"'{key}' outside any section", filename, lineno)
        if state["kind"] == "general":
            plan.general[key] = value
            continue
        if state["kind"] == "globals":
            plan.globals[line.partition("=")[0].strip()] = value
            continue
        ctx = plan.contexts[str(state["section"])]
        if key == "exten":
            exten, rest = _split_first_outside_brackets(value, ",")
            exten = exten.strip()
            if not exten:
                raise DialplanError("exten without an extension", filename, lineno)
            if rest is None:
                raise DialplanError("exten without a priority", filename, lineno)
            state["last_exten"] = exten
            _add_step(ctx, exten, rest, filename, lineno)
        elif key == "same":
            if state["last_exten"] is None:
                raise DialplanError(f"'same =>' before any 'exten =>' in [{ctx.name}]", filename, lineno)
            _add_step(ctx, str(state["last_exten"]), value, filename, lineno)
        elif key == "include":
            ctx.includes.append(value)
        elif key in ("switch", "eswitch", "lswitch", "ignorepat"):
            continue
        else:
            raise DialplanError(f"unknown context entry '{key}'", filename, lineno)


def _add_step(ctx: Context, exten: str, rest: str, filename: str, lineno: int) -> None:
    pri_text, sep, app_text = rest.partition(",")
    if not sep:
        raise DialplanError(f"{exten}: priority without an application", filename, lineno)
    pri_text = pri_text.strip()
    label = None
    if "(" in pri_text:
        pri_text, _, label_part = pri_text.partition("(")
        if not label_part.endswith(")"):
            raise DialplanError(f"{exten}: label without a closing ')'", filename, lineno)
        label = label_part[:-1].strip()
        if not label:
            raise DialplanError(f"{exten}: empty label", filename, lineno)
        pri_text = pri_text.strip()
    ext = ctx.extensions.setdefault(exten, Extension(exten))
    if pri_text in ("n", "next"):
        if not ext.steps:
            raise DialplanError(f"{exten}: 'n' on the first priority of the extension", filename, lineno)
        priority = ext.last_priority() + 1
    elif pri_text.isdigit() and int(pri_text) >= 1:
        priority = int(pri_text)
    elif pri_text == "hint":
        return
    else:
        raise DialplanError(f"{exten}: unsupported priority {pri_text!r}", filename, lineno)
    if priority in ext.steps:
        raise DialplanError(f"{exten}: priority {priority} defined twice", filename, lineno)
    if label is not None and label in ext.labels():
        raise DialplanError(f"{exten}: label {label!r} defined twice", filename, lineno)
    app_text = app_text.strip()
    if "(" in app_text:
        app, _, data = app_text.partition("(")
        close = data.rfind(")")
        if close < 0:
            raise DialplanError(f"{exten}: no closing parenthesis in {app_text!r}", filename, lineno)
        if data[close + 1:].strip():
            raise DialplanError(f"{exten}: text after the closing parenthesis in {app_text!r}", filename, lineno)
        app, data = app.strip(), data[:close]
    else:
        app, data = app_text, ""
    if not _APP_NAME.match(app):
        raise DialplanError(f"{exten}: bad application name {app!r}", filename, lineno)
    ext.steps[priority] = Step(priority, label, app, data, filename, lineno)


def file_loader(base: pathlib.Path) -> Loader:
    def load(name: str) -> Optional[Tuple[str, str]]:
        path = pathlib.Path(name) if name.startswith("/") else base / name
        return (path.read_text(), str(path)) if path.is_file() else None
    return load


def load(path: pathlib.Path) -> Dialplan:
    return parse(path.read_text(), str(path), file_loader(path.parent))


# ---- what Asterisk does with the text at run time --------------------------------------------

def separate_args(buf: str, delim: str = ",", remove_chars: bool = True, maxargs: int = 128) -> List[str]:
    """Port of main/app.c __ast_app_separate_args (AST_STANDARD_APP_ARGS when remove_chars,
    AST_STANDARD_RAW_ARGS otherwise): the delimiter counts only outside (), [] and double quotes;
    with remove_chars, quotes are dropped and a backslash makes the next character literal."""
    args: List[str] = []
    cur: List[str] = []
    paren = bracket = 0
    quote = False
    i = 0
    ended_on_delim = False
    while i < len(buf):
        c = buf[i]
        ended_on_delim = False
        if len(args) >= maxargs - 1:
            cur.append(buf[i:])
            break
        if c == "(":
            paren += 1
        elif c == ")":
            paren = max(0, paren - 1)
        elif c == "[":
            bracket += 1
        elif c == "]":
            bracket = max(0, bracket - 1)
        elif c == '"' and delim != '"':
            quote = not quote
            if remove_chars:
                i += 1
                continue
        elif c == "\\":
            if remove_chars:
                i += 1
                if i < len(buf):
                    cur.append(buf[i])
                i += 1
                continue
            cur.append(c)
            i += 1
            if i < len(buf):
                cur.append(buf[i])
            i += 1
            continue
        elif c == delim and not paren and not quote and not bracket:
            args.append("".join(cur))
            cur = []
            i += 1
            ended_on_delim = True
            continue
        cur.append(c)
        i += 1
    if cur or ended_on_delim or not args:
        args.append("".join(cur))
    return args


def filter_charset(allowed: str) -> set:
    """The characters FILTER(allowed,…) keeps: literal characters, ranges a-b, \\x.., \\0.. and
    \\t \\n \\r escapes (funcs/func_strings.c filter() with ast_get_encoded_char)."""
    def encoded(s: str, i: int) -> Tuple[str, int]:
        if s[i] != "\\" or i + 1 >= len(s):
            return s[i], 1
        n = s[i + 1]
        if n == "x":
            m = re.match(r"[0-9A-Fa-f]{1,2}", s[i + 2:])
            return (chr(int(m.group(0), 16)), 2 + len(m.group(0))) if m else ("x", 2)
        if n == "0":
            m = re.match(r"[0-7]{1,3}", s[i + 2:])
            return (chr(int(m.group(0), 8)), 2 + len(m.group(0))) if m else ("\0", 2)
        return {"t": "\t", "n": "\n", "r": "\r"}.get(n, n), 2

    chars: set = set()
    i = 0
    while i < len(allowed):
        c1, used = encoded(allowed, i)
        i += used
        if i < len(allowed) and allowed[i] == "-":
            if i + 1 < len(allowed):
                c2, used = encoded(allowed, i + 1)
                i += 1 + used
            else:
                c2, i = c1, i + 1
            chars |= {chr(x) for x in range(ord(c1), ord(c2) + 1)}
        else:
            chars.add(c1)
    return chars


def substitute(text: str, variables: Dict[str, str], globals_: Dict[str, str]) -> str:
    """Asterisk's ${…} substitution for the functions this dialplan uses: the name inside ${…}
    is substituted first, a value is never substituted again."""
    out: List[str] = []
    i = 0
    while i < len(text):
        if text.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                if text[j] == "}":
                    depth -= 1
                j += 1
            if depth:
                raise ValueError(f"unbalanced ${{ in {text!r}")
            name = substitute(text[i + 2:j - 1], variables, globals_)
            out.append(evaluate(name, variables, globals_))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def evaluate(name: str, variables: Dict[str, str], globals_: Dict[str, str]) -> str:
    if name.endswith(")") and "(" in name:
        func, _, args = name.partition("(")
        args = args[:args.rfind(")")]
        if func == "FILTER":
            allowed, value = (separate_args(args, ",", remove_chars=False, maxargs=2) + [""])[:2]
            keep = filter_charset(allowed)
            return "".join(c for c in value if c in keep)
        if func == "GLOBAL":
            return globals_.get(args, "")
        if func == "LEN":
            return str(len(args))
        return variables.get(name, "")
    return variables.get(name, globals_.get(name, ""))


def user_event(data: str, variables: Dict[str, str], globals_: Dict[str, str]) -> Tuple[str, Dict[str, str], List[str]]:
    """What UserEvent(data) publishes (apps/app_userevent.c): the event name, the key/value
    object (a later key replaces an earlier one), and the keys in argument order."""
    args = separate_args(substitute(data, variables, globals_))
    fields: Dict[str, str] = {}
    order: List[str] = []
    for arg in args[1:]:
        key, sep, value = arg.partition(":")
        if not sep:
            continue
        fields[key] = value.strip()
        order.append(key)
    return args[0], fields, order


def top_level_vars(text: str) -> List[str]:
    """The outermost ${…} expressions of `text`, without the ${ }."""
    found, i = [], 0
    while i < len(text):
        if text.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                if text[j] == "}":
                    depth -= 1
                j += 1
            found.append(text[i + 2:j - 1])
            i = j
        else:
            i += 1
    return found


def pattern_matches(pattern: str, exten: str) -> bool:
    """Asterisk extension matching: a literal, or _ with X Z N [..] . !"""
    if not pattern.startswith("_"):
        return pattern == exten
    rx, i, p = "", 0, pattern[1:]
    while i < len(p):
        c = p[i]
        if c == "[":
            end = p.index("]", i)
            rx += "[" + re.sub(r"([\\^])", r"\\\1", p[i + 1:end]) + "]"
            i = end + 1
            continue
        rx += {"X": "[0-9]", "Z": "[1-9]", "N": "[2-9]", ".": ".+", "!": ".*"}.get(c.upper(), re.escape(c))
        i += 1
    return re.fullmatch(rx, exten) is not None


# ---- branch targets -----------------------------------------------------------------------------

def _gotoif_destinations(data: str) -> List[str]:
    depth = 0
    for i, c in enumerate(data):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth = max(0, depth - 1)
        elif c == "?" and depth == 0:
            return [d for d in separate_args(data[i + 1:], ":", remove_chars=False) if d.strip()]
    raise DialplanError(f"GotoIf without '?': {data!r}")


def branch_targets(context: str, exten: str, step: Step) -> List[Tuple[str, str, str]]:
    """(context, extension, priority-or-label) of every Goto/GotoIf/Gosub destination."""
    if step.app in ("Goto", "Gosub"):
        dests = [step.data]
    elif step.app in ("GotoIf", "GosubIf"):
        dests = _gotoif_destinations(step.data)
    else:
        return []
    out = []
    for dest in dests:
        if step.app.startswith("Gosub"):
            dest = re.sub(r"\(.*\)$", "", dest.strip())  # Gosub(...,1(arg1,arg2))
        parts = [p.strip() for p in separate_args(dest, ",", remove_chars=False)]
        if len(parts) == 1:
            out.append((context, exten, parts[0]))
        elif len(parts) == 2:
            out.append((context, parts[0], parts[1]))
        elif len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
        else:
            raise DialplanError(f"{step.app} with too many parts: {step.data!r}", step.file, step.line)
    return out


def validate(plan: Dialplan) -> List[str]:
    """Problems Asterisk would not report at load time but that break a call: gaps in the
    priorities, and branches to contexts, extensions, priorities or labels that do not exist."""
    problems = []
    for cname, ctx in plan.contexts.items():
        for ename, ext in ctx.extensions.items():
            if sorted(ext.steps) != list(range(1, len(ext.steps) + 1)):
                problems.append(f"[{cname}] {ename}: priorities {sorted(ext.steps)} have a gap")
            for step in ext.ordered():
                for tctx, texten, tpri in branch_targets(cname, ename, step):
                    if "$" in tctx + texten + tpri:
                        continue  # computed at run time
                    where = f"[{cname}] {ename},{step.priority} {step.app}({step.data})"
                    if tctx not in plan.contexts:
                        problems.append(f"{where}: no context [{tctx}]")
                        continue
                    target = plan.contexts[tctx].extensions.get(texten)
                    if target is None:
                        problems.append(f"{where}: no extension {texten} in [{tctx}]")
                    elif tpri.isdigit():
                        if int(tpri) not in target.steps:
                            problems.append(f"{where}: no priority {tpri} in {texten}@{tctx}")
                    elif tpri not in target.labels():
                        problems.append(f"{where}: no label {tpri} in {texten}@{tctx}")
    return problems


# =============================================================================================
# The parser itself
# =============================================================================================

def test_parser_reads_the_dialplan_verified_on_asterisk_22():
    plan = load(FIXTURE)
    assert plan.general == {"static": "yes", "writeprotect": "yes", "clearglobalvars": "no"}
    assert list(plan.contexts) == ["fax-tx", "fax-rx", "fax-report", "fax-silent", "fax-silent-audio",
                                   "fax-hangup", "echo-test"]
    tx = plan.extension("fax-tx", "s")
    assert [s.app for s in tx.ordered()] == ["NoOp", "Set", "Set", "Set", "ExecIf", "ExecIf", "ExecIf", "ExecIf",
                                             "SendFAX", "Gosub", "Hangup"]
    assert tx.steps[9].data == "${FAXFILE},s"
    assert plan.extension("fax-tx", "h").steps[1].data == "fax-report,s,1"
    report = plan.extension("fax-report", "s")
    assert report.labels() == {"done": 4} and report.steps[4].app == "Return"
    assert separate_args(report.steps[3].data)[0] == "FaxResult"
    # The comment between two `same =>` lines of fax-rx does not break the extension.
    assert [s.app for s in plan.extension("fax-rx", "s").ordered()][-3:] == ["Gosub", "Wait", "Hangup"]
    assert validate(plan) == []


@pytest.mark.parametrize("snippet, message", [
    ("exten => s,1,NoOp()\n", "outside any section"),
    ("[ctx]\n same => n,NoOp()\n", "before any 'exten =>'"),
    ("[a]\nexten => s,1,NoOp()\n[b]\n same => n,NoOp()\n", "before any 'exten =>'"),
    ("[ctx]\nexten => s,n,NoOp()\n", "'n' on the first priority"),
    ("[ctx]\nexten => s,1,NoOp(\n", "no closing parenthesis"),
    ("[ctx]\nexten => s,1,NoOp()\n same => n(x),NoOp()\n same => n(x),NoOp()\n", "label 'x' defined twice"),
    ("[ctx]\nexten => s,1,NoOp()\nexten => s,1,Hangup()\n", "priority 1 defined twice"),
    ("[ctx]\nexten => s,1(lbl,NoOp()\n", "label without a closing"),
    ("[ctx]\nexten => s\n", "without a priority"),
    ("[ctx]\nexten => s,1\n", "priority without an application"),
    ("[ctx]\nfoo => bar\n", "unknown context entry"),
    ("[ctx]\njust some words\n", "not a 'key => value' line"),
    ("[]\n", "bad section header"),
    ("[ctx\n", "bad section header"),
    ("[ctx](!)\n", "not supported"),
    ("[ctx](+)\n", "does not exist"),
    ("[ctx]\nexten => s,1,No Op()\n", "bad application name"),
    ("[ctx]\nexten => s,1,NoOp() trailing\n", "after the closing parenthesis"),
    ("#exec /bin/true\n", "unsupported directive"),
])
def test_parser_rejects_broken_dialplans(snippet, message):
    with pytest.raises(DialplanError, match=re.escape(message)):
        parse(snippet)


def test_parser_comments_labels_includes_and_validation():
    main = (
        "[general]\nstatic=yes ; a comment\n"
        ";-- a block comment\n[not-a-context]\n--;\n"
        "[a]\n"
        "exten => _[+0-9].,1,NoOp(semi\\;colon) ; comment\n"
        " same => n(lbl),GotoIf($[\"${X}\" = \"1\"]?lbl:2)\n"
        "exten => h,1,Gosub(b,s,1)\n"
        "#include other.conf\n"
        "#tryinclude missing.conf\n"
    )
    other = "[b]\nexten => s,1,Return()\n"
    files = {"other.conf": (other, "other.conf")}
    plan = parse(main, "main.conf", lambda name: files.get(name))
    assert list(plan.contexts) == ["a", "b"]
    step = plan.extension("a", "_[+0-9].").steps[1]
    assert step.data == "semi;colon"
    assert plan.extension("a", "_[+0-9].").labels() == {"lbl": 2}
    assert plan.included_files == ["other.conf", "missing.conf"]
    assert validate(plan) == []

    with pytest.raises(DialplanError, match="no such file"):
        parse("#include nowhere.conf\n", "main.conf", lambda name: None)

    gaps = parse("[c]\nexten => s,1,NoOp()\nexten => s,3,NoOp()\n"
                 "exten => t,1,Goto(nolabel)\n same => n,Gosub(c,zz,1)\n same => n,Goto(d,s,1)\n")
    problems = validate(gaps)
    assert any("have a gap" in p for p in problems)
    assert any("no label nolabel" in p for p in problems)
    assert any("no extension zz" in p for p in problems)
    assert any("no context [d]" in p for p in problems)


def test_argument_splitting_and_filter_match_asterisk():
    assert separate_args('Ev,"A: x, y","B: (z"') == ["Ev", "A: x, y", "B: (z"]
    assert separate_args("a,(b,c),[d,e],f") == ["a", "(b,c)", "[d,e]", "f"]
    assert separate_args("a\\,b,c") == ["a,b", "c"]
    assert separate_args("x,", ",") == ["x", ""]
    # An unbalanced '(' in a value swallows every later argument: why values are filtered.
    assert separate_args('Ev,"A: (",B: 1') == ["Ev", "A: (,B: 1"]
    assert filter_charset("0123456789+") == set("0123456789+")
    assert filter_charset("-.0-9A-Z_a-z") == set("-._" + string.digits + string.ascii_letters)
    assert filter_charset("-0-9A-Za-z +.") == set("- +." + string.digits + string.ascii_letters)
    assert filter_charset("a-") == {"a"}
    assert filter_charset("\\x41\\x2d") == {"A", "-"}
    assert substitute("${FILTER(0123456789+,${X})}", {"X": "+1 (555) 123,4"}, {}) == "+15551234"
    assert substitute("${GLOBAL(G)}/${V}", {"G": "shadow", "V": "v"}, {"G": "g"}) == "g/v"
    assert pattern_matches("_[+0-9].", "+15551230000") and pattern_matches("_[+0-9].", "15551230000")
    assert not pattern_matches("_[+0-9].", "h") and not pattern_matches("_[+0-9].", "5")
    assert pattern_matches("_X.", "12") and not pattern_matches("_NXX", "123") and pattern_matches("_NXX", "223")


# =============================================================================================
# asterisk/extensions_faxbot.conf
# =============================================================================================

@pytest.fixture(scope="module")
def plan() -> Dialplan:
    return load(DIALPLAN)


def _gosubs(ext: Extension) -> List[str]:
    return [s.data.replace(" ", "") for s in ext.ordered() if s.app == "Gosub"]


def _index(ext: Extension, app: str, contains: str = "") -> int:
    steps = ext.ordered()
    for i, s in enumerate(steps):
        if s.app == app and contains in s.data:
            return i
    raise AssertionError(f"no {app}({contains}…) in {ext.name}: {[(s.app, s.data) for s in steps]}")


def test_contexts_globals_and_no_dangling_branches(plan):
    for name in ["faxbot-tx", "faxbot-tx-report", "faxbot-rx", "faxbot-rx-report", "faxbot-from-trunk",
                 "faxbot-loop"]:
        plan.context(name)
    assert "general" not in {c.lower() for c in plan.contexts}
    assert plan.general == {}, "[general] belongs to the operator's extensions.conf"
    assert plan.globals["FAXBOT_INBOUND_DIR"] == "/var/spool/faxbot/inbound"
    assert plan.globals["FAXBOT_CLI"] == "/usr/bin/faxbot"
    assert plan.globals["FAXBOT_CALL_LIMIT"].isdigit()
    assert validate(plan) == []


def test_globals_are_read_with_GLOBAL_so_channel_variables_cannot_shadow_them(plan):
    for cname, ename, step in plan.steps():
        for name in plan.globals:
            assert "${" + name + "}" not in step.data, (cname, ename, step.priority, name)


def test_tx_runs_sendfax_on_the_daemons_file_with_t38_and_audio_fallback(plan):
    s = plan.extension("faxbot-tx", "s")
    send = s.ordered()[_index(s, "SendFAX")]
    file, options = (separate_args(send.data) + [""])[:2]
    assert file == "${FAXBOT_FILE}"
    assert "f" in options and "F" not in options, "T.38 allowed, audio fallback: 'f', never 'F' (audio only)"


def test_tx_uses_every_variable_the_daemon_sends(plan):
    text = " ".join(s.data for _, _, s in plan.steps("faxbot-tx") + plan.steps("faxbot-tx-report"))
    for name in SENT_BY_DAEMON:
        assert "${" + name + "}" in text, f"{name} is sent by the daemon but not used"


def test_tx_applies_the_call_limit_header_station_and_ecm_before_sending(plan):
    s = plan.extension("faxbot-tx", "s")
    steps = s.ordered()
    send = _index(s, "SendFAX")
    before = steps[:send]
    sets = {st.data.partition("=")[0]: st.data.partition("=")[2] for st in before if st.app == "Set"}
    assert sets["FAXOPT(headerinfo)"] == "${FAXBOT_HEADER}"
    assert sets["FAXOPT(localstationid)"] == "${FAXBOT_STATION_ID}"
    assert any(st.app == "ExecIf" and "Set(FAXOPT(ecm)=${FAXBOT_ECM})" in st.data for st in before)
    assert "TIMEOUT(absolute)" in sets
    # The limit comes from FAXBOT_TIMEOUT (digits only), else the global default.
    variables: Dict[str, str] = {"FAXBOT_TIMEOUT": "600; rm"}
    for st in before:
        name, _, value = st.data.partition("=")
        if st.app == "Set" and name == "FAXBOT_LIMIT":
            variables["FAXBOT_LIMIT"] = substitute(value, variables, plan.globals)
    assert variables["FAXBOT_LIMIT"] == "600"
    # Header text with ? : ( in it never reaches an expression: emptiness is tested with LEN().
    for st in before:
        if st.app in ("GotoIf", "ExecIf"):
            cond = st.data.split("?")[0]
            assert "${FAXBOT_HEADER}" not in cond.replace("${LEN(${FAXBOT_HEADER})}", "")


@pytest.mark.parametrize("exten", ["s", "h", "T"])
def test_every_way_out_of_tx_reaches_the_report(plan, exten):
    ext = plan.extension("faxbot-tx", exten)
    assert "faxbot-tx-report,s,1" in _gosubs(ext)
    if exten == "s":
        assert _index(ext, "SendFAX") < _index(ext, "Gosub", "faxbot-tx-report")


def test_tx_report_is_guarded_and_writes_astdb_before_the_event(plan):
    sub = plan.extension("faxbot-tx-report", "s")
    steps = sub.ordered()
    first = steps[0]
    assert first.app == "GotoIf" and "${FAXBOT_TX_REPORTED}" in first.data
    (target,) = [t for t in branch_targets("faxbot-tx-report", "s", first)]
    assert sub.steps[sub.labels()[target[2]]].app == "Return"
    db = _index(sub, "Set", "DB(")
    event = _index(sub, "UserEvent")
    guard_set = _index(sub, "Set", "FAXBOT_TX_REPORTED=1")
    assert steps[db].data == DB_WRITE
    assert db < event < guard_set, "AstDB first, then the event; the guard once the event is out"
    assert steps[-1].app == "Return"
    # A hangup in the middle of the subroutine runs this context's h: it must finish the report.
    h = plan.extension("faxbot-tx-report", "h")
    assert [(s.app, s.data) for s in h.ordered()] == [("Goto", "s,1")]


def test_tx_report_guard_sends_once(plan):
    """Walk the subroutine twice, as the normal path and then h do."""
    sub = plan.extension("faxbot-tx-report", "s")
    variables = {"FAXSTATUS": "SUCCESS"}
    sent = 0
    for _ in range(2):
        p = 1
        while p in sub.steps:
            st = sub.steps[p]
            if st.app == "GotoIf":
                cond = substitute(st.data.split("?")[0], variables, {})
                if '"1" = "1"' in cond:
                    p = sub.labels()[st.data.split("?")[1]]
                    continue
            elif st.app == "Set" and st.data.startswith("FAXBOT_TX_REPORTED="):
                variables["FAXBOT_TX_REPORTED"] = st.data.partition("=")[2]
            elif st.app == "UserEvent":
                sent += 1
            elif st.app == "Return":
                break
            p += 1
    assert sent == 1


def test_faxbot_result_event_has_exactly_the_contract_keys_quoted_and_in_order(plan):
    sub = plan.extension("faxbot-tx-report", "s")
    data = sub.ordered()[_index(sub, "UserEvent")].data
    raw = separate_args(data, remove_chars=False)
    assert raw[0] == "FaxbotResult"
    for arg in raw[1:]:
        assert arg.startswith('"') and arg.endswith('"') and arg.count('"') == 2, f"not one quoted argument: {arg}"
    args = [a[1:-1] for a in raw[1:]]
    assert [a.partition(": ")[0] for a in args] == RESULT_KEYS
    values = {a.partition(": ")[0]: a.partition(": ")[2] for a in args}
    for key, value in RESULT_VALUES.items():
        assert values[key] == value, key
    assert "${REMOTESTATIONID}" in values["RemoteStationID"]


def test_faxbot_result_cannot_be_forged_by_the_remote_station_id(plan):
    sub = plan.extension("faxbot-tx-report", "s")
    data = sub.ordered()[_index(sub, "UserEvent")].data
    variables = {"FAXBOT_JOB": "a" * 32, "FAXBOT_ATTEMPT": "2", "FAXSTATUS": "FAILED",
                 "FAXERROR": "The call dropped prematurely", "FAXSTATUSSTRING": "The call dropped prematurely",
                 "FAXPAGES": "0", "FAXBITRATE": "14400", "FAXRESOLUTION": "0x0", "FAXMODE": "audio",
                 "REMOTESTATIONID": '","FaxStatus:SUCCESS', "HANGUPCAUSE": "16"}
    name, fields, order = user_event(data, variables, {})
    assert name == "FaxbotResult"
    assert order == RESULT_KEYS
    assert fields["FaxStatus"] == "FAILED"
    assert fields["Job"] == "a" * 32 and fields["HangupCause"] == "16"
    # Commas in a status string stay inside their quoted argument.
    variables.update(REMOTESTATIONID="+1 555 (123", FAXSTATUSSTRING="incompatible 'modems' and 'minrate' settings, x")
    _, fields, order = user_event(data, variables, {})
    assert order == RESULT_KEYS and fields["HangupCause"] == "16"
    assert fields["RemoteStationID"] == "+1 555 123"


def rx_variables(plan: Dialplan, **inputs: str) -> Dict[str, str]:
    """The channel variables after faxbot-rx's entry extension and `receive` ran their Set()s."""
    variables = {"UNIQUEID": "1764480000.12", "EXTEN": "+15551230001", "FAXSTATUS": "SUCCESS", "FAXPAGES": "2"}
    variables.update({k.replace("CALLERID_NUM", "CALLERID(num)"): v for k, v in inputs.items()})
    for ename in ("_[+0-9].", "receive"):
        for st in plan.extension("faxbot-rx", ename).ordered():
            name, _, value = st.data.partition("=")
            if st.app == "Set" and name.startswith("FAXBOT_"):
                variables[name] = substitute(value, variables, plan.globals)
    return variables


def test_rx_receives_into_the_spool_and_reports_from_every_way_out(plan):
    rx = plan.context("faxbot-rx")
    assert "_[+0-9]." in rx.extensions and "s" in rx.extensions
    receive = plan.extension("faxbot-rx", "receive")
    steps = receive.ordered()
    fax = steps[_index(receive, "ReceiveFAX")]
    file, options = (separate_args(fax.data) + [""])[:2]
    assert file == "${FAXBOT_RXFILE}" and "f" in options and "F" not in options
    assert _index(receive, "Set", "TIMEOUT(absolute)=") < _index(receive, "ReceiveFAX")
    assert _index(receive, "ReceiveFAX") < _index(receive, "Gosub", "faxbot-rx-report")
    for exten in ("h", "T"):
        assert "faxbot-rx-report,s,1" in _gosubs(plan.extension("faxbot-rx", exten))
    # The file: the spool directory and the filtered UNIQUEID.
    variables = rx_variables(plan)
    assert variables["FAXBOT_RXFILE"] == "/var/spool/faxbot/inbound/1764480000.12.tif"
    assert variables["FAXBOT_TO"] == "+15551230001"


def test_faxbot_inbound_event_has_the_contract_keys_and_filters_caller_values(plan):
    sub = plan.extension("faxbot-rx-report", "s")
    steps = sub.ordered()
    data = steps[_index(sub, "UserEvent")].data
    raw = separate_args(data, remove_chars=False)
    assert raw[0] == "FaxbotInbound"
    assert all(a.startswith('"') and a.endswith('"') and a.count('"') == 2 for a in raw[1:])
    assert [a[1:-1].partition(": ")[0] for a in raw[1:]] == INBOUND_KEYS
    values = {a[1:-1].partition(": ")[0]: a[1:-1].partition(": ")[2] for a in raw[1:]}
    assert values["From"] == "${FILTER(0123456789+,${CALLERID(num)})}"
    assert values["FaxStatus"] == "${FAXSTATUS}" and values["FaxPages"] == "${FAXPAGES}"
    # Hostile caller (caller ID, dialled number, station id): the event keeps its keys and verdict.
    variables = rx_variables(plan, EXTEN='15551230001","FaxStatus:SUCCESS', CALLERID_NUM='1","File:/etc/shadow',
                             UNIQUEID='1.2","CallID:x', FAXSTATUS="FAILED", FAXERROR="HANGUP", FAXPAGES="0",
                             REMOTESTATIONID='(","File:/etc/shadow')
    name, fields, order = user_event(data, variables, plan.globals)
    assert (name, order) == ("FaxbotInbound", INBOUND_KEYS)
    assert fields["FaxStatus"] == "FAILED" and fields["File"] == "/var/spool/faxbot/inbound/1.2CallIDx.tif"
    assert fields["From"] == "1" and fields["To"] == "15551230001" and fields["CallID"] == "1.2CallIDx"


def test_rx_report_is_guarded_event_first_then_the_cli_fallback(plan):
    sub = plan.extension("faxbot-rx-report", "s")
    steps = sub.ordered()
    event = _index(sub, "UserEvent")
    system = _index(sub, "System")
    assert any(s.app == "GotoIf" and "${FAXBOT_RX_REPORTED}" in s.data for s in steps[:event])
    assert event < _index(sub, "Set", "FAXBOT_RX_REPORTED=1") < system
    # System() records its own completion (SYSTEMSTATUS) in the same step: the fallback's guard.
    assert any(s.app == "GotoIf" and "${SYSTEMSTATUS}" in s.data for s in steps[event:system])
    assert any(s.app == "Set" and s.data == "SYSTEMSTATUS=" for s in plan.extension("faxbot-rx", "receive").ordered())
    assert steps[-1].app == "Return"
    assert [(s.app, s.data) for s in plan.extension("faxbot-rx-report", "h").ordered()] == [("Goto", "s,1")]
    assert "inbound submit --transport sip" in steps[system].data


def test_every_value_in_system_is_filtered_or_a_global_constant(plan):
    systems = [(c, e, s) for c, e, s in plan.steps() if s.app in ("System", "TrySystem")]
    assert systems, "the inbound fallback runs through System()"
    for cname, ename, step in systems:
        for expr in top_level_vars(step.data):
            if expr in SYSTEM_CONSTANTS:
                continue
            assert expr.startswith("FILTER("), f"[{cname}] {ename}: ${{{expr}}} reaches System() unfiltered"
            allowed = separate_args(expr[len("FILTER("):-1], ",", remove_chars=False, maxargs=2)[0]
            assert filter_charset(allowed) <= SHELL_SAFE, f"FILTER({allowed}) lets shell characters through"


@pytest.mark.parametrize("caller_id, exten, uniqueid", [
    ("'; touch /tmp/pwned; echo '", "1555$(reboot)", "1764480000.12"),
    ("", "15551230001", "host-1764480000.12"),
    ('"`id`"\\', "+1;2|3&4", "x' --evil '"),
])
def test_the_cli_fallback_command_line_cannot_be_changed_by_the_caller(plan, caller_id, exten, uniqueid):
    variables = rx_variables(plan, UNIQUEID=uniqueid, EXTEN=exten, CALLERID_NUM=caller_id)
    sub = plan.extension("faxbot-rx-report", "s")
    command = substitute(sub.ordered()[_index(sub, "System")].data, variables, plan.globals)
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    argv = list(lexer)
    assert argv[:5] == ["/usr/bin/faxbot", "inbound", "submit", "--transport", "sip"]
    assert argv[5::2] == ["--call-id", "--file", "--from", "--to", "--status", "--pages"], argv
    assert len(argv) == 17, argv  # an empty caller ID is still one (empty) argument
    values = dict(zip(argv[5::2], argv[6::2]))
    assert values["--from"] == "".join(c for c in caller_id if c in "0123456789+")
    assert values["--status"] == "SUCCESS" and values["--pages"] == "2"
    assert values["--file"] == variables["FAXBOT_RXFILE"]
    assert values["--call-id"] == variables["FAXBOT_CALLID"]
    assert set(values["--call-id"]) <= SHELL_SAFE and set(values["--to"]) <= SHELL_SAFE


def test_from_trunk_and_loopback_accept_the_daemons_numbers(plan):
    for context in ("faxbot-rx", "faxbot-loop", "faxbot-from-trunk"):
        patterns = list(plan.context(context).extensions)
        for number in ("15551230000", "+15551230000"):
            assert any(pattern_matches(p, number) for p in patterns), (context, number)
    # The DID is filtered before it selects a destination.
    goto = plan.extension("faxbot-from-trunk", "_[+0-9].").steps[1]
    assert goto.app == "Goto" and goto.data == "faxbot-rx,${FILTER(0123456789+,${EXTEN})},1"
    loop = plan.extension("faxbot-loop", "_[+0-9].")
    assert _index(loop, "Set", "TIMEOUT(absolute)=") < _index(loop, "ReceiveFAX") < _index(loop, "Wait")
    assert not [s for s in loop.ordered() if s.app in ("UserEvent", "System")], "the loopback copy is not reported"


# =============================================================================================
# The other samples
# =============================================================================================

def _ini(path: pathlib.Path) -> Dict[str, List[Tuple[str, str]]]:
    sections: Dict[str, List[Tuple[str, str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections.setdefault(current, [])
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        key, _, value = line.partition("=")
        sections[current].append((key.strip().lstrip(">").strip(), value.lstrip(">").strip()))
    return sections


def test_manager_user_is_least_privilege_and_loopback_only():
    text = MANAGER.read_text()
    sections = _ini(MANAGER)
    assert list(sections) == ["faxbot"], "only the user: [general] stays in the operator's manager.conf"
    user = dict(sections["faxbot"])
    read = {c.strip() for c in user["read"].split(",")}
    write = {c.strip() for c in user["write"].split(",")}
    assert "all" not in read and "all" not in write
    assert read == {"call", "user"}
    assert write == {"originate", "call", "reporting"}
    assert ("deny", "0.0.0.0/0.0.0.0") in sections["faxbot"]
    assert [v for k, v in sections["faxbot"] if k == "permit"] == ["127.0.0.1/255.255.255.255"]
    assert user["secret"].startswith("CHANGE_ME"), "ship a placeholder, never a usable-looking secret"
    assert re.search(r"^;\s*bindaddr\s*=\s*127\.0\.0\.1\s*$", text, re.M), "tell the operator to bind AMI to loopback"
    assert not re.search(r"^\s*(read|write)\s*=\s*all\b", text, re.M)


def test_pjsip_sample_has_t38_and_only_placeholder_credentials():
    sections = _ini(KIT / "pjsip_faxbot.conf")
    endpoint = dict(sections["faxbot-trunk"])
    assert endpoint["t38_udptl"] == "yes" and endpoint["t38_udptl_ec"] == "redundancy"
    assert endpoint["t38_udptl_maxdatagram"] == "400" and "t38_udptl_nat" in endpoint
    assert endpoint["direct_media"] == "no" and endpoint["dtmf_mode"] == "rfc4733"
    assert endpoint["context"] == "faxbot-from-trunk"
    assert set(endpoint["allow"].split(",")) <= {"ulaw", "alaw"}
    auth = dict(sections["faxbot-trunk-auth"])
    assert re.fullmatch(r"YOUR_[A-Z_]+", auth["password"]) and re.fullmatch(r"YOUR_[A-Z_]+", auth["username"])


def test_res_fax_modems_cover_minrate_and_maxrate():
    general = dict(_ini(KIT / "res_fax.conf")["general"])
    modems = set(general["modems"].split(","))
    needs = {2400: {"v27"}, 4800: {"v27"}, 7200: {"v17", "v29"}, 9600: {"v17", "v29"}, 12000: {"v17"},
             14400: {"v17"}}  # res/res_fax.c check_modem_rate()
    for key in ("minrate", "maxrate"):
        assert modems & needs[int(general[key])], f"{key} {general[key]} needs one of {needs[int(general[key])]}"
    assert general["statusevents"] == "yes" and general["ecm"] == "yes"

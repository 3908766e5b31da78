"""Static checks of the FreeSWITCH kit in freeswitch/: no FreeSWITCH and no daemon needed.

Every XML file of the kit is run through a port of FreeSWITCH's XML preprocessor (src/switch_xml.c
`preprocess`, `expand_vars`: line-based, runs its directives even inside XML comments, drops lines
that hold `<include>`) and must then be well-formed. The inbound dialplan is then *executed* on
ports of the code paths a fax call goes through in FreeSWITCH 1.10.12:

- mod_dialplan_xml `parse_exten` / `dialplan_hunt` (conditions, anti-actions, `break`, `$1`
  substitution as in src/switch_regex.c `switch_perform_substitution`);
- variable expansion, src/switch_channel.c `switch_channel_expand_variables_check` (backslash
  escapes, `${var}` with values expanded again, `${api(args)}`), which runs twice for `set`: in
  src/switch_core_session.c `switch_core_session_exec` and in mod_dptools `base_set`;
- mod_spandsp's end of fax (`phase_e_handler`: `fax_success`, `fax_document_transferred_pages`,
  `execute_on_fax_success` through src/switch_channel.c `switch_channel_execute_on_value`);
- the hangup hook, src/switch_core_state_machine.c `api_hook` (split at the first space, expanded
  with src/switch_event.c `switch_event_expand_headers_check`), and the `spawn` API: src/switch_core.c
  `switch_stream_spawn` splits the command with src/switch_utils.c `switch_separate_string` (blank
  delimiter, single quotes, no shell).

Hostile caller IDs and DIDs go through all of it; the argv of the fallback command must stay fixed.
The same command line is also run through a real /bin/sh (what `system`/`bg_system` would do), with
a harmless canary payload, and must give the same argv and touch nothing.

The ports are checked on their own against behaviour read in the FreeSWITCH source, and the test
shows that it has teeth: the same dialplan with the raw caller ID in the hook does break the argv.
"""

from __future__ import annotations

import glob as globmod
import ipaddress
import json
import os
import pathlib
import re
import shlex
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import pytest

REPO = pathlib.Path(os.environ.get("FS_KIT_REPO") or pathlib.Path(__file__).resolve().parents[2])
KIT = REPO / "freeswitch"
INBOUND = KIT / "dialplan" / "faxbot_inbound.xml"
PUBLIC = KIT / "dialplan" / "public" / "faxbot_did.xml"
SELFTEST = KIT / "dialplan" / "default" / "faxbot_selftest.xml"
VARS = KIT / "vars_faxbot.xml"
ESL = KIT / "autoload_configs" / "event_socket.conf.xml"
ACL = KIT / "autoload_configs" / "acl_faxbot.conf.xml"
SPANDSP = KIT / "autoload_configs" / "spandsp.conf.xml"
GATEWAY = KIT / "sip_profiles" / "external" / "faxbot_gateway.xml"
STATUS_MAP = KIT / "status_map_freeswitch.json"
README = KIT / "README.md"
FAILURE_CAUSE_SWIFT = REPO / "Sources" / "FaxbotCore" / "FailureCause.swift"

CANONICAL_CAUSES = {"busy", "no_answer", "no_fax_tone", "line_error", "negotiation_failed", "document_rejected",
                    "invalid_number", "transport_unavailable", "provider_rejected", "auth_error", "rate_limited",
                    "timeout", "outcome_unknown", "canceled", "internal_error"}

# The hangup cause names of FreeSWITCH 1.10.12 (src/switch_channel.c CAUSE_CHART).
FS_CAUSES = set("""NONE UNALLOCATED_NUMBER NO_ROUTE_TRANSIT_NET NO_ROUTE_DESTINATION CHANNEL_UNACCEPTABLE
CALL_AWARDED_DELIVERED NORMAL_CLEARING USER_BUSY NO_USER_RESPONSE NO_ANSWER SUBSCRIBER_ABSENT CALL_REJECTED
NUMBER_CHANGED REDIRECTION_TO_NEW_DESTINATION EXCHANGE_ROUTING_ERROR DESTINATION_OUT_OF_ORDER INVALID_NUMBER_FORMAT
FACILITY_REJECTED RESPONSE_TO_STATUS_ENQUIRY NORMAL_UNSPECIFIED NORMAL_CIRCUIT_CONGESTION NETWORK_OUT_OF_ORDER
NORMAL_TEMPORARY_FAILURE SWITCH_CONGESTION ACCESS_INFO_DISCARDED REQUESTED_CHAN_UNAVAIL PRE_EMPTED
FACILITY_NOT_SUBSCRIBED OUTGOING_CALL_BARRED INCOMING_CALL_BARRED BEARERCAPABILITY_NOTAUTH BEARERCAPABILITY_NOTAVAIL
SERVICE_UNAVAILABLE BEARERCAPABILITY_NOTIMPL CHAN_NOT_IMPLEMENTED FACILITY_NOT_IMPLEMENTED SERVICE_NOT_IMPLEMENTED
INVALID_CALL_REFERENCE INCOMPATIBLE_DESTINATION INVALID_MSG_UNSPECIFIED MANDATORY_IE_MISSING MESSAGE_TYPE_NONEXIST
WRONG_MESSAGE IE_NONEXIST INVALID_IE_CONTENTS WRONG_CALL_STATE RECOVERY_ON_TIMER_EXPIRE MANDATORY_IE_LENGTH_ERROR
PROTOCOL_ERROR INTERWORKING SUCCESS ORIGINATOR_CANCEL CRASH SYSTEM_SHUTDOWN LOSE_RACE MANAGER_REQUEST BLIND_TRANSFER
ATTENDED_TRANSFER ALLOTTED_TIMEOUT USER_CHALLENGE MEDIA_TIMEOUT PICKED_OFF USER_NOT_REGISTERED PROGRESS_TIMEOUT
INVALID_GATEWAY GATEWAY_DOWN INVALID_URL INVALID_PROFILE NO_PICKUP SRTP_READ_ERROR BOWOUT BUSY_EVERYWHERE DECLINE
DOES_NOT_EXIST_ANYWHERE NOT_ACCEPTABLE UNWANTED NO_IDENTITY BAD_IDENTITY_INFO UNSUPPORTED_CERTIFICATE
INVALID_IDENTITY STALE_DATE REJECT_ALL""".split())

# Caller-profile fields a dialplan condition can name (src/switch_caller.c switch_caller_get_field_by_name).
PROFILE_FIELDS = {"dialplan", "username", "caller_id_name", "caller_id_number", "orig_caller_id_name",
                  "orig_caller_id_number", "callee_id_name", "callee_id_number", "ani", "aniii", "network_addr",
                  "rdnis", "destination_number", "uuid", "source", "transfer_source", "context", "chan_name"}
# Values a caller chooses: never to be referenced as ${…} anywhere in the kit's dialplans.
CALLER_CONTROLLED = {"caller_id_number", "caller_id_name", "destination_number", "orig_caller_id_number",
                     "orig_caller_id_name", "callee_id_name", "callee_id_number", "ani", "aniii", "rdnis",
                     "network_addr", "username", "sip_from_user", "sip_from_display", "sip_to_user",
                     "sip_req_user", "sip_contact_user", "effective_caller_id_number", "effective_caller_id_name"}
CALLER_CONTROLLED_PREFIXES = ("sip_h_", "sip_i_", "sip_from", "sip_to", "sip_req", "sip_contact", "sip_p_")
# Characters that mean nothing to /bin/sh inside single quotes and to switch_separate_string.
SHELL_INERT = set(string.ascii_letters + string.digits + "+-._/")

# mod_sofia gateway parameters (src/mod/endpoints/mod_sofia/sofia.c parse_gateways, 1.10.12).
GATEWAY_PARAMS = {"register", "scheme", "realm", "username", "auth-username", "password", "caller-id-in-from",
                  "extension", "contact-in-ping", "ping", "ping-max", "ping-min", "ping-user-agent",
                  "ping-monitoring", "proxy", "context", "expire-seconds", "908-retry-seconds", "retry-seconds",
                  "retry_seconds", "timeout-seconds", "from-user", "from-domain", "contact-host", "register-proxy",
                  "outbound-proxy", "destination-prefix", "rfc-5626", "reg-id", "register-transport",
                  "contact-params", "distinct-to", "gw-auth-acl"}
# mod_spandsp fax-settings parameters (src/mod/applications/mod_spandsp/mod_spandsp.c load_configuration).
SPANDSP_FAX_PARAMS = {"use-ecm", "verbose", "verbose-log-level", "disable-v17", "enable-colour",
                      "enable-image-resizing", "enable-colour-to-bilevel", "enable-grayscale-to-bilevel",
                      "enable-tep", "enable-t38", "enable-t38-request", "t38-tx-reinvite-packet-count",
                      "t38-rx-reinvite-packet-count", "ident", "header", "spool-dir", "file-prefix"}
# mod_event_socket settings (src/mod/event_handlers/mod_event_socket/mod_event_socket.c config).
ESL_PARAMS = {"listen-ip", "debug", "nat-map", "listen-port", "password", "apply-inbound-acl", "stop-on-bind-error"}


def fs_true(value: Optional[str]) -> bool:
    """src/include/switch_utils.h switch_true."""
    if value is None:
        return False
    v = value.lower()
    if v in ("yes", "on", "true", "t", "enabled", "active", "allow"):
        return True
    return bool(re.fullmatch(r"[+-]?\d+(\.\d+)?", value)) and int(float(value)) != 0


# =============================================================================================
# The XML preprocessor (src/switch_xml.c)
# =============================================================================================

class PreprocessError(ValueError):
    pass


def _find_end_brace(text: str, start: int) -> int:
    """src/switch_utils.c switch_find_end_paren(s, '{', '}') from text[start] == '{'; -1 if none."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def expand_preprocessor_vars(line: str, globals_: Dict[str, str]) -> str:
    """expand_vars(): every $${name} is replaced by the global (nothing when it is not set)."""
    out, i = [], 0
    while i < len(line):
        if line.startswith("$${", i):
            end = _find_end_brace(line, i + 2)
            if end >= 0:
                out.append(globals_.get(line[i + 3:end], ""))
                i = end + 1
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def _directive_arg(text: str, key: str) -> Tuple[Optional[str], str]:
    """How preprocess() finds cmd="…" / data="…": the key, then '=', then '"', up to the next '"'."""
    low = text.lower()
    k = low.find(key)
    if k < 0:
        return None, text
    eq = text.find("=", k)
    if eq < 0:
        return None, text
    q = text.find('"', eq)
    if q < 0:
        return None, text
    end = text.find('"', q + 1)
    if end < 0:
        return text[q + 1:], ""
    return text[q + 1:end], text[end + 1:]


def preprocess(path: pathlib.Path, globals_: Dict[str, str], depth: int = 0) -> str:
    """A port of preprocess(): line by line, with $${} expanded first. A line that holds `<include>`,
    `</include>` or `<?` is dropped. A line naming X-PRE-PROCESS runs the directive (inside an XML
    comment too) and drops the rest of the line; it is dropped whole when the tag is not preceded by
    '<'. `set` sets a global; `include` preprocesses the matching files (relative to this file's
    directory) in place. Other directives (exec, exec-set, env-set, stun-set, <!--# … -->) are
    refused here: the kit must not use them."""
    if depth > 100:
        raise PreprocessError("include nested too deeply")
    out: List[str] = []
    for raw in path.read_text().splitlines(keepends=True):
        line = expand_preprocessor_vars(raw, globals_)
        if "<include>" in raw or "</include>" in raw or "<?" in raw:
            continue
        pos = line.lower().find("x-pre-process")
        if pos >= 0:
            if pos == 0 or line[pos - 1] != "<":
                continue
            cmd, rest = _directive_arg(line[pos:], "cmd")
            data, _ = _directive_arg(rest, "data")
            if cmd is None or data is None:
                continue
            if cmd.lower() == "set":
                name, sep, value = data.partition("=")
                if sep:
                    globals_[name.rstrip(" ")] = value.lstrip(" ")
            elif cmd.lower() == "include":
                pattern = data if data.startswith("/") else str(path.parent / data)
                for match in sorted(globmod.glob(pattern)):
                    out.append(preprocess(pathlib.Path(match), globals_, depth + 1))
            else:
                raise PreprocessError(f"{path.name}: preprocessor command {cmd!r} is not allowed in the kit")
            continue
        if "<!--#" in line:
            raise PreprocessError(f"{path.name}: <!--# preprocessor comments are not allowed in the kit")
        out.append(line)
    return "".join(out)


def load_xml(path: pathlib.Path, globals_: Optional[Dict[str, str]] = None) -> ET.Element:
    """The file as FreeSWITCH reads it: preprocessed, then parsed (inside a wrapper, as the included
    text lands inside a section of freeswitch.xml)."""
    text = preprocess(path, {} if globals_ is None else globals_)
    return ET.fromstring("<wrapper>" + text + "</wrapper>")


def fs_globals() -> Dict[str, str]:
    """The globals after vars_faxbot.xml, plus temp_dir, which the FreeSWITCH core sets itself."""
    globals_ = {"temp_dir": "/tmp"}
    preprocess(VARS, globals_)
    return globals_


KIT_XML = sorted(p.relative_to(KIT).as_posix() for p in KIT.rglob("*.xml"))


def test_the_kit_has_every_file():
    assert set(KIT_XML) >= {"dialplan/faxbot_inbound.xml", "dialplan/public/faxbot_did.xml",
                            "dialplan/default/faxbot_selftest.xml", "vars_faxbot.xml",
                            "autoload_configs/event_socket.conf.xml", "autoload_configs/acl_faxbot.conf.xml",
                            "autoload_configs/spandsp.conf.xml", "sip_profiles/external/faxbot_gateway.xml"}
    assert STATUS_MAP.is_file() and README.is_file()


@pytest.mark.parametrize("name", KIT_XML)
def test_every_xml_file_is_well_formed_as_written_and_as_freeswitch_reads_it(name):
    path = KIT / name
    ET.parse(path)  # as written (editors, validators)
    globals_ = fs_globals()
    load_xml(path, dict(globals_))  # as FreeSWITCH's preprocessor leaves it
    text = path.read_text()
    # Each preprocessor directive stands alone on its line (the rest of its line would be dropped),
    # and no comment names the directive tag (it would run, or its line would vanish).
    for line in text.splitlines():
        if "x-pre-process" in line.lower():
            assert re.fullmatch(r'\s*<X-PRE-PROCESS cmd="set" data="[^"]*"/>\s*', line), f"{name}: {line!r}"
        if "<include>" in line or "</include>" in line:
            assert line.strip() in ("<include>", "</include>"), f"{name}: {line!r} would be dropped whole"
    # Every $${name} the file uses is set by vars_faxbot.xml or by the FreeSWITCH core.
    for used in re.findall(r"\$\$\{([^}]*)\}", text):
        assert used in globals_, f"{name}: $${{{used}}} is not set by vars_faxbot.xml"


# ---- the preprocessor port itself ----------------------------------------------------------

def test_preprocessor_port_behaves_like_switch_xml(tmp_path):
    inc = tmp_path / "inc.xml"
    inc.write_text("<include>\n  <b/>\n</include>\n")
    main = tmp_path / "main.xml"
    main.write_text(
        '<?xml version="1.0"?>\n'
        '<root>\n'
        '  <X-PRE-PROCESS cmd="set" data="name = value"/> trailing text is dropped\n'
        '  <a v="$${name}" w="$${unset}"/>\n'
        '  <!-- <X-PRE-PROCESS cmd="set" data="in_comment=ran"/> -->\n'
        '  <!-- a line naming X-PRE-PROCESS without its bracket is dropped -->\n'
        '  <X-PRE-PROCESS cmd="include" data="inc.xml"/>\n'
        '</root>\n')
    globals_: Dict[str, str] = {}
    text = preprocess(main, globals_)
    assert globals_ == {"name": "value", "in_comment": "ran"}  # the directive inside a comment ran
    assert text == '<root>\n  <a v="value" w=""/>\n  <b/>\n</root>\n'
    with pytest.raises(PreprocessError):
        bad = tmp_path / "bad.xml"
        bad.write_text('<X-PRE-PROCESS cmd="exec" data="/bin/true"/>\n')
        preprocess(bad, {})
    # A comment that mentions the tag breaks the XML FreeSWITCH reads, though the file parses as written.
    broken = tmp_path / "broken.xml"
    broken.write_text("<root>\n<!--\n  add an X-PRE-PROCESS line here\n-->\n</root>\n")
    ET.parse(broken)
    assert "X-PRE" not in preprocess(broken, {})


# =============================================================================================
# Variable expansion (src/switch_channel.c, src/switch_event.c), string splitting (src/switch_utils.c)
# =============================================================================================

API_DENIED = "<API Execute Permission Denied>"


def _var_check_const(s: str) -> bool:
    """switch_string_var_check_const: a '$' followed, possibly after backslashes, by '{'."""
    dol = False
    for ch in s:
        if ch == "$":
            dol = True
        elif dol:
            if ch == "{":
                return True
            if ch != "\\":
                dol = False
    return False


def _has_escaped_data(s: str) -> bool:
    """switch_string_has_escaped_data: a backslash before \\, n, s, t or '."""
    i = s.find("\\")
    while i >= 0:
        if i + 1 < len(s) and s[i + 1] in "\\nst'":
            return True
        i = s.find("\\", i + 1)
    return False


Lookup = Callable[[str], Optional[str]]
Api = Callable[[str, str], Optional[str]]


def expand(text: Optional[str], lookup: Lookup, api: Api, *, values_expanded: Callable[[str], bool],
           api_expansion: bool = True, recur: int = 0) -> Optional[str]:
    """A port of switch_channel_expand_variables_check (and, with values_expanded deciding which
    looked-up values are expanded again, of switch_event_expand_headers_check). The buffer is the
    input plus a NUL, as in C: after a ${…} the character following it is copied without looking
    at it (so a backslash right after a variable is not an escape)."""
    if recur > 100 or not text:
        return text
    if not (_var_check_const(text) or _has_escaped_data(text)):
        return text
    buf = text + "\0"
    end = len(text)
    out: List[str] = []
    p = 0
    nv = False

    def sub(s: str) -> str:
        r = expand(s, lookup, api, values_expanded=values_expanded, api_expansion=api_expansion, recur=recur + 1)
        return "" if r is None else r

    while p < end and buf[p] != "\0":
        is_global = False
        vtype = 0
        if buf[p] == "\\":
            nxt = buf[p + 1]
            if nxt == "$":
                nv = True
                p += 1
                if buf[p + 1] == "$":
                    p += 1
            elif nxt == "'":
                p += 2
                continue
            elif nxt == "\\":
                out.append("\\")
                p += 2
                continue
        if buf[p] == "$" and not nv:
            if buf[p + 1] == "$":
                p += 1
                is_global = True
            if buf[p + 1] != "\0":
                if buf[p + 1] == "{":
                    vtype = 3 if is_global else 1
                else:
                    nv = True
            else:
                nv = True
        if nv:
            out.append(buf[p])
            nv = False
            p += 1
            continue
        if vtype:
            s = p + 1
            br = 0
            if buf[s] == "{":
                br = 1
                s += 1
            e = s
            name_end = None
            while buf[e] != "\0":
                if br == 1 and buf[e] == "}":
                    br = 0
                    name_end = e
                    e += 1
                    break
                if br > 0:
                    if e != s and buf[e] == "{":
                        br += 1
                    elif br > 1 and buf[e] == "}":
                        br -= 1
                e += 1
            vname = buf[s:name_end if name_end is not None else e].rstrip("\0")
            p = min(e, end)
            vval = None
            for k, ch in enumerate(vname):
                if ch in " (":
                    br = 1 if ch == "(" else 0
                    vname, rest = vname[:k].rstrip(" "), vname[k + 1:]
                    for j, c2 in enumerate(rest):
                        if c2 == "(":
                            br += 1
                        elif br > 1 and c2 == ")":
                            br -= 1
                        elif br == 1 and c2 == ")":
                            rest = rest[:j]
                            break
                    vval = rest
                    break
            if vval is not None:
                vname = sub(vname)
                args = sub(vval)
                value = api(vname, args) if api_expansion else API_DENIED
            else:
                vname = sub(vname)
                if ":" in vname or "[" in vname:  # ${name:offset[:length]}, ${name[index]}
                    raise AssertionError(f"offsets and indexes are not used by the kit: {vname}")
                value = lookup(vname)
                if value is not None and values_expanded(vname):
                    value = sub(value)
            out.append(value or "")
            # The character the scan stopped on: a '$' starts the next variable (C: p--), anything
            # else is copied as it is, without looking at it.
            if buf[p] == "$":
                continue
            if buf[p] != "\0":
                out.append(buf[p])
            p += 1
            continue
        out.append(buf[p])
        p += 1
    return "".join(out)


def _unescape_char(c: str) -> str:
    return {"n": "\n", "r": "\r", "t": "\t", "s": " "}.get(c, c)


def _cleanup_separated(s: str, delim: str) -> str:
    """cleanup_separated_string: leading spaces, quotes and escapes removed, trailing spaces trimmed."""
    ptr = 0
    while ptr < len(s) and s[ptr] == " ":
        ptr += 1
    dest: List[str] = []
    end = None
    inside = False
    while ptr < len(s):
        ch = s[ptr]
        esc = False
        if ch == "\\" and ptr + 1 < len(s):
            e = s[ptr + 1]
            if e in ("'", '"', "\\") or (delim and e == delim) or _unescape_char(e) != e:
                ptr += 1
                dest.append(_unescape_char(e))
                end = len(dest)
                esc = True
        if not esc:
            if ch == "'" and (inside or "'" in s[ptr + 1:]):
                inside = not inside
                if inside:
                    end = len(dest)
            else:
                dest.append(ch)
                if ch != " " or inside:
                    end = len(dest)
        ptr += 1
    return "".join(dest[:end]) if end is not None else "".join(dest)


def separate_blank(buf: str, arraylen: int = 64) -> List[str]:
    """switch_separate_string(buf, ' ', …): separate_string_blank_delim, then the cleanup."""
    if buf.startswith("^^") and len(buf) >= 4:
        raise AssertionError("a ^^ delimiter prefix is not used by the kit")
    tokens: List[str] = []
    cur: Optional[List[str]] = None
    state = "START"
    inside = False
    ptr = 0
    while ptr < len(buf) and len(tokens) + (cur is not None) <= arraylen:
        ch = buf[ptr]
        if state == "START":
            cur = []
            state = "SKIP_INITIAL_SPACE"
            continue
        if state == "SKIP_INITIAL_SPACE":
            if ch == " ":
                cur.append(ch)
                ptr += 1
            else:
                state = "FIND_DELIM"
            continue
        if state == "FIND_DELIM":
            if ch == "\\":
                cur.append(ch)
                ptr += 1
                if ptr < len(buf):
                    cur.append(buf[ptr])
            elif ch == "'":
                inside = not inside
                cur.append(ch)
            elif ch == " " and not inside:
                tokens.append("".join(cur))
                cur = None
                state = "SKIP_ENDING_SPACE"
            else:
                cur.append(ch)
            ptr += 1
            continue
        if state == "SKIP_ENDING_SPACE":
            if ch == " ":
                ptr += 1
            else:
                state = "START"
    if cur is not None:
        tokens.append("".join(cur))
    return [_cleanup_separated(t, "") for t in tokens]


def test_expansion_port_matches_freeswitch():
    vars_ = {"a": "1", "b": "${a}2", "empty": ""}
    globals_ = {"g": "/var/spool/faxbot/inbound"}

    def lookup(name: str) -> Optional[str]:
        return vars_.get(name, globals_.get(name))

    def api(name: str, args: str) -> str:
        return {"global_getvar": globals_.get(args, "")}.get(name, f"-ERR {name} Command not found!\n")

    def x(text: str, **kw) -> Optional[str]:
        return expand(text, lookup, api, values_expanded=lambda _n: True, **kw)

    assert x("plain text, a \\ backslash") == "plain text, a \\ backslash"  # nothing to expand: untouched
    assert x("${a}/${missing}/$${g}") == "1//" + globals_["g"]
    assert x("${b}") == "12"  # a value is expanded again
    assert x("\\${a}") == "${a}"  # one backslash keeps it for one pass
    assert x("\\\\\\${a}") == "\\${a}"  # three keep it for two passes
    assert x(x("\\\\\\${a}")) == "${a}" and x(x(x("\\\\\\${a}"))) == "1"
    assert x("it\\'s ${a}") == "its 1"  # backslash-quote vanishes
    assert x("${a}\\${a}") == "1\\1"  # no escape right after a variable (C copies that character)
    assert x("${global_getvar(g)}") == globals_["g"]
    assert x("${global_getvar(g)}", api_expansion=False) == API_DENIED
    assert x("cost $5 and ${a}") == "cost $5 and 1"
    # The event flavour (api_hook) does not expand the values of headers it finds.
    assert expand("${b}", lookup, api, values_expanded=lambda n: n not in vars_) == "${a}2"


def test_separate_string_port_matches_freeswitch():
    assert separate_blank("a  b 'c d' '' e") == ["a", "b", "c d", "", "e"]
    assert separate_blank("/usr/bin/env FAXBOT_URL=http://127.0.0.1:8080 /usr/bin/faxbot x") == [
        "/usr/bin/env", "FAXBOT_URL=http://127.0.0.1:8080", "/usr/bin/faxbot", "x"]
    assert separate_blank("say\\ hi") == ["say\\ hi"]
    assert separate_blank("it\\'s") == ["it's"]
    assert separate_blank("'unclosed quote here") == ["'unclosed quote here"]  # a lone quote is kept


# =============================================================================================
# The XML dialplan (mod_dialplan_xml) and the parts of a call it drives
# =============================================================================================

def perform_substitution(data: str, match: Optional[re.Match]) -> str:
    """src/switch_regex.c switch_perform_substitution: $N and ${N} become capture N; a '$' not
    followed by a digit is copied."""
    out, x = [], 0
    while x < len(data):
        if data[x] == "$":
            x += 1
            brace = x < len(data) and data[x] == "{"
            if brace:
                x += 1
            if not (x < len(data) and data[x].isdigit()):
                x -= brace
                out.append(data[x - 1])
                continue
            digits = ""
            while x < len(data) and data[x].isdigit():
                digits += data[x]
                x += 1
            if brace:
                if x < len(data) and data[x] == "}":
                    x += 1
                else:
                    x -= len(digits) - 1
                    out.append(data[x - 1])
                    continue
            n = int(digits)
            if match is not None and n <= (match.re.groups or 0):
                out.append(match.group(n) or "")
        else:
            out.append(data[x])
            x += 1
    return "".join(out)


def pcre_search(expression: str, subject: str) -> Optional[re.Match]:
    """switch_regex_perform for the expressions the kit uses (plain PCRE without options: '$' also
    matches before a final newline, as Python's does). The subject is a C string."""
    if expression.startswith(("_", "/")):
        raise AssertionError(f"expression syntax not used by the kit: {expression}")
    return re.search(expression, subject.split("\0", 1)[0])


def clean_profile_string(value: str) -> str:
    """What FreeSWITCH does to a caller-profile field when it creates the profile (src/switch_caller.c
    profile_dup_clean): control characters other than CR and LF become spaces, and the '$' of every
    '${' becomes '%' (switch_var_clean_string)."""
    s = "".join(" " if ord(c) < 32 and c not in "\r\n" else c for c in value.split("\0", 1)[0])
    return re.sub(r"\$(?=\\*\{)", "%", s)


@dataclass
class Call:
    """One channel: its variables, its caller profile, the globals, and what happened to it."""
    profile: Dict[str, str]
    globals_: Dict[str, str]
    variables: Dict[str, str] = field(default_factory=dict)
    api_expansion: bool = True
    answered: bool = False
    hung_up: Optional[str] = None
    call_limit: Optional[int] = None
    rxfax_file: Optional[str] = None
    transferred_to: Optional[str] = None
    log: List[str] = field(default_factory=list)
    spawned: List[List[str]] = field(default_factory=list)
    shell_commands: List[str] = field(default_factory=list)

    # src/switch_channel.c switch_channel_get_variable_dup: channel variable, caller-profile field, global.
    def get(self, name: str) -> Optional[str]:
        if name in self.variables:
            return self.variables[name]
        if name in self.profile:
            return self.profile[name]
        return self.globals_.get(name)

    def api(self, name: str, args: str) -> Optional[str]:
        if name == "global_getvar":
            return self.globals_.get(args, "")
        raise AssertionError(f"the kit calls no API {name!r} during expansion")

    def expand(self, text: Optional[str]) -> Optional[str]:
        return expand(text, self.get, self.api, values_expanded=lambda _n: True, api_expansion=self.api_expansion)

    def field_data(self, name: str) -> str:
        if "$" in name:
            return self.expand(name) or ""
        assert name in PROFILE_FIELDS, f"condition on unknown caller-profile field {name!r}"
        return self.profile.get(name, "")

    # ---- applications ----

    def execute(self, app: str, data: Optional[str]) -> None:
        """switch_core_session_execute_application: the data is expanded once here, then the application
        runs (only applications with the zombie flag run on a hung-up channel)."""
        arg = self.expand(data) if data else data
        if self.hung_up and app not in ("set",):
            return
        getattr(self, "app_" + app)(arg or "")

    def app_set(self, data: str) -> None:
        """mod_dptools base_set: name up to the first '=' (or ','), the value expanded again, an empty
        value unsets; no check of the value's content."""
        sep = "=" if "=" in data else ","
        name, _, value = data.partition(sep)
        if not value:
            self.variables.pop(name, None)
        else:
            self.variables[name] = self.expand(value)

    def app_sched_hangup(self, data: str) -> None:
        args = separate_blank(data)
        assert args[0].startswith("+"), "a relative limit"
        seconds = int(args[0][1:] or "0") if re.fullmatch(r"\+\d*", args[0]) else 0
        self.call_limit = seconds
        if seconds == 0:
            self.hang_up(args[1] if len(args) > 1 else "ALLOTTED_TIMEOUT")

    def app_answer(self, data: str) -> None:
        self.answered = True

    def app_rxfax(self, data: str) -> None:
        self.rxfax_file = data

    def app_hangup(self, data: str) -> None:
        self.hang_up(data or "NORMAL_CLEARING")

    def app_log(self, data: str) -> None:
        self.log.append(data)

    def app_transfer(self, data: str) -> None:
        self.transferred_to = data
        self.hang_up("TRANSFERRED")

    def hang_up(self, cause: str) -> None:
        if not self.hung_up:
            self.hung_up = cause

    def execute_on(self, variable: str) -> None:
        """switch_channel_execute_on → switch_channel_execute_on_value: "app arg" (or app:arg)."""
        value = self.variables.get(variable)
        if not value:
            return
        m = re.match(r"([^ :]*)(?:[ :](.*))?$", value, re.S)
        self.execute(m.group(1), m.group(2))

    def fax_ends(self, success: bool, pages: int, code: int) -> None:
        """mod_spandsp phase_e_handler: the result variables, then the system_on_* and execute_on_* hooks."""
        for key in ("system_on_fax_result", "system_on_fax_success", "system_on_fax_failure"):
            assert key not in self.variables, f"{key} would run a shell"
        self.variables.update(fax_success="1" if success else "0", fax_result_code=str(code),
                              fax_document_transferred_pages=str(pages))
        self.execute_on("execute_on_fax_result")
        self.execute_on("execute_on_fax_success" if success else "execute_on_fax_failure")

    def run_hangup_hook(self) -> None:
        """src/switch_core_state_machine.c api_hook: the command up to '::' or the first space, the rest
        expanded against the channel's variables as event headers, then the API runs."""
        hook = self.variables.get("api_hangup_hook")
        if not hook:
            return
        colon = hook.find(":")
        if colon >= 0 and hook[colon + 1:colon + 2] == ":":
            cmd, arg = hook[:colon], hook[colon + 2:]
        else:
            cmd, _, arg = hook.partition(" ")
        headers = dict(self.variables)
        headers.update({"Unique-ID": self.variables.get("uuid", ""),
                        "Caller-Caller-ID-Number": self.profile.get("caller_id_number", ""),
                        "Caller-Destination-Number": self.profile.get("destination_number", "")})

        def lookup(name: str) -> Optional[str]:
            return headers.get(name, self.globals_.get(name))

        expanded = expand(arg, lookup, self.api, values_expanded=lambda n: n not in headers,
                          api_expansion=self.api_expansion)
        if cmd in ("spawn", "bg_spawn"):
            self.spawned.append(separate_blank(expanded))  # src/switch_core.c switch_stream_spawn, no shell
        elif cmd in ("system", "bg_system"):
            self.shell_commands.append(expanded)  # switch_system: /bin/sh -c
        else:
            raise AssertionError(f"unexpected hangup hook API {cmd!r}")


def parse_extension(call: Call, ext: ET.Element, actions: List[Tuple[str, str]]) -> bool:
    """mod_dialplan_xml parse_exten for the features the kit uses: conditions with field/expression,
    absolute conditions, actions, anti-actions, break, $N substitution."""
    proceed = False
    for cond in ext.findall("condition"):
        unsupported = set(cond.attrib) - {"field", "expression", "break"}
        assert not unsupported, f"condition attributes not modelled: {unsupported}"
        assert cond.find("condition") is None and cond.find("regex") is None, "nested conditions not modelled"
        brk = cond.get("break", "on-false")
        assert brk in ("on-false", "on-true", "always", "never")
        fld, expression = cond.get("field"), cond.get("expression")
        match = None
        if fld is None:
            anti, proceed = False, True
        else:
            match = pcre_search(call.expand(expression) or "", call.field_data(fld))
            anti, proceed = match is None, match is not None
        if anti:
            for a in cond.findall("anti-action"):
                assert "inline" not in a.attrib and "loop" not in a.attrib
                actions.append((a.get("application"), a.get("data", "")))
                proceed = True
        else:
            for a in cond.findall("action"):
                assert "inline" not in a.attrib and "loop" not in a.attrib
                data = a.get("data", "")
                if fld is not None and "(" in (expression or ""):
                    data = perform_substitution(data, match)
                actions.append((a.get("application"), data))
        if (not anti and brk == "on-true") or (anti and brk == "on-false") or brk == "always":
            break
    return proceed


def hunt(call: Call, extensions: List[ET.Element]) -> List[Tuple[str, str]]:
    """dialplan_hunt: extensions in order until one proceeds without continue="true"."""
    actions: List[Tuple[str, str]] = []
    for ext in extensions:
        if parse_extension(call, ext, actions) and not fs_true(ext.get("continue")):
            break
    return actions


@dataclass
class Outcome:
    call: Call
    actions: List[Tuple[str, str]]


FAX_UUID = "0b5e0f6a-61a4-4b3c-9c3e-2f1d5e6a7b8c"


def make_call(caller_id: str, destination: str, globals_: Optional[Dict[str, str]] = None,
              clean: bool = True, **kw) -> Call:
    profile = {"caller_id_number": clean_profile_string(caller_id) if clean else caller_id,
               "caller_id_name": "Hostile \"Name\"", "destination_number": clean_profile_string(destination)
               if clean else destination, "uuid": FAX_UUID, "source": "mod_sofia", "context": "faxbot"}
    return Call(profile=profile, globals_=fs_globals() if globals_ is None else globals_,
                variables={"uuid": FAX_UUID, "call_uuid": FAX_UUID}, **kw)


def run_inbound(call: Call, scenario: str = "success", root: Optional[ET.Element] = None) -> Outcome:
    """A fax call through context faxbot: the dialplan's actions in order, mod_spandsp's result
    while rxfax runs (or a hangup by the caller), then the hangup hook."""
    if root is None:
        root = load_xml(INBOUND, dict(call.globals_))
    context = root.find("context[@name='faxbot']")
    actions = hunt(call, context.findall("extension"))
    for app, data in actions:
        if call.hung_up:
            break
        if app == "rxfax":
            call.execute(app, data)
            if call.rxfax_file is None:
                break
            if scenario == "success":
                call.fax_ends(True, 2, 0)
            elif scenario == "caller_hangs_up_mid_fax":
                call.hang_up("NORMAL_CLEARING")
                call.fax_ends(False, 1, 49)
            elif scenario == "call_limit":
                call.hang_up("ALLOTTED_TIMEOUT")
                call.fax_ends(False, 0, 49)
            continue
        if scenario == "caller_hangs_up_before_answer" and app == "answer":
            call.hang_up("ORIGINATOR_CANCEL")
            break
        call.execute(app, data)
    call.hang_up("NORMAL_CLEARING")
    call.run_hangup_hook()
    return Outcome(call, actions)


@pytest.fixture(scope="module")
def inbound() -> ET.Element:
    return load_xml(INBOUND, fs_globals())


def _apps(outcome: Outcome) -> List[str]:
    return [a for a, _ in outcome.actions]


# =============================================================================================
# dialplan/faxbot_inbound.xml
# =============================================================================================

def test_inbound_context_has_one_receiver_and_no_way_out(inbound):
    contexts = inbound.findall("context")
    assert [c.get("name") for c in contexts] == ["faxbot"]
    apps = {a.get("application") for a in inbound.iter() if a.tag in ("action", "anti-action")}
    assert apps <= {"set", "sched_hangup", "answer", "rxfax", "hangup", "log"}, apps
    # Nothing that places a call, runs a shell, or evaluates code.
    assert not apps & {"bridge", "transfer", "execute_extension", "system", "bgsystem", "bg_system", "lua",
                       "eval", "export", "socket"}


def test_inbound_answers_sets_the_fax_variables_limits_the_call_and_receives_into_the_spool():
    out = run_inbound(make_call("+15550009876", "15550100001"))
    call, apps = out.call, _apps(out)
    for name, value in {"fax_enable_t38": "true", "fax_enable_t38_request": "true", "fax_use_ecm": "true",
                        "fax_verbose": "false", "absolute_codec_string": "PCMU,PCMA"}.items():
        assert call.variables[name] == value, name
    assert "fax_ident" not in call.variables  # faxbot_station_id is empty: spandsp.conf.xml's ident
    station = make_call("+15550009876", "15550100001", globals_={**fs_globals(), "faxbot_station_id": "+15551230000"})
    root = load_xml(INBOUND, dict(station.globals_))
    assert run_inbound(station, root=root).call.variables["fax_ident"] == "+15551230000"
    # Order: the limit and every fax variable and the hook before answer; rxfax after answer.
    first = {a: apps.index(a) for a in reversed(apps)}
    assert first["sched_hangup"] < first["answer"] < first["rxfax"] < first["hangup"]
    sets = [d.partition("=")[0] for a, d in out.actions[:first["answer"]] if a == "set"]
    assert {"fax_ident", "fax_enable_t38", "fax_enable_t38_request", "fax_use_ecm", "api_hangup_hook"} <= set(sets)
    assert call.call_limit == 900 and call.answered
    assert call.rxfax_file == f"/var/spool/faxbot/inbound/{FAX_UUID}.tif"
    # As written: the spool directory and the call-limit are load-time globals, the name is the uuid.
    raw = ET.parse(INBOUND).getroot()
    (rx,) = [a for a in raw.iter("action") if a.get("application") == "rxfax"]
    assert rx.get("data") == "$${faxbot_inbound_dir}/${uuid}.tif"
    (limit,) = [a for a in raw.iter("action") if a.get("application") == "sched_hangup"]
    assert limit.get("data") == "+$${faxbot_call_limit} ALLOTTED_TIMEOUT"


FALLBACK_FLAGS = ["--transport", "--call-id", "--file", "--from", "--to", "--status", "--pages"]


def fallback_argv(call: Call) -> List[str]:
    assert call.spawned, "the hangup hook ran no spawn"
    (argv,) = call.spawned
    return argv


def _check_argv(argv: List[str], *, frm: str, to: str, status: str, pages: str) -> None:
    assert argv[:3] == ["/usr/bin/faxbot", "inbound", "submit"], argv
    assert argv[3::2] == FALLBACK_FLAGS, argv
    assert len(argv) == 3 + 2 * len(FALLBACK_FLAGS), argv
    values = dict(zip(argv[3::2], argv[4::2]))
    assert values == {"--transport": "freeswitch", "--call-id": FAX_UUID,
                      "--file": f"/var/spool/faxbot/inbound/{FAX_UUID}.tif", "--from": frm, "--to": to,
                      "--status": status, "--pages": pages}, values


@pytest.mark.parametrize("scenario, status, pages", [
    ("success", "SUCCESS", "2"),
    ("caller_hangs_up_mid_fax", "FAILED", "1"),
    ("call_limit", "FAILED", "0"),
    ("caller_hangs_up_before_answer", "FAILED", ""),
])
def test_the_fallback_report_runs_once_at_hangup_with_the_fax_result(scenario, status, pages):
    out = run_inbound(make_call("+15550009876", "+15550100001"), scenario)
    _check_argv(fallback_argv(out.call), frm="+15550009876", to="+15550100001", status=status, pages=pages)
    assert not out.call.shell_commands


def test_the_hook_is_stored_with_the_late_values_unexpanded():
    call = make_call("15550009876", "15550100001")
    run_inbound(call)
    hook = call.variables["api_hangup_hook"]
    assert hook.startswith("spawn /usr/bin/faxbot inbound submit --transport freeswitch ")
    assert "'${faxbot_rx_status}'" in hook and "'${fax_document_transferred_pages}'" in hook
    assert f"'{FAX_UUID}'" in hook and "'15550009876'" in hook and "'15550100001'" in hook
    # Everything else in the stored hook is inert: after the two late references, only shell-inert
    # characters and quotes remain.
    rest = hook.replace("${faxbot_rx_status}", "").replace("${fax_document_transferred_pages}", "")
    assert set(rest) <= SHELL_INERT | {" ", "'"}, set(rest) - SHELL_INERT


HOSTILE_CALLERS = [
    "1;rm -rf /",
    "$(id)",
    "`id`",
    "' \"",
    "'; touch /tmp/pwned; echo '",
    "15551230000\nrm -rf /",
    "+1555\r\n123",
    "${system(id)}",
    "$${faxbot_cli}",
    "\\${faxbot_rx_status}",
    "1|^(.*)$|%1",
    "+1 (555) 123-4567",
    "anonymous",
    "1" * 33,
    "",
    "15551230000\x00; reboot",
]


def expected_digits(value: str) -> str:
    """What the dialplan keeps: the whole (cleaned) value when it is 1 to 32 digits with an optional
    leading plus (a single trailing newline aside, as PCRE's '$' allows), else nothing."""
    cleaned = clean_profile_string(value)
    m = re.fullmatch(r"(\+?[0-9]{1,32})\n?", cleaned)
    return m.group(1) if m else ""


@pytest.mark.parametrize("caller_id", HOSTILE_CALLERS)
@pytest.mark.parametrize("raw_profile", [False, True], ids=["as-freeswitch-cleans-it", "even-uncleaned"])
def test_hostile_caller_ids_cannot_change_the_fallback_command(caller_id, raw_profile):
    call = make_call(caller_id, "15550100001", clean=not raw_profile)
    out = run_inbound(call, "success")
    frm = expected_digits(caller_id) if not raw_profile else (
        m.group(1) if (m := re.fullmatch(r"(\+?[0-9]{1,32})\n?", caller_id.split("\0")[0])) else "")
    _check_argv(fallback_argv(out.call), frm=frm, to="15550100001", status="SUCCESS", pages="2")
    assert set(frm) <= set("+0123456789")


@pytest.mark.parametrize("did", ["15550100001;reboot", "$(reboot)", "s", "' '", "+15550100001\n", "1" * 40])
def test_hostile_dids_cannot_change_the_fallback_command(did):
    out = run_inbound(make_call("15550009876", did), "success")
    _check_argv(fallback_argv(out.call), frm="15550009876", to=expected_digits(did), status="SUCCESS", pages="2")
    assert out.call.rxfax_file == f"/var/spool/faxbot/inbound/{FAX_UUID}.tif"  # received all the same


def test_a_channel_variable_cannot_replace_the_command_or_the_spool(inbound):
    """The CLI and the spool directory are load-time constants ($${…}): a channel variable of the same
    name (an originate could set one) changes nothing."""
    call = make_call("15550009876", "15550100001")
    call.variables.update(faxbot_cli="/bin/sh -c reboot", faxbot_inbound_dir="/etc")
    out = run_inbound(call, "success", root=inbound)
    _check_argv(fallback_argv(out.call), frm="15550009876", to="15550100001", status="SUCCESS", pages="2")
    assert out.call.rxfax_file.startswith("/var/spool/faxbot/inbound/")


def _shell_argv(command: str) -> List[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


@pytest.mark.parametrize("caller_id", HOSTILE_CALLERS)
def test_the_same_command_reads_the_same_through_a_shell(caller_id):
    """FreeSWITCH older than 1.10.10 has no spawn API; with "system" instead, /bin/sh -c runs the line.
    Every value is inert and single-quoted, so a POSIX shell splits it exactly like spawn does."""
    out = run_inbound(make_call(caller_id, "15550100001"), "success")
    hook = out.call.variables["api_hangup_hook"]
    shell_call = make_call(caller_id, "15550100001")
    shell_call.variables = dict(out.call.variables, api_hangup_hook="system" + hook[len("spawn"):])
    shell_call.run_hangup_hook()
    (command,) = shell_call.shell_commands
    assert _shell_argv(command) == fallback_argv(out.call)


def test_a_real_shell_runs_the_fallback_with_a_fixed_argv_and_nothing_else(tmp_path):
    dumper = tmp_path / "faxbot_argv.py"
    dumper.write_text("import json, os, sys\n"
                      "open(os.environ['ARGV_OUT'], 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    cli = f"{sys.executable} {dumper}"  # faxbot_cli may hold a prefix: it is split at spaces
    assert set(cli) <= SHELL_INERT | {" "}, "the interpreter and temporary paths must themselves be inert"
    canary = tmp_path / "pwned"
    payloads = [f"1;touch {canary}", f"$(touch {canary})", f"`touch {canary}`", f"'; touch {canary}; echo '",
                f"15551230000\ntouch {canary}", f"\"$(touch {canary})\""]
    out_file = tmp_path / "argv.jsonl"
    globals_ = {**fs_globals(), "faxbot_cli": cli}
    root = load_xml(INBOUND, dict(globals_))
    for payload in payloads:
        call = make_call(payload, "15550100001", globals_=dict(globals_))
        out = run_inbound(call, "success", root=root)
        hook = out.call.variables["api_hangup_hook"]
        assert hook.startswith("spawn ")
        shell_call = make_call(payload, "15550100001", globals_=dict(globals_))
        shell_call.variables = dict(out.call.variables, api_hangup_hook="system" + hook[len("spawn"):])
        shell_call.run_hangup_hook()
        (command,) = shell_call.shell_commands
        subprocess.run(["/bin/sh", "-c", command], check=True, timeout=30,
                       env={"ARGV_OUT": str(out_file), "PATH": "/usr/bin:/bin"})
        spawned = fallback_argv(out.call)
        assert spawned[:2] == [sys.executable, str(dumper)]
        assert json.loads(out_file.read_text().splitlines()[-1]) == spawned[2:]
        assert spawned[2:5] == ["inbound", "submit", "--transport"] and spawned[4::2] == FALLBACK_FLAGS
    assert not canary.exists(), "a caller ID reached the shell"
    assert len(out_file.read_text().splitlines()) == len(payloads)


def test_the_test_has_teeth_the_raw_caller_id_would_break_the_command():
    """The same dialplan with ${caller_id_number} put straight into the hook: a hostile caller ID then
    changes the arguments (shown through the shell model only; nothing is executed)."""
    text = INBOUND.read_text().replace("--from '${faxbot_from}'", "--from '${caller_id_number}'")
    assert "${caller_id_number}" in text
    globals_ = fs_globals()
    root = ET.fromstring("<wrapper>" + "".join(
        expand_preprocessor_vars(line, globals_) for line in text.splitlines(keepends=True)
        if "<include>" not in line and "</include>" not in line) + "</wrapper>")
    call = make_call("x' --status SUCCESS --from '1", "15550100001")
    out = run_inbound(call, "caller_hangs_up_mid_fax", root=root)
    argv = fallback_argv(out.call)
    assert argv[3::2] != FALLBACK_FLAGS, "the raw caller ID should have injected arguments"
    shell_call = make_call("'; touch /nonexistent/pwned; echo '", "15550100001")
    out = run_inbound(shell_call, "success", root=root)
    command = "system" + out.call.variables["api_hangup_hook"][len("spawn"):]
    assert ";" in _shell_argv(command.partition(" ")[2]), "a shell would have run a second command"


def test_caller_controlled_values_are_referenced_only_through_the_filtering_conditions():
    for path in (INBOUND, PUBLIC, SELFTEST):
        raw = ET.parse(path).getroot()
        for el in raw.iter():
            for attr in ("data", "field", "expression"):
                value = el.get(attr) or ""
                for name in re.findall(r"\$\{([A-Za-z0-9_-]+)", value):
                    assert name not in CALLER_CONTROLLED and not name.startswith(CALLER_CONTROLLED_PREFIXES), (
                        f"{path.name}: ${{{name}}} in {el.tag} {attr}")
    raw = ET.parse(INBOUND).getroot()
    filters = {c.get("field"): c for c in raw.iter("condition") if c.get("field") in ("destination_number",
                                                                                      "caller_id_number")}
    for name, target in (("destination_number", "faxbot_to"), ("caller_id_number", "faxbot_from")):
        cond = filters[name]
        assert cond.get("expression") == r"^(\+?[0-9]{1,32})$" and cond.get("break") == "never"
        assert [(a.get("application"), a.get("data")) for a in cond.findall("action")] == [("set", f"{target}=$1")]
        assert [(a.get("application"), a.get("data")) for a in cond.findall("anti-action")] == [("set", f"{target}=")]


def test_the_globals_guard_refuses_calls_without_vars_faxbot():
    bare = {"temp_dir": "/tmp"}
    call = make_call("15550009876", "15550100001", globals_=dict(bare))
    out = run_inbound(call, "success", root=load_xml(INBOUND, dict(bare)))
    assert _apps(out) == ["log", "hangup"]
    assert out.call.hung_up == "NORMAL_TEMPORARY_FAILURE" and not out.call.answered and not out.call.spawned
    assert "vars_faxbot.xml" in out.call.log[0]
    # The guard needs no API call: it also works with api-expansion off.
    ok = run_inbound(make_call("15550009876", "15550100001", api_expansion=False), "success")
    assert ok.call.answered and ok.call.spawned


def test_the_status_is_set_by_mod_spandsp_hook_not_by_the_shell():
    raw = ET.parse(INBOUND).getroot()
    data = [a.get("data") for a in raw.iter("action") if a.get("application") == "set"]
    assert "faxbot_rx_status=FAILED" in data
    assert "execute_on_fax_success=set faxbot_rx_status=SUCCESS" in data
    assert data.index("faxbot_rx_status=FAILED") < data.index("execute_on_fax_success=set faxbot_rx_status=SUCCESS")
    (hook,) = [d for d in data if d.startswith("api_hangup_hook=")]
    assert hook.startswith("api_hangup_hook=spawn $${faxbot_cli} inbound submit --transport freeswitch ")
    # Every value in the command is single-quoted, so that an empty one stays an argument.
    values = re.findall(r" --[a-z-]+ (\S+)", hook)
    assert len(values) == len(FALLBACK_FLAGS) and all(v.startswith("'") and v.endswith("'") for v in values[1:])


# =============================================================================================
# dialplan/public/faxbot_did.xml and dialplan/default/faxbot_selftest.xml
# =============================================================================================

def test_public_routes_only_listed_dids_to_faxbot_and_only_as_digits():
    root = load_xml(PUBLIC, fs_globals())
    for did, expected in [("15550100001", "15550100001 XML faxbot"), ("+15550100002", "15550100002 XML faxbot"),
                          ("15550100003", None), ("15550100001;reboot", None), ("1000", None)]:
        call = make_call("15550009876", did)
        actions = hunt(call, root.findall("extension"))
        for app, data in actions:
            call.execute(app, data)
        assert call.transferred_to == expected, did


def test_selftest_receives_on_9100_only_for_loopback_legs():
    globals_ = fs_globals()
    root = load_xml(SELFTEST, dict(globals_))
    call = make_call("0000000000", "9100", globals_=dict(globals_))
    call.profile["source"] = "mod_loopback"
    for app, data in hunt(call, root.findall("extension")):
        call.execute(app, data)
    assert call.answered and call.call_limit == 900
    assert call.rxfax_file == f"/tmp/faxbot-selftest-{FAX_UUID}.tif"
    assert not call.rxfax_file.startswith(globals_["faxbot_inbound_dir"]), "kept out of the inbound spool"
    assert "api_hangup_hook" not in call.variables, "nothing is reported for the self-test copy"
    sip = make_call("1000", "9100", globals_=dict(globals_))
    assert hunt(sip, root.findall("extension")) == [], "a SIP caller dialling 9100 gets no fax receiver"
    bare = make_call("0000000000", "9100", globals_={"temp_dir": "/tmp"})
    bare.profile["source"] = "mod_loopback"
    assert [a for a, _ in hunt(bare, load_xml(SELFTEST, {"temp_dir": "/tmp"}).findall("extension"))] == ["log", "hangup"]


# =============================================================================================
# vars, Event Socket, ACL, spandsp, gateway
# =============================================================================================

def test_vars_set_the_defaults():
    globals_: Dict[str, str] = {}
    preprocess(VARS, globals_)
    assert globals_ == {"faxbot_inbound_dir": "/var/spool/faxbot/inbound", "faxbot_cli": "/usr/bin/faxbot",
                        "faxbot_call_limit": "900", "faxbot_station_id": ""}
    for name in ("faxbot_inbound_dir", "faxbot_cli"):
        assert set(globals_[name]) <= SHELL_INERT | {" "}, name


def _params(element: ET.Element) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for p in element.findall("param"):
        assert p.get("name") not in out, f"param {p.get('name')} twice"
        out[p.get("name")] = p.get("value")
    return out


def test_event_socket_listens_on_loopback_with_a_placeholder_password_and_the_acl():
    root = load_xml(ESL, fs_globals())
    (cfg,) = root.findall("configuration")
    assert cfg.get("name") == "event_socket.conf"
    settings = _params(cfg.find("settings"))
    assert set(settings) <= ESL_PARAMS
    assert settings["listen-ip"] == "127.0.0.1"
    assert ipaddress.ip_address(settings["listen-ip"]).is_loopback
    assert settings["listen-port"] == "8021"
    password = settings["password"]
    assert password and password.lower() != "cluecon", "ClueCon is the well-known default"
    assert password.startswith("CHANGE_ME"), "ship a placeholder, never a usable-looking secret"
    assert not re.search(r"[0-9a-f]{16,}", password), "looks like a real generated password"
    assert settings["apply-inbound-acl"] == "faxbot_esl"
    assert not fs_true(settings.get("nat-map"))
    assert "openssl rand -hex" in ESL.read_text(), "tell the operator how to generate one"


def acl_allows(lst: ET.Element, peer: str) -> bool:
    """src/switch_core.c switch_check_network_list_ip_port_token / switch_utils.c
    switch_network_list_validate_ip_port_token: an IPv4-mapped IPv6 peer is checked as IPv4; the most
    specific matching node of the peer's family decides; else the list's default (allow when absent)."""
    ip = ipaddress.ip_address(peer)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    decision = fs_true(lst.get("default")) if lst.get("default") is not None else True
    bits = -1
    for node in lst.findall("node"):
        assert set(node.attrib) <= {"type", "cidr"}, "only type/cidr nodes are modelled"
        net = ipaddress.ip_network(node.get("cidr"), strict=False)
        if net.version == ip.version and ip in net and net.prefixlen >= bits:
            decision, bits = fs_true(node.get("type")), net.prefixlen
    return decision


def test_acl_allows_ipv4_loopback_only():
    root = load_xml(ACL, fs_globals())
    (lst,) = root.findall("list")
    assert lst.get("name") == "faxbot_esl" and lst.get("default") == "deny"
    assert [(n.get("type"), n.get("cidr")) for n in lst.findall("node")] == [("allow", "127.0.0.1/32")]
    assert acl_allows(lst, "127.0.0.1") and acl_allows(lst, "::ffff:127.0.0.1")
    for peer in ("127.0.0.2", "10.0.0.5", "192.168.1.10", "0.0.0.0", "203.0.113.7", "::1", "::", "fe80::1"):
        assert not acl_allows(lst, peer), peer
    # The model's default matters: a list without default= would allow everyone.
    open_list = ET.fromstring('<list name="x"><node type="allow" cidr="127.0.0.1/32"/></list>')
    assert acl_allows(open_list, "203.0.113.7")


def test_spandsp_enables_t38_and_ecm_and_keeps_quiet():
    root = load_xml(SPANDSP, fs_globals())
    (cfg,) = root.findall("configuration")
    assert cfg.get("name") == "spandsp.conf"
    fax = _params(cfg.find("fax-settings"))
    assert set(fax) <= SPANDSP_FAX_PARAMS, set(fax) - SPANDSP_FAX_PARAMS
    assert fs_true(fax["enable-t38"]) and fs_true(fax["enable-t38-request"]) and fs_true(fax["use-ecm"])
    assert not fs_true(fax["verbose"]) and not fs_true(fax["disable-v17"])
    assert fax["ident"] == "_undef_" and fax["header"] == "_undef_"
    assert _params(cfg.find("modem-settings")) == {"total-modems": "0"}


REAL_LOOKING_SECRET = re.compile(r"^(?![A-Z_]+$)(?=.*\d)(?=.*[a-z]).{8,}$")


def test_gateway_sample_has_only_placeholders_and_g711():
    root = load_xml(GATEWAY, fs_globals())
    (gw,) = root.findall("gateway")
    assert gw.get("name") == "faxbot"
    params = _params(gw)
    assert set(params) <= GATEWAY_PARAMS, set(params) - GATEWAY_PARAMS
    for key in ("username", "password", "from-user"):
        assert re.fullmatch(r"YOUR_[A-Z_]+", params[key]), (key, params[key])
        assert not REAL_LOOKING_SECRET.match(params[key])
    for key in ("proxy", "realm", "from-domain"):
        assert params[key].endswith(".example"), (key, params[key])  # RFC 2606 reserved name
    text = GATEWAY.read_text()
    for addr in re.findall(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", text):
        ip = ipaddress.ip_address(addr)
        assert any(ip in ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")), addr
    assert params["context"] == "faxbot" and params["extension"] == "auto_to_user"
    assert fs_true(params["register"])
    variables = {(v.get("name"), v.get("direction")): v.get("value") for v in gw.find("variables").findall("variable")}
    assert variables == {("absolute_codec_string", "outbound"): "PCMU,PCMA"}
    assert "sofia/gateway/faxbot/{number}" in text


# =============================================================================================
# The status map
# =============================================================================================

def _swift_causes() -> Optional[set]:
    if not FAILURE_CAUSE_SWIFT.is_file():
        return None
    causes = set()
    for m in re.finditer(r"^\s*case (\w+)(?: = \"([a-z_]+)\")?\s*$", FAILURE_CAUSE_SWIFT.read_text(), re.M):
        causes.add(m.group(2) or m.group(1))
    return causes


def test_status_map_uses_only_canonical_causes_and_freeswitch_codes():
    doc = json.loads(STATUS_MAP.read_text())
    assert list(doc) == ["bgapi_error", "hangup_cause", "result_code", "failed_with_pages",
                         "failed_without_pages", "unknown_hangup"]
    swift = _swift_causes()
    if swift is not None:
        assert swift == CANONICAL_CAUSES, "the daemon's FailureCause changed: update the test and the map"
    for section in ("bgapi_error", "hangup_cause"):
        assert set(doc[section]) <= FS_CAUSES, set(doc[section]) - FS_CAUSES
        assert set(doc[section].values()) <= CANONICAL_CAUSES
    assert all(k.isdigit() and 1 <= int(k) <= 61 for k in doc["result_code"]), "T30_ERR_* codes, 0 is OK"
    assert set(doc["result_code"].values()) <= CANONICAL_CAUSES
    for key in ("failed_with_pages", "failed_without_pages", "unknown_hangup"):
        assert doc[key] in CANONICAL_CAUSES


def test_status_map_proposal():
    doc = json.loads(STATUS_MAP.read_text())
    bg, hc, rc = doc["bgapi_error"], doc["hangup_cause"], doc["result_code"]
    for table in (bg, hc):
        assert table["USER_BUSY"] == "busy"
        assert table["NO_ANSWER"] == table["NO_USER_RESPONSE"] == "no_answer"
        assert table["UNALLOCATED_NUMBER"] == table["INVALID_NUMBER_FORMAT"] == "invalid_number"
        assert table["NORMAL_TEMPORARY_FAILURE"] == table["GATEWAY_DOWN"] == "transport_unavailable"
        # mod_sofia maps 401, 402, 403, 407, 603 and 608 to CALL_REJECTED: the provider or the far end
        # refused the call; trying again would fail the same way.
        assert table["CALL_REJECTED"] == "provider_rejected"
    # Never answered (BACKGROUND_JOB -ERR): nothing was sent, so nothing is uncertain.
    assert "outcome_unknown" not in bg.values() and "line_error" not in bg.values()
    assert bg["NORMAL_CLEARING"] == "no_answer"  # e.g. the far end cleared before answering
    # Maybe answered, no txfaxresult: the line, or unknown when FreeSWITCH itself went away.
    assert hc["NORMAL_CLEARING"] == "line_error" and hc["SYSTEM_SHUTDOWN"] == "outcome_unknown"
    assert hc["ALLOTTED_TIMEOUT"] == "timeout"
    assert rc["49"] == rc["48"] == "line_error"
    assert rc["2"] == rc["3"] == "no_fax_tone"
    assert rc["6"] == rc["8"] == "negotiation_failed"
    assert rc["41"] == rc["43"] == "internal_error"
    assert doc["failed_with_pages"] == "line_error" and doc["failed_without_pages"] == "negotiation_failed"
    assert doc["unknown_hangup"] == "outcome_unknown", "an unknown end of a call is never re-sent blindly"


# =============================================================================================
# README
# =============================================================================================

def test_readme_names_the_settings_and_the_pitfalls():
    text = README.read_text()
    for needle in ("freeswitch.host", "freeswitch.port", "freeswitch.password", "FREESWITCH_ESL_PASSWORD",
                   "freeswitch.dial_template", "FAXBOT_FREESWITCH_DIAL", "freeswitch.max_channels",
                   "freeswitch.station_id", "freeswitch.header", "freeswitch.t38", "freeswitch.ecm",
                   "freeswitch.ring_timeout_seconds", "freeswitch.call_limit_seconds", "freeswitch.outbound_dir",
                   "FAX_BACKEND=freeswitch", "loopback/9100/default", "uuid_exists", "BACKGROUND_JOB",
                   "spandsp::txfaxresult", "2770", "ClueCon", "reloadacl", "vars_faxbot.xml", "initgroups()",
                   "outcome_unknown", "status_map_freeswitch.json"):
        assert needle in text, needle
    assert '<X-PRE-PROCESS cmd="include" data="vars_faxbot.xml"/>' in text

#!/usr/bin/env python3
"""Generate Faxbot's hostile/odd document corpus.

    python3 make_corpus.py OUTDIR

Writes every document plus OUTDIR/manifest.json. Python 3 standard library
only; output is byte-for-byte deterministic (no timestamps, no randomness
other than a SHA-256 based byte stream with fixed seeds).

Encryption: the two encrypted PDFs are produced by a small implementation of
the PDF Standard Security Handler, revision 3 (RC4, 128-bit key, V 2), using
hashlib.md5 and a pure-Python RC4. No external tool is needed.

Bombs are kept tiny by compressing twice ([/FlateDecode /FlateDecode]); the
inner deflate stream of a repeated chunk is built with Z_FULL_FLUSH so each
repetition compresses to identical bytes (fast to build, compresses again
to almost nothing).

See README.md next to this file for the expected outcomes and the
measurements with the real Ghostscript CLI.
"""
import hashlib
import json
import os
import struct
import sys
import zlib

# ---------------------------------------------------------------------------
# helpers


def det_bytes(seed, n):
    """Deterministic pseudo-random bytes (SHA-256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + i.to_bytes(8, "big")).digest()
        i += 1
    return bytes(out[:n])


def flate(data):
    return zlib.compress(data, 9)


def deflate_repeat(chunk, n):
    """zlib stream equal to zlib.compress(chunk * n), built in O(len(chunk))
    compression work: each repetition is a full-flushed, byte-aligned block."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(n):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + piece * n + b"\x03\x00" + adler.to_bytes(4, "big")


def double_flate_repeat(chunk, n):
    return flate(deflate_repeat(chunk, n))


# ---------------------------------------------------------------------------
# minimal PDF writer


def stream_obj(dict_body, data):
    return (b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data)
            + data + b"\nendstream")


class PDF:
    """Objects are numbered from 1 in the order they are added.
    add() returns the object number."""

    def __init__(self, version=b"1.4"):
        self.version = version
        self.objs = []          # bytes bodies (None = reserved)

    def add(self, body=None):
        self.objs.append(body)
        return len(self.objs)

    def set(self, num, body):
        self.objs[num - 1] = body

    def build(self, root, prefix=b"", trailer_extra=b"", encrypt=None,
              xref_hook=None):
        """encrypt: (Encryptor, encrypt_dict_objnum) or None."""
        out = bytearray(prefix)
        out += b"%PDF-" + self.version + b"\n%\xe2\xe3\xcf\xd3\n"
        offs = []
        for i, body in enumerate(self.objs, 1):
            if encrypt is not None and i != encrypt[1]:
                body = encrypt[0].encrypt_object(i, body)
            offs.append(len(out))
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
        xref = len(out)
        table = bytearray(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1))
        for o in offs:
            table += b"%010d 00000 n \n" % o
        if xref_hook:
            table = xref_hook(bytes(table))
        out += table
        out += (b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
                % (len(self.objs) + 1, root, trailer_extra, xref))
        return bytes(out)


def text_page_content(label, w=612, h=792):
    """A visible page: a frame and a line of Helvetica text."""
    return (b"q 4 w 36 36 %d %d re S Q\n" % (w - 72, h - 72)
            + b"BT /F1 24 Tf 72 %d Td (%s) Tj ET\n" % (h - 120, label))


def simple_pdf(pages, version=b"1.4", extra_page_keys=b"", catalog_extra=b"",
               page_extra_objs=None):
    """pages: list of (mediabox_tuple, content_bytes, page_dict_extra).
    Returns (PDF, root)."""
    p = PDF(version)
    cat = p.add()
    tree = p.add()
    font = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for mb, content, extra in pages:
        c = p.add(stream_obj(b"/Filter /FlateDecode", flate(content)))
        kids.append(p.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [%s] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R %s%s>>"
            % (tree, b" ".join(b"%g" % v for v in mb), font, c, extra, extra_page_keys)))
    p.set(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>"
          % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    p.set(cat, b"<< /Type /Catalog /Pages %d 0 R %s>>" % (tree, catalog_extra))
    return p, cat


LETTER = (0, 0, 612, 792)
A4 = (0, 0, 595, 842)
LEGAL = (0, 0, 612, 1008)


def one_page_pdf(label=b"Hello fax", mb=LETTER, extra=b"", **kw):
    p, root = simple_pdf([(mb, text_page_content(label, mb[2], mb[3]), extra)], **kw)
    return p.build(root)


def single_content_pdf(content, filt=b"", resources=b"<< >>", extra_objs=(),
                       mb=LETTER):
    """Page 3 0 R with content object 4 0 R; extra_objs numbered from 5."""
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    p.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources %s /Contents 4 0 R >>"
          % (b" ".join(b"%g" % v for v in mb), resources))
    p.add(stream_obj(filt, content))
    for o in extra_objs:
        p.add(o)
    return p.build(1)


# ---------------------------------------------------------------------------
# PDF Standard Security Handler, revision 3, RC4 128-bit


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for k, b in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[k] = b ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


class Encryptor:
    def __init__(self, user_pw, owner_pw, file_id, perms=-3904, nbytes=16):
        n = nbytes
        upad = (user_pw + PAD)[:32]
        opad = (owner_pw + PAD)[:32]
        # Algorithm 3: /O
        h = hashlib.md5(opad).digest()
        for _ in range(50):
            h = hashlib.md5(h[:n]).digest()
        okey = h[:n]
        o = rc4(okey, upad)
        for i in range(1, 20):
            o = rc4(bytes(b ^ i for b in okey), o)
        self.O = o
        self.P = perms
        # Algorithm 2: file key
        h = hashlib.md5(upad + o + struct.pack("<i", perms) + file_id).digest()
        for _ in range(50):
            h = hashlib.md5(h[:n]).digest()
        self.key = h[:n]
        # Algorithm 5: /U
        u = rc4(self.key, hashlib.md5(PAD + file_id).digest())
        for i in range(1, 20):
            u = rc4(bytes(b ^ i for b in self.key), u)
        self.U = u + b"\x00" * 16
        self.n = n

    def dict_body(self):
        return (b"<< /Filter /Standard /V 2 /R 3 /Length %d /O <%s> /U <%s> /P %d >>"
                % (self.n * 8, self.O.hex().encode(), self.U.hex().encode(), self.P))

    def objkey(self, num):
        k = self.key + struct.pack("<I", num)[:3] + b"\x00\x00"
        return hashlib.md5(k).digest()[:min(self.n + 5, 16)]

    def encrypt_object(self, num, body):
        """Encrypts stream data and literal strings written as (...) without
        nested parentheses/escapes (sufficient for the bodies we generate)."""
        key = self.objkey(num)
        if b"stream\n" in body:
            head, rest = body.split(b"stream\n", 1)
            data, tail = rest.rsplit(b"\nendstream", 1)
            enc = rc4(key, data)
            head = head.replace(b"/Length %d" % len(data), b"/Length %d" % len(enc))
            return head + b"stream\n" + enc + b"\nendstream" + tail
        out = bytearray()
        i = 0
        while i < len(body):
            c = body[i:i + 1]
            if c == b"(":
                j = body.index(b")", i)
                out += b"<" + rc4(key, body[i + 1:j]).hex().encode() + b">"
                i = j + 1
            else:
                out += c
                i += 1
        return bytes(out)


def encrypted_pdf(user_pw, owner_pw, label):
    file_id = hashlib.md5(b"faxbot-corpus-" + label).digest()
    p, root = simple_pdf([(LETTER, text_page_content(label), b"")])
    enc = Encryptor(user_pw, owner_pw, file_id)
    enc_num = p.add(enc.dict_body())
    idhex = file_id.hex().encode()
    return p.build(root, trailer_extra=b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (enc_num, idhex, idhex),
                   encrypt=(enc, enc_num))


# ---------------------------------------------------------------------------
# individual PDF documents


def pdf_truncated():
    p, root = simple_pdf([(LETTER, text_page_content(b"page %d" % i), b"") for i in range(1, 4)])
    full = p.build(root)
    return full[: len(full) * 2 // 5]


def pdf_garbled_xref():
    def garble(table):
        lines = table.split(b"\n")
        out = []
        for ln in lines:
            if len(ln) == 19 and ln.endswith(b" n "):
                off = int(ln[:10]) + 7  # every offset points into the wrong place
                ln = b"%010d 00000 n " % off
            out.append(ln)
        return b"\n".join(out)
    p, root = simple_pdf([(LETTER, text_page_content(b"garbled xref"), b"")])
    data = p.build(root, xref_hook=garble)
    # also break startxref
    i = data.rindex(b"startxref\n") + len(b"startxref\n")
    j = data.index(b"\n", i)
    return data[:i] + b"%d" % (int(data[i:j]) + 3) + data[j:]


def pdf_zero_pages():
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    p.add(b"<< /Type /Pages /Kids [] /Count 0 >>")
    return p.build(1)


def pdf_page_tree_cycle():
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    p.add(b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
    p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>")
    # intermediate node whose Kids points back to the root node
    p.add(b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>")
    p.add(stream_obj(b"", b"q 10 w 72 72 468 648 re S Q\n"))
    return p.build(1)


def pdf_form_recursion():
    form = stream_obj(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /Fx 5 0 R >> >>",
                      b"0 0 100 100 re f /Fx Do\n")
    return single_content_pdf(b"/Fx Do\n", resources=b"<< /XObject << /Fx 5 0 R >> >>", extra_objs=[form])


def pdf_count_lies():
    p, root = simple_pdf([(LETTER, text_page_content(b"page %d" % i), b"") for i in (1, 2)])
    tree = 2
    body = p.objs[tree - 1].replace(b"/Count 2", b"/Count 100000")
    p.set(tree, body)
    return p.build(root)


def pdf_objstm_xref_stream():
    """PDF 1.5: catalog/pages/page dicts in a compressed object stream,
    cross-reference stream instead of a table. 2 pages."""
    # object numbers: 1 catalog, 2 pages, 3 page1, 4 page2 (in objstm 8)
    # 5 content1, 6 content2, 7 font (in objstm 8), 8 objstm, 9 xref stream
    in_stm = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 7 0 R >> >> /Contents 5 0 R >>",
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 7 0 R >> >> /Contents 6 0 R >>",
        7: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    order = [1, 2, 3, 4, 7]
    header = bytearray()
    bodies = bytearray()
    for num in order:
        header += b"%d %d " % (num, len(bodies))
        bodies += in_stm[num] + b"\n"
    stm_data = bytes(header) + bytes(bodies)
    first = len(header)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, content in ((5, text_page_content(b"objstm page 1")), (6, text_page_content(b"objstm page 2"))):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + stream_obj(b"/Filter /FlateDecode", flate(content)) + b"\nendobj\n"
    offsets[8] = len(out)
    out += b"8 0 obj\n" + stream_obj(b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(order), first),
                                      flate(stm_data)) + b"\nendobj\n"
    offsets[9] = len(out)
    rows = bytearray()
    for num in range(0, 10):
        if num == 0:
            rows += struct.pack(">BIH", 0, 0, 65535)
        elif num in in_stm:
            rows += struct.pack(">BIH", 2, 8, order.index(num))
        else:
            rows += struct.pack(">BIH", 1, offsets[num], 0)
    out += b"9 0 obj\n" + stream_obj(b"/Type /XRef /Size 10 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode",
                                      flate(bytes(rows))) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[9]
    return bytes(out)


def pdf_junk_before_header():
    junk = (b"X-Junk: this is 500 bytes of junk before the PDF header\r\n" * 10)[:500]
    p, root = simple_pdf([(LETTER, text_page_content(b"junk before header"), b"")])
    return p.build(root, prefix=junk)


def pdf_incremental_update():
    """Revision 1: one page. Revision 2 (appended): replaces page 1's
    content and adds a second page. Expected: 2 pages."""
    p, root = simple_pdf([(LETTER, text_page_content(b"revision 1"), b"")])
    base = p.build(root)
    prev = int(base[base.rindex(b"startxref\n") + 10:].split(b"\n")[0])
    n = len(p.objs)  # objects 1..n; 1 cat, 2 pages, 3 font, 4 content, 5 page
    out = bytearray(base)
    new = {}
    c1 = n + 1
    c2 = n + 2
    pg2 = n + 3
    new[4] = stream_obj(b"/Filter /FlateDecode", flate(text_page_content(b"revision 2, page 1")))
    new[c1] = stream_obj(b"/Filter /FlateDecode", flate(text_page_content(b"revision 2, page 2")))
    new[pg2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % c1)
    new[2] = b"<< /Type /Pages /Kids [5 0 R %d 0 R] /Count 2 >>" % pg2
    new[c2] = b"(unused)"
    offs = {}
    for num in sorted(new):
        offs[num] = len(out)
        out += b"%d 0 obj\n" % num + new[num] + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(new):
        out += b"%d 1\n%010d 00000 n \n" % (num, offs[num])
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (max(new) + 1, root, prev, x))
    return bytes(out)


def pdf_deeply_nested_arrays(depth=50000):
    nested = b"[" * depth + b"0" + b"]" * depth
    p, root = simple_pdf([(LETTER, text_page_content(b"nested arrays"), b"/PieceInfo " + nested + b" ")])
    return p.build(root)


def pdf_deeply_nested_dicts(depth=20000):
    nested = b"<</A" * depth + b"0" + b">>" * depth
    p, root = simple_pdf([(LETTER, text_page_content(b"nested dicts"), b"/PieceInfo " + nested + b" ")])
    return p.build(root)


def pdf_deeply_nested_content(qdepth=20000, adepth=100000):
    """Nesting inside the content stream: q...Q (graphics state) and arrays.
    gs cost of nested q grows roughly quadratically: 30000 -> 5 s/185 MB,
    50000 -> 25 s/290 MB, 100000 -> >60 s/430 MB (measured); 20000 stays cheap."""
    content = b"q " * qdepth + b"0 0 100 100 re f " + b"Q " * qdepth + b"[" * adepth + b"]" * adepth + b" pop\n"
    return single_content_pdf(flate(content), filt=b"/Filter /FlateDecode")


def pdf_decompression_bomb():
    """Content stream = 1 GiB of whitespace after two inflates, then a
    rectangle. ~1 KB on disk."""
    data = double_flate_repeat(b" " * (1 << 20), 1024)
    # Appending after the bomb would need a multi-member stream; instead use
    # two content streams: the bomb and a drawing.
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    p.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 5 0 R] >>")
    p.add(stream_obj(b"/Filter [/FlateDecode /FlateDecode]", data))
    p.add(stream_obj(b"", b"q 10 w 72 72 468 648 re S Q\n"))
    return p.build(1)


def pdf_time_bomb_nested_forms(levels=12, fanout=10):
    """Billion-laughs: form k paints form k+1 `fanout` times; the last form
    fills the whole page. fanout**levels (1e12) full-page fills. Constant
    memory, effectively infinite run time (measured ~1e5 fills/s: ~100 days)."""
    extra = []
    base = 5
    for k in range(levels):
        if k < levels - 1:
            body = b"/F%d Do\n" % (k + 1) * fanout
            res = b"<< /XObject << /F%d %d 0 R >> >>" % (k + 1, base + k + 1)
        else:
            body = b"0 0 612 792 re f\n"
            res = b"<< >>"
        extra.append(stream_obj(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + res, body))
    return single_content_pdf(b"/F0 Do\n", resources=b"<< /XObject << /F0 5 0 R >> >>", extra_objs=extra)


def pdf_memory_bomb_nested_arrays(outer=256, inner=50000):
    """Content stream (double Flate) holding one array of `outer` arrays of
    `inner` integers each (12.8 million number objects, each a heap object
    in Ghostscript's PDF interpreter). Inner arrays keep the operand stack
    shallow so the stack limit is not what stops it; the heap is."""
    chunk = b"[" + b"0 " * inner + b"]\n"
    # inner zlib stream of "[" + chunk*outer + "] pop", then compressed again
    co = zlib.compressobj(9)
    parts = [co.compress(b"[")]
    for _ in range(outer):
        parts.append(co.compress(chunk))
    parts.append(co.compress(b"] pop\n"))
    parts.append(co.flush())
    return single_content_pdf(flate(b"".join(parts)), filt=b"/Filter [/FlateDecode /FlateDecode]")


def pdf_huge_image(w=100000, h=100000):
    """1-bit image XObject of 100000x100000 (1.25 GB of zero bits) declared
    and actually present after two inflates."""
    row_bytes = (w + 7) // 8
    total = row_bytes * h
    # the repeated chunk is a whole number of rows that divides the image
    chunk = b"\x00" * (row_bytes * 80)
    n, rem = divmod(total, len(chunk))
    assert rem == 0
    data = double_flate_repeat(chunk, n)
    img = stream_obj(b"/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter [/FlateDecode /FlateDecode]" % (w, h), data)
    return single_content_pdf(b"q 540 0 0 720 36 36 cm /Im0 Do Q\n", resources=b"<< /XObject << /Im0 5 0 R >> >>", extra_objs=[img])


def pdf_jbig2_huge_page(w=100000, h=100000):
    """JBIG2 embedded stream whose page-information segment declares a
    100000x100000 page: jbig2dec tries to allocate 1.25 GB."""
    seg = lambda num, typ, data: struct.pack(">IBBBI", num, typ, 0, 1, len(data)) + data
    j = seg(0, 48, struct.pack(">IIIIBH", w, h, 0, 0, 0, 0)) + seg(1, 49, b"")
    img = stream_obj(b"/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode" % (w, h), j)
    return single_content_pdf(b"q 540 0 0 720 36 36 cm /Im0 Do Q\n", resources=b"<< /XObject << /Im0 5 0 R >> >>", extra_objs=[img])


def tiny_jpeg(w=16, h=16):
    """Hand-made baseline JPEG, 1 component, every block DC=0 AC=0 (mid grey).
    Huffman tables with a single 1-bit code each."""
    def seg(marker, payload):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
    out = b"\xff\xd8"
    out += seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += seg(0xDB, b"\x00" + bytes([1] * 64))
    out += seg(0xC0, struct.pack(">BHHB", 8, h, w, 1) + b"\x01\x11\x00")
    counts = bytes([1] + [0] * 15)
    out += seg(0xC4, b"\x00" + counts + b"\x00")   # DC table 0: symbol 0 (category 0)
    out += seg(0xC4, b"\x10" + counts + b"\x00")   # AC table 0: symbol 0x00 (EOB)
    out += seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    nblocks = ((w + 7) // 8) * ((h + 7) // 8)
    bits = "00" * nblocks
    bits += "1" * (-len(bits) % 8)
    data = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    data = data.replace(b"\xff", b"\xff\x00")
    out += data + b"\xff\xd9"
    return out


def pdf_jpeg_image():
    jpg = tiny_jpeg()
    img = stream_obj(b"/Type /XObject /Subtype /Image /Width 16 /Height 16 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", jpg)
    return single_content_pdf(b"q 468 0 0 468 72 252 cm /Im0 Do Q\n", resources=b"<< /XObject << /Im0 5 0 R >> >>", extra_objs=[img])


def pdf_javascript():
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(boom) 6 0 R] >> >> >>")
    p.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /AA << /O 6 0 R >> >>")
    p.add(stream_obj(b"", text_page_content(b"javascript is ignored")))
    p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    p.add(b"<< /Type /Action /S /JavaScript /JS (while(true){app.alert('x');}) >>")
    return p.build(1)


def pdf_broken_font():
    garbage = det_bytes(b"broken-font", 4096)
    p = PDF()
    p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    p.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")
    p.add(stream_obj(b"", b"BT /F1 24 Tf 72 600 Td (Broken font text) Tj ET\nq 4 w 36 36 540 720 re S Q\n"))
    p.add(b"<< /Type /Font /Subtype /TrueType /BaseFont /Garbage /FirstChar 32 /LastChar 126 /Widths [%s] /FontDescriptor 6 0 R >>"
          % b" ".join([b"500"] * 95))
    p.add(b"<< /Type /FontDescriptor /FontName /Garbage /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>")
    p.add(stream_obj(b"/Length1 %d" % len(garbage), garbage))
    return p.build(1)


# ---------------------------------------------------------------------------
# TIFF writer (little endian, uncompressed single strip per page)


def tiff(pages, loop=False, bogus_ifd=False):
    """pages: dicts with w, h, bps, spp, photometric, data, xres, yres."""
    out = bytearray(b"II*\x00" + b"\x00\x00\x00\x00")
    ifd_offsets = []
    next_ptr_positions = []
    for idx, pg in enumerate(pages):
        # pixel data
        if len(out) % 2:
            out += b"\x00"
        data_off = len(out)
        out += pg["data"]
        if len(out) % 2:
            out += b"\x00"
        xres_off = len(out)
        out += struct.pack("<II", pg["xres"], 1)
        yres_off = len(out)
        out += struct.pack("<II", pg["yres"], 1)
        entries = [
            (254, 4, 1, 2 if len(pages) > 1 else 0),
            (256, 4, 1, pg["w"]),
            (257, 4, 1, pg["h"]),
            (258, 3, 1, pg["bps"]),
            (259, 3, 1, 1),
            (262, 3, 1, pg["photometric"]),
            (273, 4, 1, data_off),
            (277, 3, 1, pg["spp"]),
            (278, 4, 1, pg["h"]),
            (279, 4, 1, len(pg["data"])),
            (282, 5, 1, xres_off),
            (283, 5, 1, yres_off),
            (296, 3, 1, 2),
        ]
        if len(pages) > 1:
            entries.append((297, 3, 2, idx | (len(pages) << 16)))
        ifd_off = len(out)
        ifd_offsets.append(ifd_off)
        out += struct.pack("<H", len(entries))
        for tag, typ, cnt, val in entries:
            if typ == 3 and cnt == 1:
                out += struct.pack("<HHIHH", tag, typ, cnt, val, 0)
            else:
                out += struct.pack("<HHII", tag, typ, cnt, val)
        next_ptr_positions.append(len(out))
        out += b"\x00\x00\x00\x00"
    struct.pack_into("<I", out, 4, ifd_offsets[0])
    for i in range(len(pages) - 1):
        struct.pack_into("<I", out, next_ptr_positions[i], ifd_offsets[i + 1])
    if loop:
        struct.pack_into("<I", out, next_ptr_positions[-1], ifd_offsets[0])
    if bogus_ifd:
        struct.pack_into("<I", out, 4, 0x7FFFFFF0)
    return bytes(out)


def bilevel_page(w, h, xres=204, yres=196, seed=b""):
    """1-bit WhiteIsZero page: a black frame and some bars (1 = black)."""
    rb = (w + 7) // 8
    rows = []
    for y in range(h):
        row = bytearray(rb)
        if y < 4 or y >= h - 4:
            row = bytearray(b"\xff" * rb)
        else:
            row[0] |= 0xF0
            row[-1] |= 0xFF
            if 20 <= y < 40 or (60 <= y < 70):
                for x in range(4, rb // 2):
                    row[x] = 0xFF
        if w % 8:
            row[-1] &= (0xFF << (8 - w % 8)) & 0xFF
        rows.append(bytes(row))
    return {"w": w, "h": h, "bps": 1, "spp": 1, "photometric": 0,
            "data": b"".join(rows), "xres": xres, "yres": yres}


def gray_page(w, h):
    data = bytes((x * 255 // (w - 1)) for x in range(w)) * h
    return {"w": w, "h": h, "bps": 8, "spp": 1, "photometric": 1,
            "data": data, "xres": 204, "yres": 196}


# ---------------------------------------------------------------------------
# other formats


def png_1x1():
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80", 9)) + chunk(b"IEND", b""))


def text_formfeeds():
    p1 = "".join("Page one, line %d\n" % i for i in range(1, 21))
    long_line = ("Page two has a long line that must wrap at eighty columns. " * 5).strip() + "\n"
    p2 = long_line + "".join("Page two, line %d\n" % i for i in range(2, 31))
    p3 = "".join("Page three, line %d\n" % i for i in range(1, 11))
    return (p1 + "\f" + p2 + "\f" + p3).encode("utf-8")


# ---------------------------------------------------------------------------
# corpus definition


def corpus():
    docs = []

    def add(name, data, description, expect, pages=None, reason=None, category=None):
        entry = {"file": name, "description": description, "expect": expect}
        if expect == "pages":
            entry["pages"] = pages
        if reason:
            entry["reason_contains"] = reason
        entry["category"] = category
        docs.append((name, data, entry))

    # --- sniffer-level rejections
    add("empty.pdf", b"", "0-byte file", "rejected", reason="empty")
    add("garbage.pdf", det_bytes(b"garbage", 4096), "4 KiB of pseudo-random bytes named .pdf", "rejected")
    add("png_named.pdf", png_1x1(), "a 1x1 PNG named .pdf", "rejected")
    add("postscript_loop.pdf", b"%!PS\n{} loop\n",
        "PostScript that loops forever (%!PS {} loop); not a PDF, must never reach gs", "rejected", reason="postscript")
    add("binary_nul.bin", b"\x00\x01\x02faxbot\x00\x00\xff\xfe" + det_bytes(b"nul", 256), "binary with NUL bytes", "rejected")

    # --- good / odd PDFs
    add("simple.pdf", one_page_pdf(b"Hello fax"), "baseline one-page Letter PDF", "pages", 1)
    add("landscape.pdf", one_page_pdf(b"landscape", mb=(0, 0, 792, 612)), "landscape page 792x612 pt", "pages", 1)
    p, r = simple_pdf([(LETTER, text_page_content(b"Letter"), b""), (A4, text_page_content(b"A4", 595, 842), b""),
                       (LEGAL, text_page_content(b"Legal", 612, 1008), b"")])
    add("mixed_sizes.pdf", p.build(r), "Letter, A4 and Legal pages in one PDF", "pages", 3)
    p, r = simple_pdf([(LETTER, text_page_content(b"page %d of 100" % i), b"") for i in range(1, 101)])
    add("hundred_pages.pdf", p.build(r), "100 pages", "pages", 100)
    add("huge_mediabox.pdf", one_page_pdf(b"huge mediabox", mb=(0, 0, 14400, 14400)),
        "MediaBox 14400x14400 pt (200 in square); PDFFitPage scales it down", "pages", 1)
    add("tiny_page.pdf", single_content_pdf(b"0 0 1 1 re f\n", mb=(0, 0, 1, 1)), "1x1 pt page", "pages", 1)
    add("rotate90.pdf", one_page_pdf(b"rotated 90", extra=b"/Rotate 90 "), "portrait page with /Rotate 90", "pages", 1)
    add("objstm_xref_stream.pdf", pdf_objstm_xref_stream(), "PDF 1.5 with object stream and cross-reference stream, 2 pages", "pages", 2)
    add("junk_before_header.pdf", pdf_junk_before_header(), "500 bytes of junk before %PDF- (offsets count the junk)", "pages", 1)
    add("incremental_update.pdf", pdf_incremental_update(), "incremental update adding a second page (xref /Prev chain)", "pages", 2)
    add("javascript_openaction.pdf", pdf_javascript(), "OpenAction + names-tree JavaScript (infinite alert loop); JS is ignored", "pages", 1)
    add("jpeg_image.pdf", pdf_jpeg_image(), "hand-made 16x16 baseline JPEG (DCTDecode) image", "pages", 1)
    add("owner_password_only.pdf", encrypted_pdf(b"", b"owner-secret", b"owner password only"),
        "RC4-128 (R3) encrypted, owner password only (restrictions, empty user password)", "pages", 1)
    add("user_password.pdf", encrypted_pdf(b"user-secret", b"owner-secret", b"user password"),
        "RC4-128 (R3) encrypted with a user password", "rejected", reason="password")

    # --- broken / hostile PDFs (expectations set from gs measurements, see README)
    add("truncated.pdf", pdf_truncated(), "3-page PDF cut at 40% (no xref, no trailer)", "rejected")
    add("garbled_xref.pdf", pdf_garbled_xref(), "every xref offset and startxref off by a few bytes", "pages", 1)
    add("zero_pages.pdf", pdf_zero_pages(), "page tree with /Count 0 and empty /Kids", "rejected", reason="no pages")
    add("page_tree_cycle.pdf", pdf_page_tree_cycle(), "intermediate Pages node whose /Kids points back to the root", "rejected")
    add("count_lies.pdf", pdf_count_lies(), "/Count 100000 but only 2 page objects (gs counts 2, qpdf reports 100000)", "pages", 2)
    add("form_recursion.pdf", pdf_form_recursion(), "Form XObject that paints itself", "rejected")
    add("deeply_nested_arrays.pdf", pdf_deeply_nested_arrays(), "page dict value nested 50000 arrays deep", "pages", 1)
    add("deeply_nested_dicts.pdf", pdf_deeply_nested_dicts(), "page dict value nested 20000 dictionaries deep", "rejected")
    add("deeply_nested_content.pdf", pdf_deeply_nested_content(), "content stream with 20000 nested q and 100000 nested [ ]", "pages", 1)
    add("broken_font.pdf", pdf_broken_font(), "TrueType font whose FontFile2 is 4 KiB of garbage (gs substitutes a font)", "pages", 1)
    add("decompression_bomb.pdf", pdf_decompression_bomb(), "content stream inflating (twice) to 1 GiB of whitespace", "pages", 1)
    add("huge_image.pdf", pdf_huge_image(), "1-bit image 100000x100000 (1.25 GB after two inflates), streamed by gs", "pages", 1)
    # gs exits 0 with the image silently missing (jbig2dec cannot allocate under the limit): the
    # pipeline reads gs's "FATAL ERROR ... failed to allocate" and refuses an incomplete page.
    add("jbig2_huge_page.pdf", pdf_jbig2_huge_page(), "JBIG2 page-info segment declaring 100000x100000 (1.25 GB page buffer)",
        "rejected", reason="memory")
    add("time_bomb_nested_forms.pdf", pdf_time_bomb_nested_forms(),
        "12 levels of Form XObjects, each painting the next 10 times: 1e12 full-page fills, constant memory",
        "rejected", category="time_bomb")
    add("memory_bomb_nested_arrays.pdf", pdf_memory_bomb_nested_arrays(),
        "content-stream array of 256 arrays x 50000 integers (12.8M objects) in a double-Flate stream",
        "rejected", reason="memory", category="memory_bomb")

    # --- TIFF
    add("tiff_1734_wide.tif", tiff([bilevel_page(1734, 120)]), "1-bit TIFF 1734 px wide (rescaled to 1728)", "pages", 1)
    add("tiff_gray8.tif", tiff([gray_page(256, 64)]), "8-bit grayscale TIFF", "rejected")
    add("tiff_standard_3p.tif", tiff([bilevel_page(1728, 100, 204, 98) for _ in range(3)]),
        "3-page 1-bit TIFF, 1728 wide, 204x98 dpi (standard)", "pages", 3)
    add("tiff_fine_2p.tif", tiff([bilevel_page(1728, 150, 204, 196) for _ in range(2)]),
        "2-page 1-bit TIFF, 1728 wide, 204x196 dpi (fine)", "pages", 2)
    add("tiff_landscape_2244.tif", tiff([bilevel_page(2244, 100)]), "1-bit TIFF 2244 px wide (landscape; rescaled)", "pages", 1)
    zw = bytearray(tiff([bilevel_page(1728, 16)]))
    # patch ImageWidth value to 0
    i = zw.index(struct.pack("<HHI", 256, 4, 1))
    struct.pack_into("<I", zw, i + 8, 0)
    add("tiff_zero_width.tif", bytes(zw), "1-bit TIFF with ImageWidth 0", "rejected")
    add("tiff_bogus_ifd_offset.tif", tiff([bilevel_page(1728, 16)], bogus_ifd=True), "TIFF header whose first IFD offset is past EOF", "rejected")
    add("tiff_ifd_loop.tif", tiff([bilevel_page(1728, 16) for _ in range(2)], loop=True),
        "2-page TIFF whose last IFD points back to the first (libtiff detects the loop, stops after 2)", "pages", 2)

    # --- text
    add("utf8_nonascii.txt", "Grüße aus Köln: é, ü, ß, Ω, 日本語\nFaxbot text page.\n".encode("utf-8"),
        "UTF-8 text with non-ASCII characters", "pages", 1)
    add("formfeeds.txt", text_formfeeds(), "text with 2 form feeds (3 pages; one 290-char line wraps at 80 columns)", "pages", 3)
    add("invalid_utf8.txt", b"Hello \xc3\x28 world \xff\xfe\n", "text with invalid UTF-8 sequences", "rejected")
    return docs


def main():
    if len(sys.argv) != 2:
        print("usage: make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    manifest = []
    for name, data, entry in corpus():
        assert len(data) < 200 * 1024, (name, len(data))
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        manifest.append(entry)
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

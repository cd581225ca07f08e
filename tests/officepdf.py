"""PDF fixtures made the way users' PDFs are made: a Word file printed to PDF by an office suite.

Each sample text export becomes the Word document it was exported from (``tests/docgen.py``
writes the OOXML): A4, a running header with the document's symbol and a page-number
footer, headings in heading styles, numbered paragraphs from real Word lists, footnote
calls as real footnotes, Chinese in Noto Serif CJK and Latin in DejaVu Serif.  An English
report adds bullet and numbered lists, a ruled table and page-foot notes whose numbers
are not raised.  LibreOffice prints each to PDF.  The PDFs are committed, so tests need
no office suite; run this again only to remake them::

    python -m tests.officepdf          # needs soffice (libreoffice-writer-nogui, fonts-noto-cjk)

The symbols in the headers are made up for the fixtures (the exports carry none).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from itudocs.corpus.labels import Style, label_style
from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, Kind, Passage
from tests import docgen as g

FOLDER = Path(__file__).parent / "data" / "pdf_office"
# File name stem → (made-up symbol, whether the Word file's properties carry the title).
SAMPLES = {
    "000_1ec08987ad33214d": ("C24/52-C", True),
    "001_edffbce1161b23ec": ("C24/53-C", True),
    "002_b5b3951e88cb5a4f": ("C23/48-C", False),
    "003_039c71ca7392b1ab": ("C26/31-C", True),
    "004_49a4dae65611311e": ("C17/40-C", False),
}
TWIPS = 567  # one centimetre
HANG = 567

DEFAULTS = (
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="Noto Serif CJK SC" w:cs="{latin}"/>'
    '<w:sz w:val="22"/><w:lang w:val="{lang}" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'
    '<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
)


def _styled(style_id: str, name: str, ppr: str, rpr: str, *, kind: str = "paragraph") -> str:
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


STYLES = {
    "Title": _styled("Title", "Title", '<w:jc w:val="center"/><w:spacing w:after="240"/>', '<w:b/><w:sz w:val="32"/>'),
    **{
        f"Heading{n}": _styled(
            f"Heading{n}",
            f"heading {n}",
            f'<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/>'
            f'<w:ind w:left="{HANG}" w:hanging="{HANG}"/><w:outlineLvl w:val="{n - 1}"/>',
            f'<w:b/><w:sz w:val="{28 - 2 * n}"/>',
        )
        for n in (1, 2, 3)
    },
    "FootnoteText": _styled(
        "FootnoteText",
        "footnote text",
        f'<w:spacing w:after="0"/><w:ind w:left="{HANG // 2}" w:hanging="{HANG // 2}"/>',
        '<w:sz w:val="18"/>',
    ),
    "FootnoteReference": (
        '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Figure": _styled("Figure", "Figure text", '<w:jc w:val="center"/>', '<w:sz w:val="18"/>'),
}


# --- a text export as its Word original ----------------------------------------------


class _Lists:
    """One Word list per numbered paragraph, so each prints the label the export has.

    The label's last number is Word's counter (``2.10.%1`` starting at 1), anything else
    the level's literal text (``•``, ``a)`` as a letter list starting at a).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []

    def number(self, label: str) -> tuple[int, int]:
        num_id = len(self.parts) // 2 + 10
        fmt, text, start = self._level(label)
        indent = f'<w:pPr><w:ind w:left="{HANG}" w:hanging="{HANG}"/></w:pPr>'
        self.parts += [
            g.abstract_num(num_id, g.level(0, fmt, text, start=start, extra=indent)),
            g.num(num_id, num_id),
        ]
        return num_id, 0

    @staticmethod
    def _level(label: str) -> tuple[str, str, int]:
        style = label_style(label)
        if style is Style.LETTER_PAREN and len(label) == 2:
            return "lowerLetter", "%1)", ord(label[0]) - ord("a") + 1
        match = re.search(r"(\d+)(\D*)$", label)
        if match and style is not Style.ROMAN:
            return "decimal", label[: match.start()] + "%1" + match.group(2), int(match.group(1))
        return ("bullet" if label in "•–-" else "none"), label, 1


def _content(passage: Passage) -> list[str]:
    """The runs of a passage, a footnote reference wherever it calls a note."""
    parts: list[str] = []
    start = 0
    for call in passage.calls:
        parts += [g.run(passage.text[start : call.offset]), g.footnote_ref(call.number)]
        start = call.offset
    return [*parts, g.run(passage.text[start:])]


def _title_parts(export: Document) -> set[int]:
    """The headings before the body that make up the document's own title."""
    parts: set[int] = set()
    for p in export.passages:
        if p.kind is not Kind.HEADING or p.citation.label or p.text not in export.title:
            break
        parts.add(p.seq)
    return parts


def word_of_export(export: Document, *, symbol: str, core_title: str | None) -> bytes:
    """The Word original of a text export, with its symbol in the running header."""
    lists = _Lists()
    title = _title_parts(export)
    body: list[str] = []
    for p in export.passages:
        if p.kind is Kind.FOOTNOTE:
            continue
        label = p.citation.label
        if p.seq in title:
            body.append(g.para(*_content(p), style="Title"))
        elif p.kind is Kind.HEADING:
            depth = min(len(p.citation.section) + 1, 3)
            content = [g.run(f"{label}\t"), *_content(p)] if label else _content(p)
            body.append(g.para(*content, style=f"Heading{depth}"))
        elif p.kind is Kind.FIGURE:
            body.append(g.para(p.text, style="Figure"))
        else:
            body.append(g.para(*_content(p), num=lists.number(label) if label else None))
    notes = {p.citation.footnote: p.text for p in export.passages if p.kind is Kind.FOOTNOTE}
    docx = g.make_docx(body, numbering=lists.parts, styles=STYLES, footnotes=notes or None, title=core_title)
    return with_page_furniture(docx, header=f"理事会\t{symbol}", latin="DejaVu Serif", lang="zh-CN")


# --- an English report -----------------------------------------------------------------

REPORT_NOTES = {
    1: "Facts and figures 2024, ITU Development Sector, available on the ITU website.",
    2: "Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference.",
    3: (
        "The Partner2Connect Digital Coalition was launched in 2021; by the end of 2024 it had mobilized "
        "pledges from governments, companies, international organizations and civil society towards "
        "meaningful connectivity in the hardest-to-connect communities, in four focus areas: access, "
        "adoption, value creation and the enabling environment."
    ),
}
REPORT_TABLE = [
    ["Region", "Individuals online (%)", "Change since 2019"],
    ["Africa", "38", "+12"],
    ["Americas", "87", "+9"],
    ["Asia-Pacific", "66", "+16"],
    ["Europe", "91", "+5"],
]


def prose(n: int) -> str:
    """Filler sentences on the report's subject, ``n`` of them, so paragraphs run over lines and pages."""
    sentences = [
        "Universal and meaningful connectivity remains the foundation of the digital transformation.",
        "Member States reported progress in broadband deployment, spectrum management and digital skills.",
        "The secretariat continued to support the implementation of the action lines for which ITU is responsible.",
        "Affordability and the gender digital divide remain the main obstacles in least developed countries.",
        "Partnerships with other United Nations entities have been strengthened throughout the period.",
    ]
    return " ".join(sentences[k % len(sentences)] for k in range(n))


def english_report() -> bytes:
    """A report in English: numbered paragraphs, a bullet list, a table and three notes
    whose numbers print in line with their text, one of them long enough to run on."""
    lists = _Lists()
    body = [
        g.para("Report on the activities of ITU in connecting the unconnected", style="Title"),
        g.para(g.run("1\t"), g.run("Introduction"), style="Heading1"),
        g.para(
            g.run("1.1\t"),
            g.run(
                "This report describes the work of the Union in the past year. "
                + prose(4)
                + " Some 2.6 billion people remained offline in 2024"
            ),
            g.footnote_ref(1),
            g.run("."),
            num=None,
        ),
        g.para(g.run("1.2\t" + prose(6))),
        g.para(g.run("2\t"), g.run("Activities"), style="Heading1"),
        g.para(g.run("The Council is invited to note the following activities:")),
    ]
    for item in (
        "regional initiatives on digital inclusion",
        "capacity building in spectrum management",
        "the WSIS Forum and its stocktaking",
    ):
        body.append(g.para(item + ";", num=lists.number("•")))
    body += [
        g.para(
            g.run("2.1\t" + prose(3) + " The work follows the mandate in Resolution 140"),
            g.footnote_ref(2),
            g.run(" and the decisions of Council."),
        ),
        g.para(g.run("2.2\t" + prose(5))),
        g.table(REPORT_TABLE),
        g.para(g.run("Table 1 gives the share of individuals using the Internet by region.")),
        g.para(g.run("3\t"), g.run("Partnerships"), style="Heading1"),
        g.para(g.run("3.1\t" + prose(9) + " The coalition grew again in the year"), g.footnote_ref(3), g.run(".")),
        g.para(g.run("3.2\t" + prose(12))),
        g.para(g.run("3.3\t" + prose(10))),
        g.para(g.run("4\t"), g.run("Action required by the Council"), style="Heading1"),
        g.para(g.run("The Council is invited to take note of this report.")),
    ]
    for k, part in enumerate(body):
        if part.startswith("<w:p>") and "\t" in part and "Heading" not in part:
            body[k] = part.replace("<w:p>", f'<w:p><w:pPr><w:ind w:left="{HANG}" w:hanging="{HANG}"/></w:pPr>', 1)
    docx = g.make_docx(body, numbering=lists.parts, styles=STYLES, footnotes=REPORT_NOTES, title=None)
    docx = with_page_furniture(docx, header="Council 2025\tC25/12-E", latin="DejaVu Sans", lang="en-GB")
    return _plain_note_numbers(_ruled(docx))


def _ruled(docx: bytes) -> bytes:
    """Single borders around every cell of the body's tables."""
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return _rewrite(
        docx,
        "word/document.xml",
        lambda xml: xml.replace("<w:tblPr/>", f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>"),
    )


def _plain_note_numbers(docx: bytes) -> bytes:
    """Note numbers at the foot of the page in line with their text; only the calls are raised."""
    raised = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    docx = _rewrite(
        docx, "word/document.xml", lambda xml: xml.replace(raised, '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>')
    )
    return _rewrite(docx, "word/styles.xml", lambda xml: xml.replace('<w:vertAlign w:val="superscript"/>', ""))


# --- page furniture and printing -----------------------------------------------------------


def _rewrite(docx: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    parts = _parts(docx)
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    return g.zip_parts(parts)  # type: ignore[arg-type]


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_page_furniture(docx: bytes, *, header: str, latin: str, lang: str) -> bytes:
    """The document with A4 margins, a running header, a ``- n -`` footer and its fonts."""
    parts = _parts(docx)
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{17 * TWIPS}"/></w:tabs>'
    left, right = header.split("\t")
    small = '<w:sz w:val="18"/>'
    page_field = g.run("- ") + g.field(" PAGE ", "1") + g.run(" -")
    parts["word/header1.xml"] = (
        f"{g.XML_HEAD}<w:hdr {g.NAMESPACES}><w:p><w:pPr>{tab}<w:rPr><w:sz w:val='18'/></w:rPr></w:pPr>"
        f"{g.run(left, props=small)}<w:r><w:tab/></w:r>{g.run(right, props=small)}"
        "</w:p></w:hdr>"
    ).encode()
    parts["word/footer1.xml"] = (
        f'{g.XML_HEAD}<w:ftr {g.NAMESPACES}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{page_field}</w:p></w:ftr>'
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    extra = (
        f'<Relationship Id="rIdHeader" Type="{g.REL}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdFooter" Type="{g.REL}/footer" Target="footer1.xml"/>'
    )
    # The title in the file's properties, which LibreOffice prints as the PDF's Title.
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdCore" Target="docProps/core.xml" Type="http://schemas.openxmlformats.org/'
        b'package/2006/relationships/metadata/core-properties"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>'
        f'<w:pgMar w:top="{2 * TWIPS}" w:right="{2 * TWIPS}" w:bottom="{2 * TWIPS}" w:left="{2 * TWIPS}" '
        f'w:header="{TWIPS}" w:footer="{TWIPS}" w:gutter="0"/></w:sectPr>'
    )
    document = parts["word/document.xml"].decode()
    parts["word/document.xml"] = re.sub(r"<w:sectPr>.*?</w:sectPr>", section, document).encode()
    styles = parts["word/styles.xml"].decode()
    defaults = DEFAULTS.format(latin=latin, lang=lang)
    parts["word/styles.xml"] = re.sub(r"(<w:styles [^>]*>)", r"\1" + defaults, styles, count=1).encode()
    return g.zip_parts(parts)  # type: ignore[arg-type]


def print_to_pdf(docx: bytes, name: str, folder: Path) -> Path:
    """``name``.pdf in ``folder``, printed from ``docx`` by LibreOffice in a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: install libreoffice-writer-nogui and fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"{name}.docx"
        source.write_bytes(docx)
        profile = Path(work, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        target = folder / f"{name}.pdf"
        shutil.copy(Path(work) / f"{name}.pdf", target)
    return target


def exports() -> dict[str, Document]:
    return {
        stem: read_document(SourceFile(path, path.stem))
        for stem in SAMPLES
        for path in [sample_folder() / f"{stem}.txt"]
    }


def core_titles() -> dict[str, str]:
    """Each sample's title as ``metadata.tsv`` gives it: what the Word files' properties carry."""
    titles = {}
    for line in (sample_folder() / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        file, title, *_ = line.split("\t")
        titles[Path(file).stem] = title
    return titles


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    titles = core_titles()
    for stem, export in exports().items():
        symbol, titled = SAMPLES[stem]
        docx = word_of_export(export, symbol=symbol, core_title=titles[stem] if titled else None)
        print(print_to_pdf(docx, stem, FOLDER), file=sys.stderr)
    print(print_to_pdf(english_report(), "report_en", FOLDER), file=sys.stderr)


if __name__ == "__main__":
    main()

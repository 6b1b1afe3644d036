import PDFDocument from 'pdfkit';
import { pdfBuffer } from './certificate.pdf';
import type { RecordRow } from './learnerRecord.service';
import type { Transcript } from './transcript.service';

const ink = '#1b1b1b';
const muted = '#4a4a4a';
const accent = '#1d4e89';
const rule = '#b0b7c3';

/** Letter portrait in points. */
const pageWidth = 612;
const pageHeight = 792;
const margin = 48;
const bottom = pageHeight - margin - 20;

const columns = [
  { heading: 'Completed', width: 82 },
  { heading: 'Activity and certificate', width: 196 },
  { heading: 'Credit type', width: 112 },
  { heading: 'Credits', width: 46, align: 'right' as const },
  { heading: 'Status', width: 80 },
];
const gap = 0;
const padding = 5;

/** The text of each cell of a row, as lines in the cell's fonts. */
function cellsOf(row: RecordRow) {
  return [
    [{ text: row.completionDateText, bold: false }],
    [
      { text: row.activityTitle, bold: true },
      { text: `Certificate ${row.number}`, bold: false },
      ...(row.reissueOfNumber ? [{ text: `Reissue of ${row.reissueOfNumber}`, bold: false }] : []),
    ],
    [{ text: row.creditTypeLabel, bold: false }],
    [{ text: row.amountText, bold: false }],
    row.revoked
      ? [
          { text: 'REVOKED', bold: true },
          { text: row.revokedDateText ?? '', bold: false },
        ]
      : [{ text: 'Valid', bold: false }],
  ];
}

function cellHeight(doc: PDFKit.PDFDocument, lines: { text: string; bold: boolean }[], width: number) {
  return lines.reduce(
    (sum, line) =>
      sum +
      doc
        .font(line.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9)
        .heightOfString(line.text, { width: width - 2 * padding }),
    0,
  );
}

function drawHeaderRow(doc: PDFKit.PDFDocument, y: number): number {
  let x = margin;
  doc.font('Helvetica-Bold').fontSize(9).fillColor(ink);
  for (const column of columns) {
    doc.text(column.heading, x + padding, y, { width: column.width - 2 * padding, align: column.align });
    x += column.width + gap;
  }
  const end = y + 14;
  doc
    .moveTo(margin, end)
    .lineTo(pageWidth - margin, end)
    .lineWidth(1)
    .strokeColor(ink)
    .stroke();
  return end + 5;
}

/**
 * A learner's transcript as a PDF (issue 13, item 5): every certificate completed in the range (revoked ones
 * marked in words), then the totals per credit type without the revoked ones. Letter portrait; the table's header
 * repeats on each page, and every page is numbered.
 */
export function renderTranscriptPdf(transcript: Transcript): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin,
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: `CME transcript of ${transcript.learnerName}, ${transcript.rangeText}`,
      Author: 'Rounds',
      Creator: 'Rounds',
    },
  });
  const done = pdfBuffer(doc);
  const width = pageWidth - 2 * margin;

  doc.font('Helvetica-Bold').fontSize(22).fillColor(accent).text('CME transcript', margin, margin, { width });
  doc.font('Helvetica-Bold').fontSize(14).fillColor(ink).text(transcript.learnerName, { width });
  doc.font('Helvetica').fontSize(10).fillColor(muted);
  doc.text(`Completion dates ${transcript.rangeText}`, { width });
  doc.text(
    `Dates are calendar dates of completion in ${transcript.timeZone}. Made ${transcript.generatedText}.`,
    { width },
  );

  let y = drawHeaderRow(doc, doc.y + 14);
  if (transcript.rows.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor(ink)
      .text('No certificates in this range.', margin, y, { width });
    y = doc.y + 6;
  }
  for (const row of transcript.rows) {
    const cells = cellsOf(row);
    const height =
      Math.max(...cells.map((lines, index) => cellHeight(doc, lines, columns[index]!.width))) + 8;
    if (y + height > bottom) {
      doc.addPage();
      y = drawHeaderRow(doc, margin);
    }
    let x = margin;
    cells.forEach((lines, index) => {
      const column = columns[index]!;
      let lineY = y;
      for (const line of lines) {
        doc
          .font(line.bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(9)
          .fillColor(line.bold ? ink : muted);
        if (index !== 1 || line.bold) doc.fillColor(ink);
        doc.text(line.text, x + padding, lineY, { width: column.width - 2 * padding, align: column.align });
        lineY = doc.y;
      }
      x += column.width + gap;
    });
    y += height;
    doc
      .moveTo(margin, y - 4)
      .lineTo(pageWidth - margin, y - 4)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
  }

  const totalsHeight = 40 + transcript.totals.length * 16;
  if (y + totalsHeight > bottom) {
    doc.addPage();
    y = margin;
  }
  doc.font('Helvetica-Bold').fontSize(12).fillColor(ink);
  doc.text('Totals per credit type (revoked certificates not counted)', margin, y + 10, { width });
  doc.font('Helvetica').fontSize(10);
  if (transcript.totals.length === 0) doc.text('None.', { width });
  let totalY = doc.y + 4;
  for (const total of transcript.totals) {
    doc.text(total.label, margin, totalY, { width: 220 });
    doc
      .font('Helvetica-Bold')
      .text(total.text.split(' ')[0]!, margin + 220, totalY, { width: 60, align: 'right' });
    doc.font('Helvetica');
    totalY += 16;
  }

  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Writing below the bottom margin would start a new page: lift the margin for the footer line.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(muted);
    doc.text(
      `${transcript.learnerName} · CME transcript · page ${index - range.start + 1} of ${range.count}`,
      margin,
      pageHeight - margin + 8,
      { width, align: 'center', lineBreak: false },
    );
  }
  doc.end();
  return done;
}

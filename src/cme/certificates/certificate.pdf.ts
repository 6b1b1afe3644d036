import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Certificate } from './certificate.service';

const ink = '#1b1b1b';
const muted = '#4a4a4a';
const accent = '#1d4e89';
const warning = '#a4262c';

/** Letter landscape in points (8.5 × 11 in, 72 pt to the inch). */
const pageWidth = 792;
const pageHeight = 612;
const margin = 54;
const contentWidth = pageWidth - 2 * margin;
const qrSize = 92;
/** Where the footer (number, verification URL, QR code) starts; the flowing text stays above it. */
const footerTop = pageHeight - margin - qrSize;

/**
 * The bytes of a pdfkit document, collected from its start (call before drawing) and complete once `doc.end()`
 * is called: a certificate or a learner's transcript is a few kilobytes.
 */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** What the certificate says the learner did, by format ("completed the enduring material"). */
function completionPhrase(certificate: Certificate): string {
  if (certificate.creditType === 'participation') return 'participated in';
  return `completed the ${certificate.formatLabel.toLowerCase()}`;
}

/**
 * A certificate as a PDF (issue 13, item 4; DOMAIN.md "CME credit"): learner name, provider, activity title,
 * format, dates, location (live), credits claimed, designation and accreditation statements, the certificate
 * number and a verification URL with its QR code. Letter landscape, one page. A revoked certificate says so in
 * words across its top, never by colour alone.
 */
export async function renderCertificatePdf(certificate: Certificate): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: 'landscape',
    margin,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: `Certificate ${certificate.number}: ${certificate.activityTitle}`,
      Author: certificate.providerName,
      Subject: `${certificate.creditsText} for ${certificate.learnerName}`,
      Creator: 'Rounds',
    },
  });
  const done = pdfBuffer(doc);
  const qr = await QRCode.toBuffer(certificate.verifyUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 276,
  });

  doc
    .lineWidth(3)
    .strokeColor(accent)
    .rect(20, 20, pageWidth - 40, pageHeight - 40)
    .stroke();
  doc
    .lineWidth(0.75)
    .rect(27, 27, pageWidth - 54, pageHeight - 54)
    .stroke();

  const centred = { width: contentWidth, align: 'center' as const };
  let y = margin - 6;
  if (certificate.revokedOn) {
    doc.font('Helvetica-Bold').fontSize(13).fillColor(warning);
    doc.text(`REVOKED on ${certificate.revokedOn}: this certificate is no longer valid.`, margin, y, centred);
    y = doc.y + 4;
  }
  doc.font('Helvetica').fontSize(12).fillColor(muted).text(certificate.providerName, margin, y, centred);
  const heading =
    certificate.creditType === 'participation' ? 'Certificate of Participation' : 'Certificate of Credit';
  doc
    .font('Times-Bold')
    .fontSize(32)
    .fillColor(accent)
    .text(heading, margin, doc.y + 10, centred);
  doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor(ink)
    .text('This certifies that', margin, doc.y + 16, centred);
  doc
    .font('Times-Bold')
    .fontSize(28)
    .text(certificate.learnerName, margin, doc.y + 6, centred);
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(completionPhrase(certificate), margin, doc.y + 6, centred);
  doc
    .font('Helvetica-Bold')
    .fontSize(17)
    .text(certificate.activityTitle, margin + 40, doc.y + 6, { width: contentWidth - 80, align: 'center' });

  const facts = [
    `Format: ${certificate.formatLabel}`,
    `Activity dates: ${certificate.activityDates}`,
    `Completed: ${certificate.completionDate}`,
  ];
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor(muted)
    .text(facts.join('   ·   '), margin, doc.y + 14, centred);
  if (certificate.location) doc.text(`Location: ${certificate.location}`, margin, doc.y + 2, centred);
  if (certificate.accmeActivityId) {
    doc.text(`ACCME activity ID: ${certificate.accmeActivityId}`, margin, doc.y + 2, centred);
  }

  doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor(ink)
    .text('Credits claimed', margin, doc.y + 16, centred);
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .fillColor(accent)
    .text(certificate.creditsText, margin, doc.y + 2, centred);
  if (certificate.uan) {
    const acpe = [`UAN ${certificate.uan}`, certificate.acpeCreditType].filter(Boolean).join('   ·   ');
    doc
      .font('Helvetica')
      .fontSize(11)
      .fillColor(muted)
      .text(acpe, margin, doc.y + 2, centred);
  }

  // The statements are long and set by the provider: they get the room left above the footer, smaller if need be.
  const statements = [certificate.designationStatement, certificate.accreditationStatement].filter(Boolean);
  const statementsTop = doc.y + 18;
  const room = footerTop - 8 - statementsTop;
  let size = 10;
  doc.font('Helvetica').fillColor(ink);
  const heightAt = (fontSize: number) =>
    statements.reduce(
      (sum, text) => sum + doc.fontSize(fontSize).heightOfString(text, { width: contentWidth - 60 }) + 4,
      0,
    );
  while (size > 6.5 && heightAt(size) > room) size -= 0.5;
  let statementY = statementsTop;
  for (const text of statements) {
    doc.fontSize(size).text(text, margin + 30, statementY, {
      width: contentWidth - 60,
      align: 'center',
      height: Math.max(room - (statementY - statementsTop), size * 1.3),
      ellipsis: true,
    });
    statementY = doc.y + 4;
  }

  const footerTextWidth = contentWidth - qrSize - 20;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink);
  doc.text(`Certificate number: ${certificate.number}`, margin, footerTop + 16, { width: footerTextWidth });
  if (certificate.reissueOfNumber) {
    doc.font('Helvetica').fontSize(9).fillColor(muted);
    doc.text(`Reissued in place of certificate ${certificate.reissueOfNumber}`, margin, doc.y + 2, {
      width: footerTextWidth,
    });
  }
  doc.font('Helvetica').fontSize(10).fillColor(ink);
  doc.text('Verify this certificate at', margin, doc.y + 6, { width: footerTextWidth });
  doc.fillColor(accent).text(certificate.verifyUrl, margin, doc.y + 1, {
    width: footerTextWidth,
    link: certificate.verifyUrl,
    underline: true,
  });
  doc.image(qr, pageWidth - margin - qrSize, footerTop, { width: qrSize, height: qrSize });
  doc.end();
  return done;
}
